package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The timeline downsampled for charts: closes summed and populations kept at their highest per bucket, buckets that
 * double as the capture grows, a bounded set of endpoints, and the whole stage's series against its own rows.
 */
class TimelineSeriesTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    /** A row of {@code ip}:80 at second {@code t}: TIME_WAIT held by server and client, closes by the server. */
    private static TimelineRow row(long t, String ip, long server, long client, long closesServer) {
        long[] counts = new long[Count.values().length];
        counts[Count.TIME_WAIT_SERVER.ordinal()] = server;
        counts[Count.TIME_WAIT_CLIENT.ordinal()] = client;
        counts[Count.CLOSES_SERVER.ordinal()] = closesServer;
        counts[Count.RESETS.ordinal()] = closesServer > 0 ? 1 : 0;
        return new TimelineRow(T0 + t * S, ip, 80, counts, false);
    }

    @Test
    void closesAreSummedOverEndpointsAndPopulationsKeptPerEndpointAtOneStepABucket() {
        TimelineSeries s = new TimelineSeries(S);
        s.accept(row(0, "10.0.0.1", 1, 0, 1));
        s.accept(row(0, "10.0.0.2", 0, 2, 3));
        s.accept(row(2, "10.0.0.1", 5, 0, 4));
        SeriesFigures f = s.figures(T0 + 3 * S);
        assertEquals(new Series(T0, S, new long[] {4, 0, 4, 0}), f.closesServer());
        assertEquals(new Series(T0, S, new long[] {2, 0, 1, 0}), f.resets());
        assertEquals(0, f.closesClient().sum());
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), f.endpoints().stream().map(SeriesFigures.EndpointSeries::ip).toList(),
            "highest peak first");
        assertArrayEquals(new long[] {1, 0, 5, 0}, f.endpoints().get(0).server().values(), "no row: nothing held");
        assertArrayEquals(new long[] {2, 0, 0, 0}, f.endpoints().get(1).client().values());
        assertTrue(f.endpoints().get(0).complete());
    }

    @Test
    void bucketsDoubleWhenTheCaptureOutgrowsThemAndEverySeriesEndsAlike() {
        TimelineSeries s = new TimelineSeries(S);
        long closes = 0;
        for (long t = 0; t < 1000; t++) {
            s.accept(row(t, "10.0.0.1", t, 0, t % 3));
            closes += t % 3;
            if (t >= 700) s.accept(row(t, "10.0.0.2", 0, 1000 - t, 0));
        }
        SeriesFigures f = s.figures(T0 + 999 * S);
        Series server = f.endpoints().get(0).server();
        assertEquals(4 * S, server.bucketNanos(), "1,000 s in at most 256 buckets: 4 s each");
        assertTrue(server.size() <= TimelineSeries.BUCKETS);
        assertEquals(999, server.max(), "the highest value survives the merges");
        assertEquals(closes, f.closesServer().sum(), "sums survive them");
        for (Series other : List.of(f.closesServer(), f.resets(), f.endpoints().get(1).client())) {
            assertEquals(List.of(server.originNanos(), server.bucketNanos(), (long) server.size()),
                List.of(other.originNanos(), other.bucketNanos(), (long) other.size()), "one grid for every series");
        }
        assertEquals(300, f.endpoints().get(1).client().max(), "a late endpoint on the same grid");
    }

    @Test
    void atMostSixtyFourEndpointsAreHeldTheLowestPeakMakingRoomAndLaterOnesMarkedIncomplete() {
        TimelineSeries s = new TimelineSeries(S);
        s.accept(row(0, "10.0.0.255", 1000, 0, 0));
        for (int i = 0; i < 200; i++) s.accept(row(1, "10.0." + (1 + i / 250) + "." + (i % 250), 1 + i % 50, 0, 0));
        s.accept(row(2, "10.0.0.255", 1001, 0, 0));
        SeriesFigures f = s.figures(T0 + 2 * S);
        assertEquals(TimelineSeries.ENDPOINTS, f.endpoints().size());
        SeriesFigures.EndpointSeries busiest = f.endpoints().get(0);
        assertEquals("10.0.0.255", busiest.ip(), "the busiest stays");
        assertTrue(busiest.complete());
        assertArrayEquals(new long[] {1000, 0, 1001}, busiest.server().values());
        assertTrue(f.endpoints().stream().filter(e -> !e.complete()).count() > 0,
            "those taken in after a drop may have held TIME_WAIT unseen before");
        assertEquals(50, f.endpoints().get(1).server().max());
    }

    @Test
    void openConnectionsAloneTakeNoEndpointPlaceAndNoRowsGiveNoSeries() {
        TimelineSeries s = new TimelineSeries(S);
        assertEquals(SeriesFigures.EMPTY, s.figures(T0));
        long[] open = new long[Count.values().length];
        open[Count.OPEN.ordinal()] = 7;
        s.accept(new TimelineRow(T0, "10.0.0.1", 80, open, false));
        SeriesFigures f = s.figures(T0 + S);
        assertTrue(f.endpoints().isEmpty(), "a scan's open connections hold no chart");
        assertEquals(2, f.closesServer().size(), "the grid starts at the first row");
    }

    @Test
    void theStagesSeriesAreItsOwnTimelineRowsDownsampled() throws Exception {
        List<TimelineRow> rows = new ArrayList<>();
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * S, 3600 * S), rows::add);
        try (PacketSource source = CaptureFiles.open(List.of(Path.of("samples/nginx-keepalive-requests.pcap"),
            Path.of("samples/curl-connection-close.pcap"), Path.of("samples/ab-http10.pcap")))) {
            Analysis.run(source, new AnalyzeOptions(60 * S, 3600 * S), List.of(), stage, () -> false);
        }
        TimeWaitFigures f = stage.figures().orElseThrow();
        SeriesFigures s = f.series();
        assertFalse(rows.isEmpty());
        assertEquals(rows.stream().mapToLong(r -> r.count(Count.CLOSES_SERVER)).sum(), s.closesServer().sum());
        assertEquals(rows.stream().mapToLong(r -> r.count(Count.CLOSES_CLIENT)).sum(), s.closesClient().sum());
        assertEquals(rows.stream().mapToLong(r -> r.count(Count.CLOSES_BOTH)).sum(), s.closesBoth().sum());
        assertEquals(rows.get(0).timeNanos(), s.closesServer().originNanos());
        for (TimeWaitFigures.EndpointRow e : f.endpoints()) {
            SeriesFigures.EndpointSeries es = s.endpoint(e.ip(), e.port()).orElseThrow();
            assertEquals(e.server().value(), es.server().max(), "the chart's highest step is the peak");
            assertEquals(e.client().value(), es.client().max());
        }
    }
}
