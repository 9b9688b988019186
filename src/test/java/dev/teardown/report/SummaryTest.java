package dev.teardown.report;

import static dev.teardown.report.Records.NO_HTTP;
import static dev.teardown.report.Records.S;
import static dev.teardown.report.Records.idleClose;
import static dev.teardown.report.Records.lines;
import static dev.teardown.report.Records.print;
import static dev.teardown.report.Records.scanned;
import static dev.teardown.report.Records.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal summary's endpoint table: exact below its capacity, bounded and honest above it. */
class SummaryTest {

    /** The table rows (after the header, before the footer) as printed. */
    private static List<String> rows(String out) {
        List<String> all = out.lines().toList();
        int header = all.indexOf(all.stream().filter(l -> l.startsWith("  server endpoint")).findFirst().orElseThrow());
        return all.subList(header + 1, all.size()).stream().takeWhile(l -> l.startsWith("  ") && !l.startsWith("  ("))
            .toList();
    }

    private static String footer(String out) {
        List<String> f = lines(out, "  (");
        assertEquals(1, f.size(), out);
        return f.get(0);
    }

    @Test
    void aScanOfTwoHundredThousandEndpointsKeepsTheEndpointTableAtItsCapacity() {
        Summary s = new Summary();
        for (int i = 0; i < 200_000; i++) {
            s.accept(scanned(i));
            if (i % 50 == 0) s.accept(to("10.0.0.2", 80, Sides.SERVER, NO_HTTP));
        }
        assertEquals(Summary.ENDPOINT_CAPACITY, s.trackedEndpoints(), "server endpoints held");
        String out = print(s);
        List<String> rows = rows(out);
        assertEquals(15, rows.size(), out);
        // The busy server is in the capture from its start: its row is exact and unmarked.
        assertEquals(List.of("10.0.0.2:80", "4,000", "4,000", "0"), List.of(rows.get(0).trim().split("\\s+")));
        // Every scanned endpoint was new: 200,001 endpoints entered the table, 15 are shown; the rest of the
        // 204,000 connections are those not in a row (14 scanned rows of 1).
        assertEquals("  (up to 199,986 more server endpoints, 199,986 connections; 4,096 endpoints tracked at a"
            + " time, rows exact unless marked)", footer(out));
    }

    @Test
    void aBusyEndpointFirstSeenAfterTheTableFilledIsShownWithItsErrorBound() {
        Summary s = new Summary(100);
        for (int i = 0; i < 1000; i++) s.accept(scanned(i));
        for (int i = 0; i < 500; i++) {
            s.accept(to("10.0.0.2", 80, Sides.SERVER, NO_HTTP));
            s.accept(scanned(1000 + i));
        }
        String out = print(s);
        String first = rows(out).get(0);
        // Counted since it entered the table (all 500: it was new then), and marked with how many connections
        // it might have had before: at most the smallest count in the table then, 1,000 / 100.
        assertTrue(first.startsWith("  10.0.0.2:80 "), out);
        String[] f = first.trim().split("\\s+");
        assertEquals(List.of("10.0.0.2:80", "500", "500", "0"), List.of(f).subList(0, 4), first);
        String mark = first.substring(first.indexOf("(plus up to "));
        long bound = Long.parseLong(mark.replaceAll("\\D", ""));
        assertTrue(bound >= 1 && bound <= 10, first);
        assertEquals("(plus up to " + bound + " before it was tracked)", mark);
    }

    @Test
    void upToTheCapacityEveryEndpointIsCountedExactlyAndPrintedAsBefore() {
        Summary s = new Summary(20);
        Summary unbounded = new Summary(1 << 16);
        for (int round = 0; round < 20; round++) {
            for (int k = round; k < 20; k++) {
                FlowRecord r = to("192.0.2." + k, 80 + k, k % 3 == 0 ? Sides.CLIENT : Sides.SERVER, NO_HTTP);
                s.accept(r);
                unbounded.accept(r);
            }
        }
        String out = print(s);
        assertEquals(print(unbounded), out);
        assertEquals("  (5 more server endpoints)", footer(out));
        assertEquals(List.of("192.0.2.19:99", "20", "20", "0"), List.of(rows(out).get(0).trim().split("\\s+")));
        assertFalse(out.contains("plus up to"), out);

        s.accept(to("198.51.100.1", 443, Sides.SERVER, NO_HTTP));
        assertTrue(footer(print(s)).startsWith("  (up to 6 more server endpoints, "), print(s));
    }

    @Test
    void theHttpFiguresOfAnEndpointAreDroppedWithItAndMarkedWhenPartial() {
        Summary s = new Summary(2);
        for (int i = 0; i < 3; i++) s.accept(to("192.0.2.1", 80, Sides.SERVER, idleClose(5 * S, 5)));
        s.accept(to("192.0.2.2", 80, Sides.SERVER, idleClose(5 * S, 5)));
        // A third endpoint replaces 192.0.2.2 (the fewest connections); its HTTP figures go with it.
        s.accept(to("192.0.2.3", 80, Sides.SERVER, idleClose(7 * S, 7)));
        String out = print(s);
        assertEquals(List.of(
            "  192.0.2.1:80  requests per connection: mean 1.0, p50 1, p90 1, max 1 (3 HTTP connections)",
            "  192.0.2.3:80 (since tracked)  requests per connection: mean 1.0, p50 1, p90 1, max 1 (1 HTTP connections)"),
            out.lines().filter(l -> l.contains("requests per connection")).toList(), out);
        assertFalse(out.contains("192.0.2.2"), out);
    }

    private static String printTotals(CaptureTotals totals) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            new Summary().print(w, "test.pcapng", totals, 60);
        }
        return out.toString();
    }

    @Test
    void captureSpanBefore1970IsPrintedLikeAnyOther() {
        // 1969-12-31T23:59:50Z .. 23:59:59.5Z: negative times are ordinary packet times.
        String text = printTotals(new CaptureTotals(2, 2, Map.of(), Map.of(), List.of(), 1,
            -10_000_000_000L, -500_000_000L));

        assertTrue(text.contains("1969-12-31T23:59:50.000000Z .. 1969-12-31T23:59:59.500000Z (9.500000 s)"), text);
    }

    @Test
    void captureWithoutPacketsHasNoSpan() {
        String text = printTotals(new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, PacketTime.UNSET, PacketTime.UNSET));

        assertFalse(text.contains("capture span"), text);
    }
}
