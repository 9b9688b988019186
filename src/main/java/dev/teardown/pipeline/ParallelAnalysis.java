package dev.teardown.pipeline;

import dev.teardown.capture.PacketSource;
import dev.teardown.decode.FlowHash;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;
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
 * thread's order ({@link Replay}). The threads and the reading thread's part are a {@link Team}.
 *
 * <p>The same reading thread can instead feed a {@link Relay} ({@link #relay}): one thread runs everything after the
 * decoder and another writes the rows, with no merger; both are driven through the {@link Crew} seam.
 *
 * <p>The bound on connections held is split evenly between the workers, each evicting from its own share: one
 * thread evicts the oldest connection of the whole table, so when the bound is reached the connections written
 * out early may differ from one thread's. Memory: the connections held, plus {@link #BATCHES} batches in flight
 * with what the workers recorded for them.
 */
final class ParallelAnalysis {
    /** Batches in flight: the reader runs at most this far ahead of the slowest worker and the merger. */
    static final int BATCHES = Team.BATCHES;

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
        return run(source, options, timeWait, stop, progress, new Team(options, sinks, timeWait, workers, hash, false));
    }

    /** Reads {@code source} like {@link Analysis#run} with one thread, on a relay ({@link Relay}). */
    static Analysis.Result relay(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                                 TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress) {
        return run(source, options, timeWait, stop, progress, new Relay(options, sinks, timeWait, false));
    }

    /** Reads {@code source} on the threads of {@code crew}, which write to the sinks and tell {@code timeWait}. */
    private static Analysis.Result run(PacketSource source, AnalyzeOptions options, TimeWaitStage timeWait,
                                       BooleanSupplier stop, ReadProgress progress, Crew crew) {
        RunState state = crew.state();
        BatchReader reader = crew.reader();
        byte[] reserve = new byte[Analysis.RESERVE_BYTES];
        BatchReader.Ended ended = reader.readAll(source, stop, progress, crew::held, crew::written);
        crew.join();
        if (state.ranOutOfMemory()) reserve = null; // Room for the summary and the one-line message.
        java.lang.ref.Reference.reachabilityFence(reserve);
        state.rethrow();
        Analysis.OutOfMemory outOfMemory = state.ranOutOfMemory()
            ? new Analysis.OutOfMemory(reader.stats.packets(), (int) Math.min(Integer.MAX_VALUE, crew.dropped()))
            : null;
        CaptureTotals totals = Pipeline.totals(reader.stats, source.warnings(), crew.evictions(), options.maxConnections(),
            timeWait.warnings(), crew.peak(), reader.first, reader.last);
        return new Analysis.Result(totals, ended.failure(), outOfMemory, ended.stopped());
    }
}
