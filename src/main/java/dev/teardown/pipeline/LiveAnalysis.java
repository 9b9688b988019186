package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.decode.FlowHash;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;

/**
 * The analysis a {@link LiveRun} feeds from its capture thread: a {@link Pipeline} on that thread, or the other threads
 * of a parallel analysis ({@link ParallelLive}: workers and a merger, or a relay), with the same rows, summary and
 * timeline either way.
 *
 * <p>Threads: every method from the capture thread, but {@link #nowNanos} (read by the sinks as they write).
 */
public interface LiveAnalysis {
    /**
     * The analysis of a live run on {@code threads} threads ({@link ThreadPlan#of}): a {@link Pipeline} for one, else
     * that many workers (at most {@link Analysis#MAX_THREADS}) and a merger; rows to {@code sinks}, TIME_WAIT figures to
     * {@code timeWait}.
     */
    static LiveAnalysis of(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait,
                           int threads) {
        return of(options, sinks, timeWait, ThreadPlan.of(threads));
    }

    /** The same on the threads {@code plan} says; every plan gives the same output. */
    static LiveAnalysis of(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait,
                           ThreadPlan plan) {
        return switch (plan.kind()) {
            case ONE -> new Pipeline(options, sinks, timeWait);
            case RELAY -> new ParallelLive(options, sinks, timeWait);
            case WORKERS -> new ParallelLive(options, sinks, timeWait, plan.workers(), FlowHash.random());
        };
    }

    /** Analyses one frame as it was captured. */
    void onFrame(Frame frame);

    /** Lets packet time pass to {@code nowNanos} without packets (a quiet capture), as {@link Pipeline#advanceTo}. */
    void advanceTo(long nowNanos);

    /**
     * One dispatch of the capture returned, having delivered {@code frames} frames, at {@code monotonicNanos}: a
     * parallel analysis hands its partial batch on when none came or its interval has passed. Nothing on one thread.
     */
    default void dispatched(int frames, long monotonicNanos) { }

    /**
     * Asks for the figures of a status sample at this point of the input, with the {@code top} server endpoints by
     * TIME-WAIT in the view and {@code names} endpoints named in the rows (0: none); {@link #figures} then gives them.
     */
    void askFigures(int top, int names);

    /** The figures last asked for, once worked out (at once on one thread), else null; each is given once. */
    LiveFigures figures();

    /** The same, waiting for them; null only when the run is being abandoned (a thread failed). */
    LiveFigures awaitFigures();

    /** Writes every connection still held, as it stands: the end of the run. */
    void finish();

    /** Ends whatever threads the analysis runs, if {@link #finish} was not called (a failure escaped the run). */
    default void close() { }

    /**
     * The heap ran out (an {@link OutOfMemoryError} escaped the run): drops every connection still held, unwritten,
     * so that the heap they filled is free for the summary, and returns how many; afterwards only the totals are
     * asked.
     */
    int discardHeld();

    /** Packets analysed so far. */
    long packets();

    /** Linux cooked frames that the loopback device carried ({@link Pipeline#loopbackFrames}). */
    long loopbackFrames();

    /** The packet time at which the record being written was finished: the rotation of outputs follows it. */
    long nowNanos();

    /** Packet-level totals, after {@link #finish}, with the source's {@code warnings}. */
    CaptureTotals totals(List<String> warnings);
}
