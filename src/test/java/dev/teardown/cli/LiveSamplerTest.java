package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.LiveCapture;
import dev.teardown.metrics.LiveMetrics;
import dev.teardown.pipeline.LiveRun.Sample;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.report.Summary;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.TrackerView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One sample feeds both views: the metrics get every sample (each second), the status its own pace with rates over
 * its own interval, and the metrics' reading holds the values the status shows.
 */
class LiveSamplerTest {
    private static final long S = 1_000_000_000L;

    private static Sample sample(long seconds, long packets) {
        TrackerView t = new TrackerView(seconds * S, 0, 3 * seconds, 0, 0, 7, 0, List.of());
        return new Sample(seconds * S, packets, new LiveCapture.Stats(packets, 0, 0), t, 2,
            List.of(new LiveEndpoints.Row(new ServerEndpoint(4, 0, 0x0a000002L, 80), "10.0.0.2:80", 1, 0, 4, List.of(),
                0, 0), new LiveEndpoints.Row(null, LiveEndpoints.OTHER, 0, 0, 0, List.of(), 0, 0)));
    }

    @Test
    void withMetricsEverySampleIsPublishedAndPlainStatusLinesStillComeEveryFiveSeconds() {
        StringWriter err = new StringWriter();
        LiveStatus status = new LiveStatus(new PrintWriter(err), false);
        LiveMetrics metrics = new LiveMetrics();
        LiveSampler sampler = new LiveSampler(status, metrics, new Summary(), 20, 60 * S);
        assertEquals(LiveSampler.METRICS_NANOS, sampler.intervalNanos());
        assertEquals(20, sampler.endpointNames());
        Sample before = sample(0, 0);
        for (int s = 1; s <= 10; s++) {
            Sample now = sample(s, 100L * s);
            sampler.print(before, now);
            before = now;
        }
        List<String> lines = err.toString().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("live 0:00:05: 500 packets"), lines.get(0));
        assertTrue(lines.get(1).contains("closes/s client 0.0, server 3.0"), "rates over the status's 5 s: " + lines.get(1));
    }

    @Test
    void withoutMetricsTheStatusPaceIsUnchangedAndNoEndpointsAreAskedFor() {
        LiveStatus status = new LiveStatus(new PrintWriter(new StringWriter()), false);
        LiveSampler sampler = new LiveSampler(status, null, new Summary(), 20, 60 * S);
        assertEquals(LiveStatus.PLAIN_NANOS, sampler.intervalNanos());
        assertEquals(0, sampler.endpointNames());
    }

    @Test
    void theReadingHoldsTheSampleValuesAndSaysWhenTimeWaitIsPartial() {
        LiveSampler sampler = new LiveSampler(new LiveStatus(new PrintWriter(new StringWriter()), false),
            new LiveMetrics(), new Summary(), 20, 60 * S);
        LiveMetrics.Reading young = sampler.reading(sample(59, 100));
        assertTrue(young.partial());
        assertEquals(100, young.packets());
        assertEquals(7, young.held());
        assertEquals(2, young.written());
        assertEquals(4, young.endpoints().get(0).timeWaitServer());
        assertEquals(Map.of(), young.idleTimeoutSeconds(), "no idle closes written yet");
        assertEquals(false, sampler.reading(sample(60, 100)).partial());
    }

    @Test
    void theInferredIdleTimeoutOfANamedEndpointComesFromTheSummary() throws Exception {
        Summary summary = new Summary();
        try (dev.teardown.capture.PacketSource source = dev.teardown.capture.CaptureFiles.open(
            java.nio.file.Path.of("samples/nginx-idle-timeout.pcap"))) {
            dev.teardown.pipeline.Analysis.run(source, dev.teardown.pipeline.AnalyzeOptions.defaults(), List.of(summary),
                dev.teardown.timewait.TimeWaitStage.none(), () -> false);
        }
        LiveSampler sampler = new LiveSampler(new LiveStatus(new PrintWriter(new StringWriter()), false),
            new LiveMetrics(), summary, 20, 60 * S);
        Sample now = new Sample(S, 1, new LiveCapture.Stats(1, 0, 0), new TrackerView(S, 0, 0, 0, 0, 0, 0, List.of()), 1,
            List.of(new LiveEndpoints.Row(new ServerEndpoint(4, 0, 0x7f000001L, 8080), "127.0.0.1:8080", 0, 0, 1,
                List.of(), 0, 0), new LiveEndpoints.Row(null, LiveEndpoints.OTHER, 0, 0, 0, List.of(), 0, 0)));
        assertEquals(2.00223, sampler.reading(now).idleTimeoutSeconds().get("127.0.0.1:8080"), 1e-6,
            "the summary's ~2.0 s (the row's idle_before_close_s)");
    }
}
