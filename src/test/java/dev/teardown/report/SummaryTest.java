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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.teardown.Sides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The summary as it accumulates and merges: its endpoint table exact below its capacity, bounded and
 * honest above it, and the summaries of two parts of a capture merging into the summary of the whole.
 */
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
    void closeReasonsCountEveryConnectionOnceInTheEnumsOrder() {
        Summary s = new Summary();
        for (int i = 0; i < 3; i++) s.accept(to("10.0.0.2", 80, Sides.SERVER, idleClose(2 * S, -1)));
        s.accept(to("10.0.0.3", 80, Sides.NONE, NO_HTTP));
        Map<dev.teardown.http.CloseReason, Long> reasons = s.figures().closeReasons();
        assertEquals(List.of(dev.teardown.http.CloseReason.NOT_HTTP, dev.teardown.http.CloseReason.SERVER_IDLE_TIMEOUT),
            List.copyOf(reasons.keySet()));
        assertEquals(List.of(1L, 3L), List.copyOf(reasons.values()));
        assertTrue(print(s).contains("close reasons      not-http 1, server-idle-timeout 3\n"), print(s));
    }

    @Test
    void connectionsAlreadyOpenWhenTheCaptureBeganHaveTheirOwnCountAndLineMergedLikeTheRest() {
        Summary a = new Summary();
        a.accept(Records.begunBefore("10.0.0.2", 80));
        a.accept(to("10.0.0.2", 80, Sides.SERVER, NO_HTTP));
        Summary b = new Summary();
        b.accept(Records.begunBefore("10.0.0.2", 80));
        a.merge(b);
        assertEquals(2, a.figures().begunBeforeCapture());
        assertTrue(print(a).contains("connections        3 (at most 0 open at once; 2 already open when the capture began)"),
            print(a));
        Summary none = new Summary();
        none.accept(to("10.0.0.2", 80, Sides.SERVER, NO_HTTP));
        assertFalse(print(none).contains("already open"), print(none));
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

    private static Summary summarise(List<FlowRecord> records) {
        Summary s = new Summary();
        records.forEach(s);
        return s;
    }

    /** The records of every capture under samples/, in the order the pipeline hands them on. */
    private static Map<Path, List<FlowRecord>> sampleRecords() throws IOException {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            captures = walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        assertTrue(captures.size() >= 30, "samples found: " + captures.size());
        Map<Path, List<FlowRecord>> all = new java.util.LinkedHashMap<>();
        for (Path capture : captures) {
            List<FlowRecord> records = new ArrayList<>();
            try (PacketSource source = CaptureFiles.open(capture)) {
                RecordSink collect = records::add;
                assertEquals(null, Analysis.run(source, AnalyzeOptions.defaults(), List.of(collect)).failure());
            }
            all.put(capture, records);
        }
        return all;
    }

    /** Asserts that summarising {@code first} and {@code second} apart and merging gives {@code whole}'s figures and text. */
    private static void assertMergesTo(Summary whole, List<FlowRecord> first, List<FlowRecord> second, String where) {
        Summary merged = summarise(first);
        merged.merge(summarise(second));
        assertEquals(whole.figures(), merged.figures(), where);
        assertEquals(print(whole), print(merged), where);
    }

    @TestFactory
    Stream<DynamicTest> everySamplesTwoPartsAtEverySplitMergeIntoTheWhole() throws IOException {
        Map<Path, List<FlowRecord>> samples = sampleRecords();
        List<FlowRecord> together = samples.values().stream().flatMap(List::stream).toList();
        Map<String, List<FlowRecord>> cases = new java.util.LinkedHashMap<>();
        samples.forEach((p, r) -> cases.put(p.toString(), r));
        cases.put("all samples as one", together);
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            List<FlowRecord> records = c.getValue();
            assertFalse(records.isEmpty());
            Summary whole = summarise(records);
            for (int split = 0; split <= records.size(); split++) {
                List<FlowRecord> head = records.subList(0, split);
                List<FlowRecord> tail = records.subList(split, records.size());
                assertMergesTo(whole, head, tail, "split at " + split);
                assertMergesTo(whole, tail, head, "split at " + split + ", second part first");
            }
            // Shards by connection, as a partitioned run would make them: every other record.
            List<FlowRecord> even = new ArrayList<>();
            List<FlowRecord> odd = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) (i % 2 == 0 ? even : odd).add(records.get(i));
            assertMergesTo(whole, even, odd, "every other record");
        }));
    }

    @Test
    void twoPartsOfConnectionsOfEveryKindMergeIntoTheWhole() {
        SplittableRandom random = new SplittableRandom(12);
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) records.add(Records.anyKind(random, 40));
        Summary whole = summarise(records);
        SummaryFigures f = whole.figures();
        // The records have what the samples lack: every anomaly kind, many endpoints, idle closes, timeouts.
        assertTrue(f.anomalies().size() > 5 && f.httpAnomalies().size() > 2 && f.tupleReuses() > 0, f.toString());
        assertTrue(f.endpoints().rows().size() > SummaryText.TOP_ENDPOINTS, f.toString());
        assertTrue(f.endpoints().rows().get(0).http().orElseThrow().idleCloses().orElseThrow().count() > 10);
        for (int split : new int[] {0, 1, 999, 1500, 2999, 3000}) {
            assertMergesTo(whole, records.subList(0, split), records.subList(split, records.size()), "split at " + split);
        }
    }

    @Test
    void mergedSummariesAboveTheEndpointCapacityKeepExactTotalsAndBoundedRows() {
        int capacity = 20;
        SplittableRandom random = new SplittableRandom(11);
        List<FlowRecord> records = new ArrayList<>();
        Map<String, long[]> truth = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            // 500 endpoints, the low-numbered ones far busier: a few hold more than 1 / capacity of the connections.
            int e = random.nextInt(5) < 3 ? (int) Math.min(499, Math.abs(random.nextGaussian()) * 6) : random.nextInt(500);
            Sides holder = Sides.values()[random.nextInt(Sides.values().length)];
            FlowRecord r = to("192.0.2." + (e % 250), 80 + e / 250, holder, random.nextBoolean() ? NO_HTTP
                : idleClose(random.nextLong(10 * S), 5));
            records.add(r);
            long[] t = truth.computeIfAbsent(r.serverEndpoint(), k -> new long[2]);
            t[0]++;
            if (holder == Sides.SERVER || holder == Sides.BOTH) t[1]++;
        }
        Summary whole = new Summary(capacity);
        records.forEach(whole);
        List<Summary> shards = new ArrayList<>();
        for (int k = 0; k < 4; k++) shards.add(new Summary(capacity));
        for (int i = 0; i < records.size(); i++) shards.get(i % 4).accept(records.get(i));
        Summary halves = new Summary(capacity);
        records.subList(0, 10_000).forEach(halves);
        Summary second = new Summary(capacity);
        records.subList(10_000, records.size()).forEach(second);
        halves.merge(second);
        Summary sharded = shards.get(0);
        for (int k = 1; k < 4; k++) sharded.merge(shards.get(k));

        SummaryFigures exact = whole.figures();
        for (Summary merged : List.of(halves, sharded)) {
            SummaryFigures f = merged.figures();
            // Everything but the endpoint table is counted exactly, whatever the number of endpoints.
            assertEquals(List.of(exact.connections(), exact.tupleReuses(), exact.closeTypes(), exact.closeInitiators(),
                exact.timeWaitHolders(), exact.anomalies(), exact.httpAnomalies()),
                List.of(f.connections(), f.tupleReuses(), f.closeTypes(), f.closeInitiators(), f.timeWaitHolders(),
                    f.anomalies(), f.httpAnomalies()));
            assertFalse(f.endpoints().exact());
            assertEquals(capacity, f.endpoints().rows().size());
            assertTrue(f.endpoints().enteredAtMost() >= truth.size(), "an upper bound of the endpoints");
            Map<String, SummaryFigures.Endpoint> rows = f.endpoints().rows().stream()
                .collect(Collectors.toMap(SummaryFigures.Endpoint::endpoint, r -> r));
            for (SummaryFigures.Endpoint row : rows.values()) {
                long[] t = truth.get(row.endpoint());
                assertTrue(row.connections() <= t[0] && t[0] <= row.connections() + row.errorBound(), row + " vs " + t[0]);
                assertTrue(row.serverTimeWait() <= t[1] && row.serverTimeWait() <= row.connections(), row.toString());
                row.http().ifPresent(h -> assertTrue(h.connections() <= row.connections(), row.toString()));
            }
            for (Map.Entry<String, long[]> t : truth.entrySet()) {
                if (t.getValue()[0] > records.size() / capacity) {
                    assertTrue(rows.containsKey(t.getKey()), t.getKey() + " with " + t.getValue()[0] + " connections");
                }
            }
            assertTrue(print(merged).contains("endpoints tracked at a time, rows exact unless marked)"), print(merged));
        }
        assertTrue(truth.values().stream().filter(t -> t[0] > records.size() / capacity).count() >= 5);
    }

    @Test
    void aSummaryMergesNeitherItselfNorOneOfAnotherCapacity() {
        Summary s = new Summary(20);
        assertThrows(IllegalArgumentException.class, () -> s.merge(s));
        assertThrows(IllegalArgumentException.class, () -> s.merge(new Summary(21)));
    }
}
