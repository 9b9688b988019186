package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The terminal summary drawn from figures alone: any {@link SummaryFigures}, however it was built. */
class SummaryTextTest {
    private static final SummaryFigures NONE = new SummaryFigures(0, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
        new SummaryFigures.EndpointTable(List.of(), true, 0, 4096), HalfClosedFigures.NONE);

    private static String print(SummaryFigures figures, CaptureTotals totals) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            SummaryText.print(w, figures, "test.pcapng", totals, 60);
        }
        return out.toString();
    }

    @Test
    void handBuiltFiguresArePrintedWithNoSummaryBehindThem() {
        HttpFigures http = new HttpFigures(900_000, 2.4, 2, 4, 100, OptionalInt.of(75),
            Optional.of(new HttpFigures.IdleCloses(5000, 1024, 1_500_000_000L, 60_000_000_000L, 74_900_000_000L)), 10,
            Map.of(CloseReason.CLIENT_CLOSE, 3L, CloseReason.SERVER_IDLE_TIMEOUT, 7L));
        SummaryFigures figures = new SummaryFigures(1_234_567, 1,
            Map.of(CloseType.RST, 234_567L, CloseType.FIN, 1_000_000L), Map.of(Sides.CLIENT, 1_234_567L),
            Map.of(Sides.CLIENT, 1_000_000L, Sides.NONE, 234_567L), Map.of(Anomaly.FIN_RETRANSMITTED, 2L),
            Map.of(HttpAnomaly.STREAM_GAP, 3L),
            new SummaryFigures.EndpointTable(List.of(
                new SummaryFigures.Endpoint("198.51.100.7:443", 1_000_000, 0, 10, 999_990, Optional.of(http), HalfClosedFigures.NONE),
                new SummaryFigures.Endpoint("[2001:db8::1]:80", 5, 2, 0, 0, Optional.empty(), HalfClosedFigures.NONE)),
                false, 9000, 4096), HalfClosedFigures.NONE);
        CaptureTotals totals = new CaptureTotals(5, 4, Map.of("not-ip", 1L), Map.of(), List.of("w\u001b"), 3, 0,
            1_500_000_000L);

        // Counts in their enum's order though the maps had none; percentages of the 10 server-held TIME_WAITs.
        assertEquals(String.join("\n",
            "test.pcapng",
            "packets            5 read, 4 TCP, 1 skipped (not-ip 1)",
            "capture span       1970-01-01T00:00:00.000000Z .. 1970-01-01T00:00:01.500000Z (1.500000 s)",
            "connections        1,234,567 (at most 3 open at once)",
            "",
            "how they ended     fin 1,000,000, rst 234,567",
            "closed first by    client 1,234,567",
            "TIME_WAIT held by  none 234,567, client 1,000,000  (TIME_WAIT = 60 s)",
            "tuple reuse        1 new SYN while the tuple was in TIME_WAIT",
            "",
            "  server endpoint   connections   TIME_WAIT server   TIME_WAIT client",
            "  198.51.100.7:443    1,000,000                 10            999,990",
            "  [2001:db8::1]:80            5                  0                  0  (plus up to 2 before it was tracked)",
            "  (up to 8,998 more server endpoints, 234,562 connections; 4,096 endpoints tracked at a time, rows exact"
                + " unless marked)",
            "",
            "HTTP by server endpoint",
            "  198.51.100.7:443  requests per connection: mean 2.4, p50 2, p90 4, max 100 (900,000 HTTP connections)",
            "    closes idle keep-alive connections after ~60.0 s (n=5,000, sampled 1,024, p10 1.5, p90 74.9); it"
                + " advertises Keep-Alive: timeout=75; this causes 70% of its 10 TIME_WAIT entries",
            "    server-held TIME_WAIT by close reason: server-idle-timeout 70%, client-close 30%",
            "",
            "anomalies          FIN_RETRANSMITTED 2, STREAM_GAP 3  (connections)",
            "warning            w\\x1b",
            ""), print(figures, totals));
    }

    @Test
    void httpsConnectionsAreSaidToBeEstimatesInTheRequestsLine() {
        HttpFigures http = new HttpFigures(10, 3.0, 3, 3, 3, OptionalInt.empty(), Optional.empty(), 0, Map.of(),
            List.of(), List.of(), 4);
        SummaryFigures figures = new SummaryFigures(10, 0, Map.of(CloseType.FIN, 10L), Map.of(Sides.CLIENT, 10L),
            Map.of(Sides.CLIENT, 10L), Map.of(), Map.of(), new SummaryFigures.EndpointTable(List.of(
                new SummaryFigures.Endpoint("127.0.0.1:443", 10, 0, 0, 10, Optional.of(http), HalfClosedFigures.NONE)),
                true, 1, 4096), HalfClosedFigures.NONE);
        String text = print(figures, new CaptureTotals(1, 1, Map.of(), Map.of(), List.of(), 1, 0, 1));
        assertTrue(text.contains("  127.0.0.1:443  requests per connection: mean 3.0, p50 3, p90 3, max 3 (10 HTTP"
            + " connections; 4 over TLS: exchanges estimated from encrypted turns)"), text);
    }

    /** The summary of one HTTP endpoint whose idle closes had these percentiles (seconds), as its idle line. */
    private static String idleLine(long count, double p10, double median, double p90) {
        HttpFigures http = new HttpFigures(count, 1.0, 1, 1, 1, OptionalInt.empty(),
            Optional.of(new HttpFigures.IdleCloses(count, (int) Math.min(count, 1024), nanos(p10), nanos(median),
                nanos(p90))), count, Map.of(CloseReason.SERVER_IDLE_TIMEOUT, count));
        SummaryFigures figures = new SummaryFigures(count, 0, Map.of(CloseType.FIN, count), Map.of(Sides.SERVER, count),
            Map.of(Sides.SERVER, count), Map.of(), Map.of(), new SummaryFigures.EndpointTable(List.of(
                new SummaryFigures.Endpoint("127.0.0.1:8080", count, 0, count, 0, Optional.of(http), HalfClosedFigures.NONE)),
                true, 1, 4096), HalfClosedFigures.NONE);
        String text = print(figures, new CaptureTotals(1, 1, Map.of(), Map.of(), List.of(), 1, 0, 1));
        return text.lines().filter(l -> l.contains("closes idle")).findFirst().orElseThrow();
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    @ParameterizedTest(name = "p10 {1}, median {2}, p90 {3}: {4}")
    @CsvSource(delimiter = '|', value = {
        // lighttpd max-keep-alive-idle = 5: it checks idle connections once a second, so closes come 5 to 6 s late.
        "40|5.1|5.6|6.05|n=40, p10 5.1, p90 6.1; likely a 5 s setting checked once a second, as lighttpd does",
        // The live run: "~6.0 s" for lighttpd configured at 5.
        "200|5.2|6.0|6.1|n=200, p10 5.2, p90 6.1; likely a 5 s setting checked once a second, as lighttpd does",
        // Measured here, lighttpd 1.4.69 with 12 staggered idle clients: set to 5, then to 2 (three runs). Its
        // check comes up to a second after the tick, and the response's second may be stale: up to 2 s late.
        "12|5.51|6.01|6.33|n=12, p10 5.5, p90 6.3; likely a 5 s setting checked once a second, as lighttpd does",
        "12|2.69|3.18|3.46|n=12, p10 2.7, p90 3.5; likely a 2 s setting checked once a second, as lighttpd does",
        "12|2.59|3.16|3.42|n=12, p10 2.6, p90 3.4; likely a 2 s setting checked once a second, as lighttpd does",
        "9|1.97|2.34|2.67|n=9, p10 2.0, p90 2.7; likely a 2 s setting checked once a second, as lighttpd does",
        // nginx keepalive_timeout 2s: a millisecond timer fires on time.
        "50|2.0002|2.001|2.003|n=50, p10 2.0, p90 2.0; likely 2 s",
        // A close measured a little early (the timer started before the response's last bytes were captured).
        "50|1.95|2.0|2.01|n=50, p10 2.0, p90 2.0; likely 2 s",
        // One close that happened to come right after the whole second: the setting, whatever checks it.
        "1|2.002|2.002|2.002|n=1, p10 2.0, p90 2.0; likely 2 s",
        // Spread past a second and a fifth, or ending 2 s or more past the setting: no single setting explains them.
        "40|5.0|5.8|6.3|n=40, p10 5.0, p90 6.3",
        "40|5.85|6.4|7.0|n=40, p10 5.9, p90 7.0",
        "5000|1.5|60.0|74.9|n=5,000, sampled 1,024, p10 1.5, p90 74.9",
        // Tight, but away from a whole second: neither a whole-second timer on time nor one checked once a second.
        "40|2.5|2.52|2.54|n=40, p10 2.5, p90 2.5",
        "1|2.7|2.7|2.7|n=1, p10 2.7, p90 2.7",
        // Under a second: no whole-second setting.
        "40|0.3|0.35|0.4|n=40, p10 0.3, p90 0.4",
    })
    void idleClosesNameTheSettingTheyMostLikelyComeFrom(long count, double p10, double median, double p90,
                                                         String expected) {
        assertEquals(String.format(java.util.Locale.ROOT,
            "    closes idle keep-alive connections after ~%.1f s (%s); this causes 100%% of its %,d TIME_WAIT entries",
            median, expected, count), idleLine(count, p10, median, p90));
    }

    @Test
    void captureSpanBefore1970IsPrintedLikeAnyOther() {
        // 1969-12-31T23:59:50Z .. 23:59:59.5Z: negative times are ordinary packet times.
        String text = print(NONE, new CaptureTotals(2, 2, Map.of(), Map.of(), List.of(), 1,
            -10_000_000_000L, -500_000_000L));

        assertTrue(text.contains("1969-12-31T23:59:50.000000Z .. 1969-12-31T23:59:59.500000Z (9.500000 s)"), text);
    }

    @Test
    void tunnelledPacketsAreCountedPerEncapsulationOnALineOfTheirOwn() {
        Map<String, Long> tunnels = new java.util.LinkedHashMap<>();
        tunnels.put("gre", 56L);
        tunnels.put("vxlan", 1_234L);
        String text = print(NONE, new CaptureTotals(1_290, 1_290, Map.of(), Map.of(), List.of(), 1, 0, 1, tunnels));

        assertTrue(text.contains("\ntunnelled          gre 56, vxlan 1,234 packets\n"), text);
        assertFalse(print(NONE, new CaptureTotals(1, 1, Map.of(), Map.of(), List.of(), 1, 0, 1)).contains("tunnelled"));
    }

    @Test
    void notesArePrintedUnderTheirOwnLabelBeforeTheWarningsAndAreNotWarnings() {
        CaptureTotals totals = new CaptureTotals(1, 1, Map.of(), Map.of(), List.of("w"), 1, 0, 1)
            .withNote(new CaptureTotals.Note("libpcap", "620 received, 0 dropped, 0 dropped by the interface\u001b"));
        String text = print(NONE, totals);

        assertTrue(text.endsWith("libpcap            620 received, 0 dropped, 0 dropped by the interface\\x1b\n"
            + "warning            w\n"), text);
        assertFalse(text.contains("warning            620"), text);
    }

    @Test
    void captureWithoutPacketsHasNoSpan() {
        String text = print(NONE, new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, PacketTime.UNSET, PacketTime.UNSET));

        assertFalse(text.contains("capture span"), text);
    }
}
