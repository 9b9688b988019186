package dev.teardown.pipeline;

import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * The merging end of a parallel analysis: takes the batches in reading order, waits until every worker is done
 * with one, and hands the workers' records to the sinks in the order one thread writes them, numbered 1, 2, 3
 * ... in order of first packet, and their TIME_WAIT stage events to the {@link Replay} in that order, packet by
 * packet; then gives the batch back to the reader.
 *
 * <p>It also works out what one thread's table counts across all workers: its peak is the largest sum of the
 * workers' table sizes at the moment a connection went in. In a live run it replays the time advances of a quiet
 * capture at their place ({@link Batch#advance}), counts the closes the workers settled ({@link LiveCounts}), and
 * when a batch asks for the status figures, sums what the workers held at its end and publishes them under its
 * lock ({@link #figures(long, boolean)}). Memory: the number of each connection begun and not yet written (one map
 * entry per connection held), and a live run's {@link LiveCounts}.
 */
final class Merger implements Runnable {
    private final BlockingQueue<Batch> ordered;
    private final BlockingQueue<Batch> free;
    private final List<? extends RecordSink> sinks;
    private final RunState state;
    private final int workers;
    /** What tells the TIME_WAIT stage the workers' events, in one thread's order; null without a stage. */
    private final Replay replay;
    /** Each connection begun and not yet written: its global first packet, and its number 1, 2, 3 ... */
    private final NumberTable numbers = new NumberTable();
    private long nextNumber = 1;
    /** Each worker's table size after the packets merged so far, and their sum. */
    private final int[] sizes;
    private long total;
    private long peak;
    private final int[] next;
    private final int[] nextBegun;
    private final int[] nextChange;
    private volatile long written;
    private volatile long unwritten;
    /** A live run's counts for its status, else null; and the figures last asked for, once merged. */
    private final LiveCounts live;
    private final LiveShare[] shares;
    private final FiguresBox box;
    /** The packet time of the record being written (one thread's tracker's then): a live run rotates its outputs by it. */
    private volatile long now = dev.teardown.capture.PacketTime.UNSET;

    Merger(BlockingQueue<Batch> ordered, BlockingQueue<Batch> free, List<? extends RecordSink> sinks, int workers,
           RunState state, TimeWaitStage timeWait) {
        this(ordered, free, sinks, workers, state, timeWait, false);
    }

    /** The same; {@code live}: it also keeps a live run's {@link LiveCounts} and works out the figures asked for. */
    Merger(BlockingQueue<Batch> ordered, BlockingQueue<Batch> free, List<? extends RecordSink> sinks, int workers,
           RunState state, TimeWaitStage timeWait, boolean live) {
        this.live = live ? new LiveCounts() : null;
        this.box = new FiguresBox(state);
        this.shares = new LiveShare[workers];
        this.replay = timeWait.accountsNothing() ? null : new Replay(timeWait);
        this.ordered = ordered;
        this.free = free;
        this.sinks = sinks;
        this.workers = workers;
        this.state = state;
        this.sizes = new int[workers];
        this.next = new int[workers];
        this.nextBegun = new int[workers];
        this.nextChange = new int[workers];
    }

    @Override
    public void run() {
        boolean last = false;
        while (!last) {
            Batch b = take(ordered);
            last = b.last;
            b.done.acquireUninterruptibly(workers);
            try {
                if (state.stopping()) {
                    skip(b);
                } else {
                    merge(b);
                    if (live != null) count(b);
                }
            } catch (OutOfMemoryError e) {
                state.outOfMemory();
            } catch (Throwable e) {
                state.failed(e);
            }
            for (WorkerOutput o : b.outputs) o.clear();
            b.clear();
            if (!last) free.add(b);
        }
    }

    private static Batch take(BlockingQueue<Batch> queue) {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Nothing interrupts the merger; the run ends with its last batch.
            }
        }
    }

    /** Merges {@code b}, which every worker is done with, on the calling thread ({@link #run} does for each batch). */
    void merge(Batch b) {
        WorkerOutput[] outs = b.outputs;
        number(outs);
        java.util.Arrays.fill(next, 0);
        if (replay != null) {
            // Packet by packet, as one thread tells the stage: the events up to and with the packet, then its time.
            // Walked event by event: the packets before an event's own (keys 4i to 4i + 2 belong to packet i) are
            // done first, so a packet without events costs no look at the workers' outputs.
            int i = 0;
            for (int from; (from = nextEvent(outs)) >= 0; ) {
                long key = outs[from].keys[2 * next[from]];
                if (key == Long.MAX_VALUE) break; // the end of the input's: after every packet, as below
                while (i < b.count && 4 * b.index[i] + 2 < key) done(b, i++);
                take(b, outs[from], next[from]++);
            }
            for (; i < b.count; i++) done(b, i);
            // Dropped instead of finished when the heap ran out on the reading side, as one thread tells the stage.
            if (b.last && b.discard) replay.discardHeld();
            else if (b.last) replay.endOfInput();
        }
        for (int from; (from = nextEvent(outs)) >= 0; ) take(b, outs[from], next[from]++);
        if (replay != null && b.last && !b.discard) replay.finish();
    }

    /** Everything up to and with slot {@code i} of {@code b} was replayed: its packet, or its time advance, is done. */
    private void done(Batch b, int i) {
        if (b.owner[i] == Batch.MARKER) replay.advanced(b.time[i]);
        else replay.packetDone(b.index[i], b.time[i]);
    }

    /**
     * Adds the workers' closes and reuses of {@code b} to the live counts, and when {@code b} asked for the figures,
     * works them out from what every worker held at its end and publishes them.
     */
    private void count(Batch b) {
        for (WorkerOutput o : b.outputs) live.add(o.live);
        if (b.figuresWanted == 0) return;
        for (int k = 0; k < workers; k++) shares[k] = b.outputs[k].live;
        LiveFigures f = live.figures(shares, b.figuresTop, b.figuresNames, written);
        java.util.Arrays.fill(shares, null);
        box.publish(b.figuresWanted, f);
    }

    /** The figures asked for as number {@code wanted} ({@link FiguresBox#take}). */
    LiveFigures figures(long wanted, boolean wait) {
        return box.take(wanted, wait);
    }

    /** The packet time at which the record being written was finished (as {@link Pipeline#nowNanos}). */
    long now() {
        return now;
    }

    /** The worker whose next event comes first, or -1 when none is left. */
    private int nextEvent(WorkerOutput[] outs) {
        int from = -1;
        for (int k = 0; k < workers; k++) {
            if (next[k] < outs[k].count && (from < 0 || outs[k].before(next[k], outs[from], next[from]))) from = k;
        }
        return from;
    }

    /** Writes event {@code e} of {@code o} if it is a record, and replays it to the TIME_WAIT stage. */
    private void take(Batch b, WorkerOutput o, int e) {
        FlowRecord numbered = null;
        if (o.kinds[e] == WorkerOutput.FINISHED) {
            FlowRecord r = o.records[e];
            long number = numbers.remove(r.flowId());
            if (number < 0) throw new IllegalStateException("record of a connection never begun: " + r.flowId());
            numbered = r.withFlowId(number);
            now = o.nanos[e];
            for (RecordSink s : sinks) s.accept(numbered);
            written++;
        }
        if (replay != null) replay.event(b, o, e, numbered);
    }

    /**
     * Numbers the connections begun in this batch in order of first packet, and follows the sum of the tables'
     * sizes: a worker's size after packet {@code i} counts for every connection another worker began at {@code i}
     * (at packet {@code i} the other workers only expired connections, which one thread does before the new
     * connection goes in); the worker that began it gives its own size at that moment.
     */
    private void number(WorkerOutput[] outs) {
        java.util.Arrays.fill(nextBegun, 0);
        java.util.Arrays.fill(nextChange, 0);
        while (true) {
            int from = -1;
            for (int k = 0; k < workers; k++) {
                if (nextBegun[k] < outs[k].begunCount
                    && (from < 0 || outs[k].begun[nextBegun[k]] < outs[from].begun[nextBegun[from]])) {
                    from = k;
                }
            }
            if (from < 0) break;
            long at = outs[from].begun[nextBegun[from]];
            applySizes(outs, at);
            peak = Math.max(peak, total - sizes[from] + outs[from].sizeWhenBegun[nextBegun[from]]);
            numbers.put(at, nextNumber++);
            nextBegun[from]++;
        }
        applySizes(outs, Long.MAX_VALUE);
    }

    /** Applies every worker's size changes up to and including packet {@code at}. */
    private void applySizes(WorkerOutput[] outs, long at) {
        for (int k = 0; k < workers; k++) {
            WorkerOutput o = outs[k];
            while (nextChange[k] < o.sizeChanges && o.sizeChangedAt[nextChange[k]] <= at) {
                int s = o.size[nextChange[k]++];
                total += s - sizes[k];
                sizes[k] = s;
            }
        }
    }

    /** The run is being abandoned: the records finished in this batch are counted, not written. */
    private void skip(Batch b) {
        if (replay != null) replay.discardHeld();
        for (WorkerOutput o : b.outputs) unwritten += o.recordCount;
    }

    /** The most connections held at once over all workers, as one thread's table counts them. */
    long peak() {
        return peak;
    }

    /** Records handed to the sinks so far. */
    long written() {
        return written;
    }

    /** Records finished but not written because the run was abandoned. */
    long unwritten() {
        return unwritten;
    }
}
