package dev.teardown.pipeline;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import dev.teardown.http.CloseReason;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionTracker;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;
import java.util.concurrent.BlockingQueue;

/**
 * One worker of a parallel analysis: a {@link ConnectionChain} over the connections the flow hash gives it.
 *
 * <p>It walks every batch in global packet order: a segment of its own goes through the whole chain; any
 * other only moves its packet time on, so its connections expire at exactly the packet where one thread's
 * would. Connections are numbered by the global index of their first packet (unique, in the same order as one
 * thread's ids; the merger turns them into 1, 2, 3 ...), and every record is tagged with the key of
 * {@link WorkerOutput} that puts it where one thread writes it. With a TIME_WAIT stage, it records what that stage
 * is to be told the same way, each event with a snapshot of its connection, and tells the stage nothing: each
 * connection's {@link dev.teardown.timewait.TimeWaitState} is made here but only the merger touches it. Allocates
 * nothing per packet (array growth aside, to the busiest batch). A time advance in the batch (a quiet live capture)
 * is walked as a packet no worker owns: time moves on and connections expire there. In a live run it also counts
 * the closes it settles and, when the batch asks for the status figures, what its table holds ({@link LiveShare}).
 *
 * <p>Memory: its connections (at most its share of the bound on connections held) and its outputs in the
 * batches in flight.
 */
final class Worker implements Runnable, ConnectionChain.Listener {
    private final int id;
    private final BlockingQueue<Batch> inbox;
    private final RunState state;
    /** Filled from a shard's packed batch ({@link Batch#segment}); a team's batches hold their segments decoded. */
    private final TcpSegment segment = new TcpSegment();
    /** Whether the run has a TIME_WAIT stage, whose events are then recorded. */
    private final boolean recording;
    /** The stage the merger tells: asked only which segments it needs just the time of (it is never told here). */
    private final TimeWaitStage timeWait;
    /** Whether the run is live: closes and reuse are counted for its status ({@link LiveShare}). */
    private final boolean live;
    private final long timeWaitNanos;
    /** Null once dropped because the heap ran out or the run failed. */
    private ConnectionChain chain;
    private WorkerOutput out;
    /** The global index of the packet being walked. */
    private long at;
    /** The sort key of the records finished now (see {@link WorkerOutput}). */
    private long key;
    private long tieBreak;
    private boolean draining;
    /** The table's size after the last packet walked. */
    private int size;
    private volatile int held;
    private volatile long evictions;
    private volatile int dropped;

    /**
     * Worker {@code id}, taking batches from {@code inbox}, holding at most {@code maxConnections}; it records what
     * {@code timeWait} is to be told (unless that accounts nothing), and tells it nothing: the merger does.
     */
    Worker(int id, BlockingQueue<Batch> inbox, AnalyzeOptions options, int maxConnections, RunState state,
           TimeWaitStage timeWait) {
        this(id, inbox, options, maxConnections, state, timeWait, false);
    }

    /** The same; {@code live}: it also counts, for a live run's status, what one thread's {@link LiveCounts} does. */
    Worker(int id, BlockingQueue<Batch> inbox, AnalyzeOptions options, int maxConnections, RunState state,
           TimeWaitStage timeWait, boolean live) {
        this.id = id;
        this.live = live;
        this.timeWaitNanos = options.timeWaitNanos();
        this.inbox = inbox;
        this.state = state;
        this.recording = !timeWait.accountsNothing();
        this.timeWait = timeWait;
        // Each connection carries its TIME_WAIT state, made here but only ever read or written by the merger.
        this.chain = new ConnectionChain(options, maxConnections, TimeWaitStage.none(), timeWait::open, this);
    }

    @Override
    public void run() {
        boolean last = false;
        while (!last) {
            Batch b = take();
            last = b.last;
            try {
                if (state.stopping()) drop();
                else process(b);
            } catch (OutOfMemoryError e) {
                drop(); // First: what this worker holds is what filled the heap.
                state.outOfMemory();
            } catch (Throwable e) {
                drop();
                state.failed(e);
            } finally {
                b.done.release();
            }
        }
    }

    private Batch take() {
        while (true) {
            try {
                return inbox.take();
            } catch (InterruptedException e) {
                // Nothing interrupts the workers; the run ends with its last batch.
            }
        }
    }

    /** Walks {@code b} on the calling thread, its output left in {@code b.outputs[id]}: one shard of a sharded run. */
    void walk(Batch b) {
        process(b);
    }

