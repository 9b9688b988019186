package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.FlowHash;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * Analysis of a capture file on several threads, with exactly the output of one ({@link Analysis}): the same
 * records in the same order, numbered alike, and the same totals.
 *
 * <p>The calling thread reads and decodes every frame (one decoder: it alone decides which frames are TCP, so
 * it counts every skipped and malformed frame, and packet time moves at exactly the segments where one thread's
 * moves), and copies each segment into a {@link Batch} with the worker its connection belongs to, by
 * {@link FlowHash} (both directions of a connection to one worker). Each {@link Worker} walks every batch in
 * packet order; the {@link Merger} thread puts their records in one thread's order for the sinks and hands the
 * batch back. The TIME_WAIT stage, which follows every segment across connections, runs on the merger thread: the
 * workers record what it is told, with a snapshot of the connection then, and the merger replays it in one
 * thread's order ({@link Replay}).
 *
 * <p>The bound on connections held is split evenly between the workers, each evicting from its own share: one
 * thread evicts the oldest connection of the whole table, so when the bound is reached the connections written
 * out early may differ from one thread's. Memory: the connections held, plus {@link #BATCHES} batches in flight
 * with what the workers recorded for them.
 */
final class ParallelAnalysis {
    /** Batches in flight: the reader runs at most this far ahead of the slowest worker and the merger. */
    static final int BATCHES = 8;

    private ParallelAnalysis() {}

    /** Reads {@code source} like {@link Analysis#run} with one thread, on {@code workers} worker threads (2 to 127). */
    static Analysis.Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                               TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress, int workers) {
        return run(source, options, sinks, timeWait, stop, progress, workers, FlowHash.random());
    }

    /** The same, giving each connection to the worker {@code hash} names (tests fix its key). */
    static Analysis.Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                               TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress, int workers,
                               FlowHash hash) {
        if (workers < 2 || workers > Byte.MAX_VALUE) throw new IllegalArgumentException("workers: " + workers);
        RunState state = new RunState();
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
        BlockingQueue<Batch> ordered = new ArrayBlockingQueue<>(BATCHES);
        for (int i = 0; i < BATCHES; i++) free.add(new Batch(workers));
        int share = (int) Math.max(1, ((long) options.maxConnections() + workers - 1) / workers);
        Worker[] team = new Worker[workers];
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[workers];
        Thread[] threads = new Thread[workers + 1];
        for (int k = 0; k < workers; k++) {
            inboxes[k] = new ArrayBlockingQueue<>(BATCHES);
            team[k] = new Worker(k, inboxes[k], options, share, state, timeWait);
            threads[k] = start(team[k], "teardown-worker-" + k);
        }
        Merger merger = new Merger(ordered, free, sinks, workers, state, timeWait);
        threads[workers] = start(merger, "teardown-merger");

        byte[] reserve = new byte[Analysis.RESERVE_BYTES];
        Reader reader = new Reader(source, workers, hash, free, ordered, inboxes, state, options.verifyChecksums());
        IOException failure = null;
        boolean stopped = false;
        try {
            stopped = reader.read(stop, progress, team, merger);
        } catch (IOException e) {
            failure = e; // Keep what was read: finish and write every connection seen so far.
        } catch (OutOfMemoryError e) {
            reserve = null;
            state.outOfMemory();
        } catch (RuntimeException | Error e) {
            state.failed(e); // As with one thread, it escapes unfinished; but only once no thread writes any more.
        } finally {
            reader.end(); // Always: the threads end with the last batch.
        }
        for (Thread t : threads) joinUninterruptibly(t);
        if (state.ranOutOfMemory()) reserve = null; // Room for the summary and the one-line message.
        java.lang.ref.Reference.reachabilityFence(reserve);
        Throwable broken = state.failure();
        if (broken instanceof RuntimeException e) throw e;
        if (broken instanceof Error e) throw e;
        if (broken != null) throw new IllegalStateException(broken);

        long evictions = 0;
        int dropped = 0;
        for (Worker w : team) {
            evictions += w.evictions();
            dropped += w.dropped();
        }
        Analysis.OutOfMemory outOfMemory = state.ranOutOfMemory()
            ? new Analysis.OutOfMemory(reader.stats.packets(), (int) Math.min(Integer.MAX_VALUE, dropped + merger.unwritten()))
            : null;
        CaptureTotals totals = Pipeline.totals(reader.stats, source.warnings(), evictions, options.maxConnections(),
            timeWait.warnings(), merger.peak(), reader.first, reader.last);
        return new Analysis.Result(totals, failure, outOfMemory, stopped);
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // Never keeps the JVM alive, whatever went wrong.
        t.start();
        return t;
    }

    private static void joinUninterruptibly(Thread t) {
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

    /** The calling thread's part: reads, decodes, hashes and copies segments into batches; allocates nothing per packet. */
    private static final class Reader {
        private final PacketSource source;
        private final int workers;
        private final FlowHash hash;
        private final BlockingQueue<Batch> free;
        private final BlockingQueue<Batch> ordered;
        private final BlockingQueue<Batch>[] inboxes;
        private final RunState state;
        final DecodeStats stats = new DecodeStats();
        private final PacketDecoder decoder;
        private final TcpSegment segment = new TcpSegment();
        private Batch batch;
        long first = PacketTime.UNSET;
        long last = PacketTime.UNSET;

        Reader(PacketSource source, int workers, FlowHash hash, BlockingQueue<Batch> free, BlockingQueue<Batch> ordered,
               BlockingQueue<Batch>[] inboxes, RunState state, boolean verifyChecksums) {
            this.decoder = new PacketDecoder(stats, verifyChecksums);
            this.source = source;
            this.workers = workers;
            this.hash = hash;
            this.free = free;
            this.ordered = ordered;
            this.inboxes = inboxes;
            this.state = state;
            this.batch = take(free);
        }

        /** Reads to the end, or until {@code stop} says so or the run is abandoned; returns whether stopped. */
        boolean read(BooleanSupplier stop, ReadProgress progress, Worker[] team, Merger merger) throws IOException {
            Frame frame = new Frame();
            String file = null;
            long index = 1; // Packets are numbered from 1, like connections: a packet's number can be its connection's.
            int interval = Math.max(1, progress.packetsBetweenCalls());
            int countdown = interval;
            boolean stopped;
            while (!(stopped = stop.getAsBoolean()) && !state.stopping() && source.next(frame)) {
                // The same String while one file is read: a reference comparison per packet.
                if (source.name() != file) batch.fileStarted(index, file = source.name());
                long t = frame.timeNanos();
                if (t < first || !PacketTime.isSet(first)) first = t;
                if (t > last) last = t;
                if (decoder.decode(frame, segment) == PacketDecoder.Result.TCP) {
                    batch.add(segment, index, hash.worker(segment, workers));
                    if (batch.full()) {
                        publish();
                        batch = take(free);
                    }
                }
                index++;
                if (--countdown == 0) {
                    countdown = interval;
                    int held = 0;
                    for (Worker w : team) held += w.held();
                    progress.reached(source.bytesRead(), stats.packets(), held, merger.written(), file);
                }
            }
            return stopped;
        }

        /** Hands on what is left as the last batch: the workers then finish every connection they hold. */
        void end() {
            if (batch == null) batch = take(free);
            batch.last = true;
            publish();
        }

        /** Hands the batch to every worker and, in reading order, to the merger; none is held after. */
        private void publish() {
            Batch b = batch;
            batch = null;
            for (BlockingQueue<Batch> inbox : inboxes) inbox.add(b);
            ordered.add(b);
        }

        private static Batch take(BlockingQueue<Batch> queue) {
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
    }
}
