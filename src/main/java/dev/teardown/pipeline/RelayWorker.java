package dev.teardown.pipeline;

import dev.teardown.http.CloseReason;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Sides;
import dev.teardown.timewait.TimeWaitStage;
import java.util.concurrent.BlockingQueue;

/**
 * The analysing thread of a {@link Relay}: everything after the decoder (tracker, HTTP and TLS, the TIME_WAIT stage,
 * the records), fed the segments the reading thread decoded into batches; the records go to a {@link RowWriter}.
 *
 * <p>Every segment of a batch is its own, so it makes the calls {@link Pipeline} makes for the same frames and time
 * advances, in the same order: a connection is numbered, finished and written where one thread does it, and the
 * TIME_WAIT stage is told directly, with nothing recorded or replayed. In a live run it also counts closes and
 * reuses as one thread does ({@link LiveCounts}) and works out the status figures at the end of the batch that asks
 * for them. A batch is handed back as soon as it is walked. Memory: the connections held (the whole bound, one table,
 * as one thread's), and a live run's counts.
 */
final class RelayWorker implements Runnable {
    private final BlockingQueue<Batch> inbox;
    private final BlockingQueue<Batch> free;
    private final RunState state;
    private final TimeWaitStage timeWait;
    private final RowWriter rows;
    private final long timeWaitNanos;
    /** A live run's counts for its status, else null; the figures go to {@link #box}. */
    private final LiveCounts live;
    private final FiguresBox box;
    /** Null once dropped because the heap ran out or the run failed. */
    private ConnectionChain chain;
    private volatile int held;
    private volatile long evictions;
    private volatile long peak;
    private volatile int dropped;
    /** Records finished (handed to the writer). */
    private long recordsWritten;
    /** Connections held and records finished when the input ended (before the last connections were finished), else -1. */
    private int heldAtEnd = -1;
    private long writtenAtEnd;

    /**
     * Takes batches from {@code inbox} and gives them back to {@code free}; hands its records to {@code rows}, tells
     * {@code timeWait}; {@code live}: also counts what a live run's status shows, its figures published to {@code box}.
     */
    RelayWorker(BlockingQueue<Batch> inbox, BlockingQueue<Batch> free, AnalyzeOptions options, RowWriter rows,
                RunState state, TimeWaitStage timeWait, boolean live, FiguresBox box) {
        this.inbox = inbox;
        this.free = free;
        this.state = state;
        this.timeWait = timeWait;
        this.rows = rows;
        this.timeWaitNanos = options.timeWaitNanos();
        this.live = live ? new LiveCounts() : null;
        this.box = box;
        this.chain = new ConnectionChain(options, options.maxConnections(), timeWait, new ConnectionChain.Listener() {
            @Override
            public void finished(Connection<ConnectionChain.Stages> c, FlowRecord r) {
                // With the packet time it was finished at: the writer's sinks ask it (rotation by packet time).
                RelayWorker.this.rows.add(r, chain.tracker().now());
                recordsWritten++;
            }

            @Override
            public boolean countsCloses() {
                return RelayWorker.this.live != null;
            }

            @Override
            public void closeCounted(Connection<ConnectionChain.Stages> c, Sides initiator, CloseReason reason) {
                RelayWorker.this.live.closed(c, initiator, reason, c.wasReset());
            }

            @Override
            public void tupleReused(Connection<ConnectionChain.Stages> previous, Connection<ConnectionChain.Stages> next,
                                    long nanos) {
                if (RelayWorker.this.live != null) RelayWorker.this.live.tupleReused(next);
            }
        });
    }

    @Override
    public void run() {
        boolean last = false;
        while (!last) {
            Batch b = Team.take(inbox);
            last = b.last;
            try {
                if (state.stopping()) drop();
                else process(b);
            } catch (OutOfMemoryError e) {
                drop(); // First: what this thread holds is what filled the heap.
                state.outOfMemory();
            } catch (Throwable e) {
                drop();
                state.failed(e);
            }
            b.clear();
            if (!last) free.add(b);
        }
        rows.end(); // Always, whatever went wrong: the writer ends with it.
    }

    private void process(Batch b) {
        ConnectionChain chain = this.chain;
        int files = b.fileStarts.size();
        int f = 0;
        for (int i = 0; i < b.count; i++) {
            long at = b.index[i];
            // A file begins before its first packet, as the one-thread loop says so before the frame.
            while (f < files && b.fileStarts.get(f) <= at) chain.fileStarted(b.fileNames.get(f++));
            if (b.owner[i] == Batch.MARKER) {
                // A quiet live capture let time pass here, as Pipeline.advanceTo.
                chain.advanceTo(b.time[i]);
                timeWait.advanceTo(chain.tracker().now());
            } else {
                chain.onSegment(b.decoded[i], b.scan(i)); // decoded, and its head lines parsed, by the reading thread
            }
        }
        while (f < files) chain.fileStarted(b.fileNames.get(f++));
        if (b.last && b.discard) {
            // The heap ran out on the reading side: what is held is dropped, as one thread drops it.
            rows.handOn();
            drop();
            return;
        }
        if (b.last) {
            heldAtEnd = chain.tracker().openConnections();
            writtenAtEnd = recordsWritten;
            rows.inputEnded();
            timeWait.endOfInput();
            chain.finish();
            timeWait.finish();
        }
        if (live != null && b.figuresWanted != 0) {
            // What one thread's Pipeline.askFigures works out at this point of the input.
            box.publish(b.figuresWanted, live.figures(chain.tracker(), timeWaitNanos, b.figuresTop, b.figuresNames,
                recordsWritten));
        }
        rows.handOn(); // The batch's records go now: the rows follow the packets closely.
        held = chain.tracker().openConnections();
        evictions = chain.tracker().evictions();
        peak = chain.tracker().peakConnections();
    }

    /** Drops the connections held, unwritten, once: what the heap or a failure left no room for. */
    private void drop() {
        if (chain == null) return;
        // Failed while finishing the rest at the end: the table was already emptied into a list (as one thread counts).
        dropped = heldAtEnd >= 0 ? (int) Math.max(0, heldAtEnd - (recordsWritten - writtenAtEnd))
            : chain.tracker().openConnections();
        evictions = chain.tracker().evictions();
        peak = chain.tracker().peakConnections();
        chain = null;
        timeWait.discardHeld();
        held = 0;
    }

    /** Connections held after the last batch walked (for progress). */
    int held() {
        return held;
    }

    /** Connections written out early because the table was full. */
    long evictions() {
        return evictions;
    }

    /** The most connections held at once. */
    long peak() {
        return peak;
    }

    /** Connections dropped unwritten when the run was abandoned. */
    int dropped() {
        return dropped;
    }
}
