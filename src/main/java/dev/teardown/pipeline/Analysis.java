package dev.teardown.pipeline;

import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Analysis of a capture file: the file loop that feeds a {@link Pipeline}. */
public final class Analysis {
    /**
     * Heap set aside for the way out when memory runs out: released first, so that the one-line message
     * and the summary can be built even if dropping the connections held frees less than expected.
     */
    static final int RESERVE_BYTES = 1 << 20;

    /** Most worker threads of one run: far more than any machine the tool runs on has cores. */
    public static final int MAX_THREADS = 64;

    private Analysis() {}

    /**
     * The heap ran out: reading stopped after {@code packets} packets and the {@code connectionsDropped}
     * connections then held were dropped unwritten; every row written before stays.
     */
    public record OutOfMemory(long packets, int connectionsDropped) {}

    /**
     * The outcome of a run.
     *
     * @param totals packet-level totals
     * @param failure the error that stopped reading early (a {@link CaptureFormatException} for a bad capture,
     *     naming the file and offset; else an I/O error), or null; everything read before it was analysed and
     *     written
     * @param outOfMemory set when the heap ran out, else null
     * @param stopped whether the run was asked to stop before the end of the input; everything read until
     *     then was analysed and written
     */
    public record Result(CaptureTotals totals, IOException failure, OutOfMemory outOfMemory,
                         boolean stopped) {}

    /** Reads {@code source} to its end and hands every connection's record to {@code sinks}. */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks) {
        return run(source, options, sinks, () -> false);
    }

    /**
     * Reads {@code source} to its end, or until {@code stop} says so (checked before each packet: an
     * interrupt), and hands every connection's record to {@code sinks}.
     *
     * <p>If the heap runs out, the connections held are dropped unwritten rather than letting the error
     * escape, so that the caller can keep and flush everything written so far and say so in one line.
     */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                             BooleanSupplier stop) {
        return run(source, options, sinks, TimeWaitStage.none(), stop);
    }

    /** The same, also keeping {@code timeWait} told about every segment and connection. */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                             TimeWaitStage timeWait, BooleanSupplier stop) {
        return run(source, options, sinks, timeWait, stop, ReadProgress.NONE);
    }

    /** The same, also telling {@code progress} how far reading has got every so many packets. */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                             TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress) {
        return run(source, options, sinks, timeWait, stop, progress, 1);
    }

    /**
     * The same on {@code threads} threads besides the reading one, when {@code threads} is 2 or more: the output,
     * {@code timeWait}'s figures and rows included, is the same as with one thread (see {@link ParallelAnalysis}),
     * except which connections are written out early once the bound on connections held is reached, since each
     * thread then evicts from its own share of it.
     */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                             TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress, int threads) {
        return run(source, options, sinks, timeWait, stop, progress, ThreadPlan.of(threads));
    }

    /** The same on the threads {@code plan} says; every plan gives the same output. */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                             TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress, ThreadPlan plan) {
        return switch (plan.kind()) {
            case ONE -> runOne(source, options, sinks, timeWait, stop, progress);
            case RELAY -> ParallelAnalysis.relay(source, options, sinks, timeWait, stop, progress);
            case WORKERS -> ParallelAnalysis.run(source, options, sinks, timeWait, stop, progress, plan.workers());
        };
    }

    /** The same on the calling thread alone. */
    private static Result runOne(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                                 TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress) {
        byte[] reserve = new byte[RESERVE_BYTES];
        Pipeline pipeline = new Pipeline(options, sinks, timeWait, false);
        Frame frame = new Frame();
        IOException failure = null;
        OutOfMemory outOfMemory = null;
        boolean stopped = false;
        int heldAtEnd = -1;
        long writtenAtEnd = 0;
        try {
            try {
                String file = null;
                int interval = Math.max(1, progress.packetsBetweenCalls());
                int countdown = interval;
                while (!(stopped = stop.getAsBoolean()) && source.next(frame)) {
                    // The same String while one file is read: a reference comparison per packet.
                    if (source.name() != file) pipeline.fileStarted(file = source.name());
                    pipeline.onFrame(frame);
                    if (--countdown == 0) {
                        countdown = interval;
                        progress.reached(source.bytesRead(), pipeline.packets(), pipeline.heldConnections(),
                            pipeline.recordsWritten(), file);
                    }
                }
            } catch (IOException e) {
                failure = e; // Keep what was read: finish and write every connection seen so far.
            }
            heldAtEnd = pipeline.heldConnections();
            writtenAtEnd = pipeline.recordsWritten();
            pipeline.finish();
        } catch (OutOfMemoryError e) {
            reserve = null;
            // The tracker may be mid-update; it is not used again. What it holds is what filled the heap.
            int held = pipeline.discardHeld();
            if (heldAtEnd >= 0) {
                // Ran out while writing the rest at the end: the table was already emptied into a list.
                held = (int) Math.max(0, heldAtEnd - (pipeline.recordsWritten() - writtenAtEnd));
            }
            outOfMemory = new OutOfMemory(pipeline.packets(), held);
        }
        java.lang.ref.Reference.reachabilityFence(reserve);
        return new Result(pipeline.totals(source.warnings()), failure, outOfMemory, stopped);
    }
}
