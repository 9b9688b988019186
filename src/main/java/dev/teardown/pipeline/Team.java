package dev.teardown.pipeline;

import dev.teardown.decode.FlowHash;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The threads of a parallel analysis and what joins them: the {@link Worker}s, each on a thread of its own, the
 * {@link Merger} on another, the {@link BatchReader} for the calling thread, and the {@link #BATCHES} batches they
 * pass round. A file's analysis ({@link ParallelAnalysis}) and a live one ({@link ParallelLive}) both run one.
 *
 * <p>The threads are daemons (they never keep the JVM alive) and end with the last batch ({@link BatchReader#end}),
 * whatever went wrong: call {@link #join} after it. Memory: the batches, and what the workers and merger hold.
 */
final class Team implements Crew {
    /** Batches in flight: the reader runs at most this far ahead of the slowest worker and the merger. */
    static final int BATCHES = 8;

    final RunState state = new RunState();
    final Worker[] workers;
    final Merger merger;
    final BatchReader reader;
    private final Thread[] threads;

    /**
     * Starts {@code n} workers (2 to 127), sharing {@code options}' bound on connections evenly, and the merger
     * writing to {@code sinks} and telling {@code timeWait}; {@code live}: they also count a live run's status.
     */
    Team(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait, int n, FlowHash hash,
         boolean live) {
        if (n < 2 || n > Byte.MAX_VALUE) throw new IllegalArgumentException("workers: " + n);
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<Batch> ordered = new ArrayBlockingQueue<>(BATCHES);
        for (int i = 0; i < BATCHES; i++) free.add(new Batch(n, true)); // decoded in place
        int share = (int) Math.max(1, ((long) options.maxConnections() + n - 1) / n);
        workers = new Worker[n];
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[n];
        threads = new Thread[n + 1];
        for (int k = 0; k < n; k++) {
            inboxes[k] = new ArrayBlockingQueue<>(BATCHES);
            workers[k] = new Worker(k, inboxes[k], options, share, state, timeWait, live);
            threads[k] = start(workers[k], "teardown-worker-" + k);
        }
        merger = new Merger(ordered, free, sinks, n, state, timeWait, live);
        threads[n] = start(merger, "teardown-merger");
        reader = new BatchReader(n, hash, free, ordered, inboxes, state, options.verifyChecksums());
    }

    /** Starts {@code r} on a daemon thread named {@code name}. */
    static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // Never keeps the JVM alive, whatever went wrong.
        t.start();
        return t;
    }

    /** Waits for every thread to end (after the last batch), interrupts or not. */
    @Override
    public void join() {
        for (Thread t : threads) joinUninterruptibly(t);
    }

    @Override
    public BatchReader reader() {
        return reader;
    }

    @Override
    public RunState state() {
        return state;
    }

    @Override
    public int held() {
        int held = 0;
        for (Worker w : workers) held += w.held();
        return held;
    }

    @Override
    public long written() {
        return merger.written();
    }

    @Override
    public long dropped() {
        return workersDropped() + merger.unwritten();
    }

    @Override
    public long peak() {
        return merger.peak();
    }

    @Override
    public LiveFigures figures(long wanted, boolean wait) {
        return merger.figures(wanted, wait);
    }

    @Override
    public long now() {
        return merger.now();
    }

    /** Connections the workers wrote out early because their share of the table was full. */
    @Override
    public long evictions() {
        long evictions = 0;
        for (Worker w : workers) evictions += w.evictions();
        return evictions;
    }

    /** Connections the workers dropped unwritten when the run was abandoned. */
    private int workersDropped() {
        int dropped = 0;
        for (Worker w : workers) dropped += w.dropped();
        return dropped;
    }

    /** Takes from {@code queue}, waiting as long as it takes; an interrupt meanwhile is kept for the caller. */
    static <T> T take(BlockingQueue<T> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true; // Ctrl-C arrives through the stop flag, not interrupts.
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Puts {@code item} into {@code queue}, waiting for room as long as it takes; an interrupt is kept likewise. */
    static <T> void put(BlockingQueue<T> queue, T item) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    queue.put(item);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code t} to end; an interrupt meanwhile is kept for the caller. */
    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
