package dev.teardown.pipeline;

import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import java.io.IOException;
import java.util.List;

/** Analysis of a capture file: the file loop that feeds a {@link Pipeline}. */
public final class Analysis {
    private Analysis() {}

    /**
     * The outcome of a run.
     *
     * @param totals packet-level totals
     * @param failure the error that stopped reading early, or null; everything read before it was analysed
     *     and written
     */
    public record Result(CaptureTotals totals, CaptureFormatException failure) {}

    /** Reads {@code source} to its end and hands every connection's record to {@code sinks}. */
    public static Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks)
            throws IOException {
        Pipeline pipeline = new Pipeline(options, sinks);
        Frame frame = new Frame();
        CaptureFormatException failure = null;
        try {
            while (source.next(frame)) pipeline.onFrame(frame);
        } catch (CaptureFormatException e) {
            failure = e; // Keep what was read: finish and write every connection seen so far.
        }
        pipeline.finish();
        return new Result(pipeline.totals(source.warnings()), failure);
    }
}
