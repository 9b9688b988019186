package dev.teardown.pipeline;

import dev.teardown.decode.TcpSegment;
import dev.teardown.http.CloseReason;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Sides;
import dev.teardown.timewait.TimeWaitStage;
import java.util.concurrent.BlockingQueue;

/**
 * The analysing thread of a {@link RelayAnalysis}: everything after the decoder (tracker, HTTP and TLS, the TIME_WAIT
 * stage, the records), fed the segments the reading thread decoded into batches; the records go to a {@link RowWriter}.
 *
 * <p>Every segment of a batch is its own, so it makes the calls {@link Pipeline} makes for the same frames, in the
 * same order: a connection is numbered, finished and written where one thread does it, and the TIME_WAIT stage is
 * told directly, with nothing recorded or replayed. A batch is handed back as soon as it is walked. Memory: the
 * connections held (the whole bound, one table, as one thread's).
 */
final class RelayWorker implements Runnable {
    private final BlockingQueue<Batch> inbox;
    private final BlockingQueue<Batch> free;
    private final RunState state;
    private final TimeWaitStage timeWait;
    private final RowWriter rows;
    private final TcpSegment segment = new TcpSegment();
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
     * {@code timeWait}.
     */
    RelayWorker(BlockingQueue<Batch> inbox, BlockingQueue<Batch> free, AnalyzeOptions options, RowWriter rows,
                RunState state, TimeWaitStage timeWait) {
        this.inbox = inbox;
        this.free = free;
        this.state = state;
        this.timeWait = timeWait;
        this.rows = rows;
        this.chain = new ConnectionChain(options, options.maxConnections(), timeWait, new ConnectionChain.Listener() {
            @Override
            public void finished(Connection<ConnectionChain.Stages> c, FlowRecord r) {
                RelayWorker.this.rows.add(r);
                recordsWritten++;
            }

            @Override
            public boolean countsCloses() {
                return false;
            }

            @Override
            public void closeCounted(Connection<ConnectionChain.Stages> c, Sides initiator, CloseReason reason) {}
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
            // Time advances come only from a live capture, which runs on a Team.
            if (b.owner[i] == Batch.MARKER) throw new IllegalStateException("a time advance: the relay reads files");
            b.segment(i, segment);
            chain.onSegment(segment);
        }
        while (f < files) chain.fileStarted(b.fileNames.get(f++));
        if (b.last) {
            heldAtEnd = chain.tracker().openConnections();
            writtenAtEnd = recordsWritten;
            timeWait.endOfInput();
            chain.finish();
            timeWait.finish();
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
