package dev.teardown.pipeline;

import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.SkipReason;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.teardown.ConnectionTracker;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one loop: packet source, decoder, connection tracker, record sinks. */
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
        Frame frame = new Frame();
        TcpSegment segment = new TcpSegment();
        DecodeStats stats = new DecodeStats();
        PacketDecoder decoder = new PacketDecoder(stats);
        long timeWait = options.timeWaitNanos();
        ConnectionTracker tracker = new ConnectionTracker(timeWait, options.idleTimeoutNanos(), c -> {
            FlowRecord r = FlowRecord.of(c, timeWait);
            for (RecordSink s : sinks) s.accept(r);
        });
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        CaptureFormatException failure = null;
        try {
            while (source.next(frame)) {
                long t = frame.timeNanos();
                if (t < first) first = t;
                if (t > last) last = t;
                if (decoder.decode(frame, segment) == PacketDecoder.Result.TCP) tracker.onSegment(segment);
            }
        } catch (CaptureFormatException e) {
            failure = e; // Keep what was read: finish and write every connection seen so far.
        }
        tracker.finish();
        return new Result(totals(stats, source, tracker, first, last), failure);
    }

    private static CaptureTotals totals(DecodeStats stats, PacketSource source, ConnectionTracker tracker,
                                        long first, long last) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            if (stats.skipped(r) > 0) skipped.put(words(r.name()), stats.skipped(r));
        }
        Map<String, Long> malformed = new LinkedHashMap<>();
        for (Anomaly a : Anomaly.values()) {
            if (stats.count(a) > 0) malformed.put(a.name(), stats.count(a));
        }
        boolean any = first != Long.MAX_VALUE;
        return new CaptureTotals(stats.packets(), stats.tcpSegments(), skipped, malformed, List.copyOf(source.warnings()),
            tracker.peakConnections(), any ? first : -1, any ? last : -1);
    }

    private static String words(String constant) {
        return constant.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
