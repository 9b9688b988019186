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

/** The terminal summary drawn from figures alone: any {@link SummaryFigures}, however it was built. */
class SummaryTextTest {
    private static final SummaryFigures NONE = new SummaryFigures(0, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
        new SummaryFigures.EndpointTable(List.of(), true, 0, 4096));

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
                new SummaryFigures.Endpoint("198.51.100.7:443", 1_000_000, 0, 10, 999_990, Optional.of(http)),
                new SummaryFigures.Endpoint("[2001:db8::1]:80", 5, 2, 0, 0, Optional.empty())), false, 9000, 4096));
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
    void captureSpanBefore1970IsPrintedLikeAnyOther() {
        // 1969-12-31T23:59:50Z .. 23:59:59.5Z: negative times are ordinary packet times.
        String text = print(NONE, new CaptureTotals(2, 2, Map.of(), Map.of(), List.of(), 1,
            -10_000_000_000L, -500_000_000L));

        assertTrue(text.contains("1969-12-31T23:59:50.000000Z .. 1969-12-31T23:59:59.500000Z (9.500000 s)"), text);
    }

    @Test
    void captureWithoutPacketsHasNoSpan() {
        String text = print(NONE, new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, PacketTime.UNSET, PacketTime.UNSET));

        assertFalse(text.contains("capture span"), text);
    }
}
