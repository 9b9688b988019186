package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.FlowHash;
import dev.teardown.decode.TcpSegment;
import dev.teardown.hostile.PcapBuilder;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.JsonSink;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads write exactly what one writes (a reading thread and one more, or several workers): the same CSV and JSON bytes (rows, order, flow ids, file
 * names), the same summary and the same totals (peak connections included), on every sample and on generated
 * churn; and a run that stops early for any reason keeps what one thread keeps.
 */
class ParallelAnalysisTest {
    /** Everything a run gives: with a TIME_WAIT stage, its timeline CSV and figures too. */
    private record Output(String csv, String json, SummaryFigures summary, CaptureTotals totals, String timeline,
                          Optional<TimeWaitFigures> figures) {}

    /** Opens the same capture afresh for each run. */
    private interface Opener {
        PacketSource open() throws IOException;
    }

    /** A run with the whole TIME_WAIT stage (as the default {@code analyze}), its timeline written as CSV. */
    private static Output analyse(Opener opener, AnalyzeOptions options, int threads) throws IOException {
        return analyse(opener, options, ThreadPlan.of(threads), true);
    }

    private static Output analyse(Opener opener, AnalyzeOptions options, ThreadPlan plan, boolean withStage)
            throws IOException {
        StringWriter csvText = new StringWriter();
        StringWriter jsonText = new StringWriter();
        StringWriter timelineText = new StringWriter();
        Summary summary = new Summary();
        TimeWaitStage stage = withStage ? new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(),
            options.idleTimeoutNanos()), new TimelineCsv(timelineText, false)) : TimeWaitStage.none();
        Analysis.Result r;
        try (PacketSource source = opener.open(); CsvSink csv = new CsvSink(csvText, false);
             JsonSink json = new JsonSink(jsonText, false)) {
            List<RecordSink> sinks = List.of(csv, json, summary);
            // A fixed key per thread count: a failure names a partition that can be run again.
            r = plan.kind() == ThreadPlan.Kind.WORKERS
                ? ParallelAnalysis.run(source, options, sinks, stage, () -> false, ReadProgress.NONE, plan.workers(),
                    FlowHash.keyed(plan.workers()))
                : Analysis.run(source, options, sinks, stage, () -> false, ReadProgress.NONE, plan);
        }
        assertNull(r.failure());
        return new Output(csvText.toString(), jsonText.toString(), summary.figures(), r.totals(),
            timelineText.toString(), stage.figures());
    }

    /** The plans compared with one thread: the relay (a reading thread and one more), and 2, 3 and 4 workers. */
    private static final List<ThreadPlan> PLANS = List.of(ThreadPlan.relay(), ThreadPlan.of(2), ThreadPlan.of(3),
        ThreadPlan.of(4));

    /** Runs on the relay and with 2, 3 and 4 workers give one thread's output; returns one thread's. */
    private static Output sameOnEveryThreadCount(Opener opener, AnalyzeOptions options) throws IOException {
        return sameOnEveryThreadCount(opener, options, true);
    }

    private static Output sameOnEveryThreadCount(Opener opener, AnalyzeOptions options, boolean withStage)
            throws IOException {
        Output one = analyse(opener, options, ThreadPlan.of(1), withStage);
        for (ThreadPlan plan : PLANS) {
            Output many = analyse(opener, options, plan, withStage);
            String threads = plan.kind() == ThreadPlan.Kind.RELAY ? "relay" : plan.workers() + " threads";
            assertEquals(one.csv(), many.csv(), threads + ": CSV");
            assertEquals(one.json(), many.json(), threads + ": JSON");
            assertEquals(one.summary(), many.summary(), threads + ": summary");
            assertEquals(one.totals(), many.totals(), threads + ": totals");
            assertEquals(one.timeline(), many.timeline(), threads + ": timeline");
            assertEquals(one.figures(), many.figures(), threads + ": TIME_WAIT figures");
        }
        return one;
    }

    @TestFactory
    Stream<DynamicTest> everySampleGivesOneThreadsBytesOnTwoThreeAndFourThreads() throws IOException {
        return SampleGoldenTest.captures().stream().map(p -> DynamicTest.dynamicTest(p.toString(),
            () -> sameOnEveryThreadCount(() -> CaptureFiles.open(p), AnalyzeOptions.defaults())));
    }

    @Test
    void generatedChurnGivesOneThreadsBytesOnTwoThreeAndFourThreads() throws IOException {
        byte[] capture = Churn.captures(7, 60, 300, 1).get(0);
        Output one = analyse(() -> open(capture), Churn.options(), 1);
        long rows = one.csv().lines().count() - 1;
        assertTrue(rows > 3000, "thousands of connections on a few tuples: " + rows);
        assertTrue(one.csv().contains(",true,"), "tuple reuse happened");
        assertTrue(one.totals().peakConnections() > 20, "many held at once: " + one.totals().peakConnections());
        assertTrue(one.totals().malformed().size() + one.totals().skipped().size() >= 3, "frames that are not TCP");
        sameOnEveryThreadCount(() -> open(capture), Churn.options());
    }

    @Test
    void generatedChurnWithoutTheTimeWaitStageGivesOneThreadsBytesToo() throws IOException {
        byte[] capture = Churn.captures(7, 60, 300, 1).get(0);
        Output one = sameOnEveryThreadCount(() -> open(capture), Churn.options(), false);
        assertTrue(one.figures().isEmpty() && one.timeline().isEmpty(), "no stage");
    }

    @Test
    void churnTellsTheTimeWaitStageWhatOneThreadTellsItOnTwoThreeAndFourThreads() throws IOException {
        byte[] capture = Churn.captures(7, 60, 300, 1).get(0);
        Output one = analyse(() -> open(capture), Churn.options(), 1);
        TimeWaitFigures f = one.figures().orElseThrow();
        assertTrue(one.timeline().lines().count() > 1000, "timeline rows: " + one.timeline().lines().count());
        assertTrue(f.reuse().accepted() > 0 && f.reuse().refused() > 0, "tuple reuse both ways: " + f.reuse());
        assertTrue(f.ports().size() > 0, "port pressure rows");
    }

    @Test
    void keepAliveWithIdleClosesAndTimestampsGivesOneThreadsTimeWaitFiguresOnTwoThreeAndFourThreads()
            throws IOException {
        byte[] capture = KeepAlive.capture(5, 40, 600);
        Output one = sameOnEveryThreadCount(() -> open(capture), KeepAlive.options());
        TimeWaitFigures f = one.figures().orElseThrow();
        assertTrue(one.csv().lines().count() > 500, "connections: " + one.csv().lines().count());
        assertTrue(f.whatIf().size() >= 3 * 5, "idle-timeout what-if rows for the three endpoints: " + f.whatIf().size());
        assertTrue(f.clocks().rows().size() > 10, "timestamp clock rows: " + f.clocks().rows().size());
        assertTrue(f.clocks().pairsWithSeveralClocks() > 0, "clients with two clocks");
        assertTrue(f.clocks().recycleDrops() > 0, "SYNs tcp_tw_recycle would have dropped");
        assertTrue(f.reuse().accepted() > 0, "tuples reused in TIME_WAIT");
        for (long seed = 6; seed <= 7; seed++) {
            byte[] other = KeepAlive.capture(seed, 12, 300);
            sameOnEveryThreadCount(() -> open(other), KeepAlive.options());
        }
    }

    @Test
    void otherChurnSeedsGiveOneThreadsBytesToo() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            byte[] capture = Churn.captures(seed, 12, 120, 1).get(0);
            sameOnEveryThreadCount(() -> open(capture), Churn.options());
        }
    }

    @Test
    void severalFilesReadAsOneCaptureNameEachConnectionsOwnFileAsOneThreadDoes(@TempDir Path dir) throws IOException {
        List<byte[]> parts = Churn.captures(11, 30, 120, 3);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) files.add(Files.write(dir.resolve("ring" + i + ".pcap"), parts.get(i)));
        Output one = analyse(() -> CaptureFiles.open(files), Churn.options(), 1);
        for (Path f : files) assertTrue(one.csv().contains("," + f + ","), "rows name " + f);
        sameOnEveryThreadCount(() -> CaptureFiles.open(files), Churn.options());
    }

    @Test
    void aStopStopsReadingAndStillWritesEveryConnectionReadInOneThreadsOrder() throws IOException {
        List<List<FlowRecord>> rows = new ArrayList<>();
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.of(3), ThreadPlan.relay())) {
            int[] read = {0};
            List<FlowRecord> got = new ArrayList<>();
            PacketSource source = Traffic.source(Traffic.Kind.SYN, 50, i -> read[0] = i + 1, null);
            Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(got::add), TimeWaitStage.none(),
                () -> read[0] >= 20, ReadProgress.NONE, plan);
            assertTrue(r.stopped());
            assertEquals(20, r.totals().packets());
            rows.add(got);
        }
        assertEquals(20, rows.get(1).size());
        assertEquals(rows.get(0), rows.get(1));
        assertEquals(rows.get(0), rows.get(2), "the relay");
    }

    @Test
    void anIoErrorPartWayStillWritesEveryConnectionReadAndIsReturned() {
        for (ThreadPlan plan : List.of(ThreadPlan.of(2), ThreadPlan.relay())) {
            IOException eio = new IOException("Input/output error");
            List<FlowRecord> rows = new ArrayList<>();
            Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.KEEPALIVE, 5, i -> { }, eio),
                AnalyzeOptions.defaults(), List.of(rows::add), TimeWaitStage.none(), () -> false, ReadProgress.NONE, plan);
            assertSame(eio, r.failure());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), rows.stream().map(FlowRecord::flowId).toList(), plan.toString());
        }
    }

    @Test
    void runningOutOfMemoryWhileReadingAnalysesWhatWasReadThenDropsWhatIsHeldAsOneThreadDoes() {
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.of(3), ThreadPlan.relay())) {
            for (int bound : new int[] {Integer.MAX_VALUE, 700}) {
                List<FlowRecord> rows = new ArrayList<>();
                AnalyzeOptions options = AnalyzeOptions.defaults().withMaxConnections(bound);
                Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 10_000, i -> { },
                        new OutOfMemoryError("test")), options, List.of(rows::add), TimeWaitStage.none(),
                    () -> false, ReadProgress.NONE, plan);
                String what = plan + ", bound " + bound;
                assertEquals(10_000, r.outOfMemory().packets(), what);
                assertEquals(10_000, r.totals().packets(), what);
                // Every SYN read was analysed (the batches in flight too): the table's connections are dropped,
                // unwritten; with a bound, those it evicted before were written, the oldest first.
                int held = Math.min(bound, 10_000);
                // Workers share the bound, each rounded up.
                long shares = plan.kind() == ThreadPlan.Kind.WORKERS
                    ? ((long) bound + plan.workers() - 1) / plan.workers() * plan.workers() : held;
                if (plan.kind() != ThreadPlan.Kind.WORKERS || bound == Integer.MAX_VALUE) {
                    // One table, or no bound: exactly what one thread holds, none written.
                    assertEquals(held, r.outOfMemory().connectionsDropped(), what);
                    assertEquals(10_000 - held, rows.size(), what);
                } else {
                    // Workers split the bound: each evicts from its share, so only the sum is one thread's.
                    assertEquals(10_000, r.outOfMemory().connectionsDropped() + rows.size(), what);
                    assertTrue(r.outOfMemory().connectionsDropped() <= shares, what);
                }
            }
        }
    }

    @Test
    void runningOutOfMemoryInASinkKeepsTheRowsWrittenBeforeAndIsReported() {
        List<Analysis.OutOfMemory> reported = new ArrayList<>();
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.relay())) {
            List<FlowRecord> rows = new ArrayList<>();
            RecordSink failsOnTheThird = rec -> {
                if (rows.size() == 2) throw new OutOfMemoryError("test");
                rows.add(rec);
            };
            Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 5, i -> { }, null),
                AnalyzeOptions.defaults(), List.of(failsOnTheThird), TimeWaitStage.none(), () -> false,
                ReadProgress.NONE, plan);
            assertEquals(5, r.outOfMemory().packets(), plan.toString());
            assertEquals(2, rows.size(), plan.toString());
            reported.add(r.outOfMemory());
        }
        assertEquals(3, reported.get(0).connectionsDropped(), "one thread: the three not written");
        assertEquals(reported.get(0), reported.get(2), "the relay counts the rows its writer did not write as one thread");
    }

    @Test
    void aSinkThatThrowsFailsTheRunAsWithOneThread() {
        RecordSink broken = rec -> {
            throw new IllegalStateException("sink bug");
        };
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.relay())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Analysis.run(
                Traffic.source(Traffic.Kind.SYN, 5, i -> { }, null), AnalyzeOptions.defaults(), List.of(broken),
                TimeWaitStage.none(), () -> false, ReadProgress.NONE, plan));
            assertEquals("sink bug", e.getMessage());
        }
    }

    @Test
    void anUncheckedErrorFromTheSourceEscapesAsWithOneThreadOnceNoThreadWritesAnyMore() throws Exception {
        java.io.UncheckedIOException gone = new java.io.UncheckedIOException(new IOException("gone"));
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.relay())) {
            List<FlowRecord> rows = java.util.Collections.synchronizedList(new ArrayList<>());
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> Analysis.run(
                Traffic.source(Traffic.Kind.SYN, 10_000, i -> { }, gone), AnalyzeOptions.defaults(), List.of(rows::add),
                TimeWaitStage.none(), () -> false, ReadProgress.NONE, plan));
            assertSame(gone, e);
            int written = rows.size();
            Thread.sleep(100);
            assertEquals(written, rows.size(), "nothing is written after the run returned");
            assertEquals(0, written, "the half-open connections held are not finished");
        }
    }

    @Test
    void theBoundOnConnectionsHeldIsSplitBetweenTheWorkersAndEvictionsAreCounted() {
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 200, i -> { }, null),
            AnalyzeOptions.defaults().withMaxConnections(20), List.of(rows::add), TimeWaitStage.none(), () -> false,
            ReadProgress.NONE, 2);
        assertEquals(200, rows.size());
        assertEquals(200, rows.stream().map(FlowRecord::flowId).distinct().count());
        long held = r.totals().peakConnections();
        assertTrue(held >= 11 && held <= 22, "each of 2 workers holds its 10 and one more: " + held);
        String warning = r.totals().warnings().get(0);
        assertTrue(warning.endsWith("connections written out early because the table was full (--max-connections 20)"),
            warning);
    }

    @Test
    void theRelayKeepsOneTableSoTheBoundOnConnectionsHeldEvictsWhatOneThreadEvicts() {
        List<List<FlowRecord>> rows = new ArrayList<>();
        List<Analysis.Result> results = new ArrayList<>();
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.relay())) {
            List<FlowRecord> got = new ArrayList<>();
            results.add(Analysis.run(Traffic.source(Traffic.Kind.SYN, 200, i -> { }, null),
                AnalyzeOptions.defaults().withMaxConnections(20), List.of(got::add), TimeWaitStage.none(), () -> false,
                ReadProgress.NONE, plan));
            rows.add(got);
        }
        assertEquals(200, rows.get(1).size());
        assertEquals(rows.get(0), rows.get(1), "the same rows in the same order: the oldest of one table goes first");
        assertEquals(results.get(0).totals(), results.get(1).totals(), "the same peak and eviction warning");
        assertEquals(21, results.get(1).totals().peakConnections(), "the table's 20 and the one coming in");
    }

    @Test
    void aRunWithTheTimeWaitStageOnFourThreadsGivesOneThreadsRecordsAndFigures() throws IOException {
        Path sample = SampleGoldenTest.captures().get(0);
        List<FlowRecord> one = new ArrayList<>();
        List<FlowRecord> asked = new ArrayList<>();
        TimeWaitStage a = new TimeWaitStage(dev.teardown.timewait.TimeWaitOptions.defaults(60_000_000_000L,
            3_600_000_000_000L), null);
        TimeWaitStage b = new TimeWaitStage(dev.teardown.timewait.TimeWaitOptions.defaults(60_000_000_000L,
            3_600_000_000_000L), null);
        try (PacketSource s = CaptureFiles.open(sample)) {
            Analysis.run(s, AnalyzeOptions.defaults(), List.of(one::add), a, () -> false, ReadProgress.NONE, 1);
        }
        try (PacketSource s = CaptureFiles.open(sample)) {
            Analysis.run(s, AnalyzeOptions.defaults(), List.of(asked::add), b, () -> false, ReadProgress.NONE, 4);
        }
        assertEquals(one, asked);
        assertTrue(b.figures().isPresent());
        assertEquals(a.figures(), b.figures());
    }

    @Test
    void aConnectionThatExpiresAtTheVeryPacketAnotherWorkerBeginsOneIsGoneFromThePeak() throws IOException {
        // Three half-open connections on worker 0, then, once the first is past the idle timeout, a SYN on worker 1:
        // one thread expires the first before the new one goes in, so three are held at most, never four.
        AnalyzeOptions options = new AnalyzeOptions(60 * AnalyzeOptions.SECOND, 5 * AnalyzeOptions.SECOND, 1_000);
        PcapBuilder.Endpoint server = PcapBuilder.Endpoint.v4(10, 0, 0, 2, 80);
        List<Integer> zero = portsOf(0, 3);
        int one = portsOf(1, 1).get(0);
        long t0 = 1_700_000_000L * AnalyzeOptions.SECOND;
        PcapBuilder b = new PcapBuilder(4);
        for (int i = 0; i < 3; i++) b.tcp(t0 + i * 1_000_000L, PcapBuilder.Endpoint.v4(10, 0, 0, 1, zero.get(i)), server, 1, 0, 0x02);
        b.tcp(t0 + 5 * AnalyzeOptions.SECOND, PcapBuilder.Endpoint.v4(10, 0, 0, 1, one), server, 1, 0, 0x02);
        byte[] capture = b.toByteArray();
        Output single = analyse(() -> open(capture), options, 1);
        assertEquals(3, single.totals().peakConnections());
        assertEquals(single, analyse(() -> open(capture), options, 2));
    }

    @Test
    void readingMorePacketsAllocatesNothingPerPacketOnTheReadingThread() throws IOException {
        byte[] fewer = acks(50_000);
        byte[] more = acks(250_000);
        allocatedReading(fewer); // warm up
        long a = allocatedReading(fewer);
        long b = allocatedReading(more);
        double perPacket = (b - a) / 200_000.0;
        assertTrue(perPacket < 1, "bytes per packet: " + perPacket);
    }

    /** One connection: a SYN, then {@code n} ACKs both ways. */
    private static byte[] acks(int n) {
        PcapBuilder.Endpoint client = PcapBuilder.Endpoint.v4(10, 0, 0, 1, 40_000);
        PcapBuilder.Endpoint server = PcapBuilder.Endpoint.v4(10, 0, 0, 2, 80);
        PcapBuilder b = new PcapBuilder(n + 1);
        long t = 1_700_000_000L * AnalyzeOptions.SECOND;
        b.tcp(t, client, server, 1, 0, 0x02);
        for (int i = 1; i <= n; i++) {
            boolean out = i % 2 == 0;
            b.tcp(t + i * 1_000L, out ? client : server, out ? server : client, 2, 2, 0x10);
        }
        return b.toByteArray();
    }

    /** The bytes the calling thread (the reader) allocates analysing {@code capture} on two workers. */
    private static long allocatedReading(byte[] capture) throws IOException {
        com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        try (PacketSource source = open(capture)) {
            long before = mx.getCurrentThreadAllocatedBytes();
            ParallelAnalysis.run(source, AnalyzeOptions.defaults(), List.of(r -> { }), TimeWaitStage.none(), () -> false,
                ReadProgress.NONE, 2, FlowHash.keyed(2));
            return mx.getCurrentThreadAllocatedBytes() - before;
        }
    }

    /**
     * {@code n} client ports of 10.0.0.1 whose connections to 10.0.0.2:80 go to worker {@code worker} of two, under
     * the key {@link #analyse} uses for two threads.
     */
    private static List<Integer> portsOf(int worker, int n) {
        List<Integer> ports = new ArrayList<>();
        TcpSegment s = new TcpSegment();
        s.srcLo = 0x0a000001L;
        s.dstLo = 0x0a000002L;
        s.dstPort = 80;
        for (int port = 40_000; ports.size() < n; port++) {
            s.srcPort = port;
            if (FlowHash.keyed(2).worker(s, 2) == worker) ports.add(port);
        }
        return ports;
    }

    private static PacketSource open(byte[] capture) throws IOException {
        return CaptureFiles.open(new ByteArrayInputStream(capture), "churn.pcap");
    }
}