    private void process(Batch b) {
        out = b.outputs[id];
        out.clear();
        for (int f = 0; f < b.fileStarts.size(); f++) chain.fileStarted(b.fileStarts.get(f), b.fileNames.get(f));
        ConnectionTracker<ConnectionChain.Stages> tracker = chain.tracker();
        for (int i = 0; i < b.count; i++) {
            at = b.index[i];
            key = 4 * at; // Expiry: timedOut() names the list and the expired connection.
            chain.advanceTo(b.time[i]);
            if (b.owner[i] == id) {
                key = 4 * at + 2;
                tieBreak = 0;
                TcpSegment segment = b.segment(i, this.segment);
                tracker.setNextId(at);
                long evictedBefore = tracker.evictions();
                Connection<ConnectionChain.Stages> c = chain.onSegment(segment);
                c.stage().touched = at;
                if (recording && !segment.badChecksum) {
                    Side from = c.senderOf(segment);
                    TimeWaitState s = c.stage().timeWait;
                    // What reads only this connection's state runs here, beside the tracker (needsTelling first,
                    // as it asks); the merger gets the gaps it finds before the segment's own event, as one thread
                    // tells the stage.
                    boolean tell = timeWait.needsTelling(c, s, segment, from);
                    long gap = timeWait.follow(c, s, segment, from);
                    if (PacketTime.isSet(gap)) out.gap(key, c, gap, i);
                    if (tell) out.event(WorkerOutput.SEGMENT, key, c, segment.timeNanos, i << 1 | from.ordinal());
                }
                if (tracker.nextId() != at) {
                    // The peak is taken as the new connection goes in, before the table makes room.
                    out.begun(at, tracker.openConnections() + (int) (tracker.evictions() - evictedBefore));
                }
            }
            int now = tracker.openConnections();
            if (now != size) {
                size = now;
                out.sizeChanged(at, now);
            }
        }
        if (live && b.figuresWanted != 0) {
            // What the table holds at the batch's end, walked here: the merger sums the workers' (LiveCounts#view).
            LiveShare s = out.live;
            s.held = LiveCounts.held(tracker, timeWaitNanos, b.figuresNames > 0);
            s.open = tracker.openConnections();
            s.evictions = tracker.evictions();
            s.now = tracker.now();
        }
        if (b.last && b.discard) {
            drop(); // The heap ran out on the reading side: what is held is dropped, as one thread drops it.
            return;
        }
        if (b.last) {
            draining = true;
            chain.finish();
            size = 0;
        }
        held = size;
        evictions = tracker.evictions();
    }

    @Override
    public void timedOut(Connection<ConnectionChain.Stages> c) {
        key = 4 * at + (c.closing() ? 0 : 1);
        tieBreak = c.stage().touched;
    }

    @Override
    public void finished(Connection<ConnectionChain.Stages> c, FlowRecord r) {
        long now = chain.tracker().now();
        if (draining) out.record(r, Long.MAX_VALUE, c.id(), c, now, recording);
        else out.record(r, key, tieBreak, c, now, recording);
    }

    // Closes, TIME_WAIT starts and tuple reuse happen only while the connection's owner applies a packet.

    @Override
    public void closed(Connection<ConnectionChain.Stages> c, long nanos) {
        if (recording) out.event(WorkerOutput.CLOSED, key, c, nanos, 0);
    }

    @Override
    public void timeWaitStarted(Connection<ConnectionChain.Stages> c, Side side, long nanos) {
        if (recording && timeWait.needsTelling(c, c.stage().timeWait, side, nanos)) {
            out.event(WorkerOutput.TIME_WAIT_STARTED, key, c, nanos, side.ordinal());
        }
    }

    @Override
    public void tupleReused(Connection<ConnectionChain.Stages> previous, Connection<ConnectionChain.Stages> next,
                            long nanos) {
        if (recording) out.tupleReused(key, previous, next, nanos);
        if (live) out.live.reuses.add(ServerEndpoint.of(next));
    }

    @Override
    public boolean countsCloses() {
        return live;
    }

    @Override
    public void closeCounted(Connection<ConnectionChain.Stages> c, Sides initiator, CloseReason reason) {
        out.live.closes.add(new LiveShare.Close(ServerEndpoint.of(c), initiator, reason, c.wasReset()));
    }

    /** Drops the connections held, unwritten, once: what the heap or a failure left no room for. */
    private void drop() {
        if (chain == null) return;
        dropped = chain.tracker().openConnections();
        evictions = chain.tracker().evictions();
        chain = null;
        held = 0;
    }

    /** Connections held after the last batch walked (for progress). */
    int held() {
        return held;
    }

    /** Connections written out early because this worker's share of the table was full. */
    long evictions() {
        return evictions;
    }

    /** Connections dropped unwritten when the run was abandoned. */
    int dropped() {
        return dropped;
    }
}
