package dev.teardown.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teardown.answer.Findings;
import dev.teardown.answer.SummaryJson;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import dev.teardown.report.Column;
import dev.teardown.report.CsvSink;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job on a local master with two cores gives what {@code teardown analyze} gives on the same files: the
 * same records as a multiset (flow ids aside: the job numbers a connection by its first packet's place in the
 * capture), the same summary JSON and the same timeline, on every sample and on real captures split into ring files
 * by {@code editcap -c}, one of them gzip-compressed.
 */
@Tag("spark")
class SparkRunTest {
    private static final Path SAMPLES = Path.of("samples");
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("teardown-test")
            .config("spark.ui.enabled", "false")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** What the single-process analysis writes: CSV rows, the summary JSON, the timeline CSV. */
    private record Expected(List<String> rows, List<String> inIdOrder, String summaryJson, String timeline) {}

    private static Expected analyze(List<Path> files) throws IOException {
        AnalyzeOptions options = AnalyzeOptions.defaults();
        StringWriter csv = new StringWriter();
        StringWriter timeline = new StringWriter();
        Summary summary = new Summary();
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(),
            options.idleTimeoutNanos()), new TimelineCsv(timeline, false));
        Analysis.Result r;
        try (PacketSource source = CaptureFiles.open(files); CsvSink sink = new CsvSink(csv, false)) {
            r = Analysis.run(source, options, List.of(sink, summary), stage, () -> false);
        }
        if (r.failure() != null) throw r.failure();
        SummaryFigures figures = summary.figures();
        Optional<TimeWaitFigures> tw = stage.figures();
        String title = "teardown: " + String.join(" + ", files.stream().map(Path::toString).toList());
        String json = SummaryJson.of(title, figures, r.totals(), tw, Findings.of(figures, tw)) + "\n";
        List<String> rows = csv.toString().lines().skip(1).toList();
        return new Expected(withoutFlowIds(rows), inIdOrder(rows), json, timeline.toString());
    }

    /** Rows in the order of their flow ids, without them. */
    private static List<String> inIdOrder(List<String> rows) {
        return rows.stream().sorted(java.util.Comparator.comparingLong(r -> Long.parseLong(r.substring(0, r.indexOf(',')))))
            .map(r -> r.substring(r.indexOf(',') + 1)).toList();
    }

    /** Rows without their first column (flow_id), sorted: a multiset. */
    private static List<String> withoutFlowIds(List<String> rows) {
        List<String> all = new ArrayList<>();
        for (String row : rows) all.add(row.substring(row.indexOf(',') + 1));
        all.sort(null);
        return all;
    }

    /** Runs the job on {@code inputs} into {@code out} and checks every output against {@code files} analysed in one process. */
    private static void sameAsAnalyze(List<String> inputs, List<Path> files, Path out, boolean readParquet)
            throws IOException {
        Expected expected = analyze(files);
        SparkRun.Settings settings = new SparkRun.Settings(inputs, out.toString(), AnalyzeOptions.defaults(), false,
            TimeWaitOptions.defaults(60_000_000_000L, 3_600_000_000_000L), 2, Integer.MAX_VALUE);
        SparkRun.Result result = SparkRun.run(spark, settings);
        assertEquals(2, result.shards());

        List<String> rows = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> list = Files.list(out.resolve("flows"))) {
            parts = list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(2, parts.size(), "a part file per shard");
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part);
            assertEquals(FlowRows.header(), lines.get(0), part + " starts with the header of analyze --csv");
            rows.addAll(lines.subList(1, lines.size()));
        }
        assertEquals(expected.rows(), withoutFlowIds(rows), "records, as a multiset, flow ids aside");
        assertEquals(expected.inIdOrder(), inIdOrder(rows), "flow ids in analyze's order (of first packet)");
        for (String row : rows) {
            long id = Long.parseLong(row.substring(0, row.indexOf(',')));
            int file = (int) (id / 1_000_000_000_000L);
            assertTrue(file < files.size() && row.contains("," + files.get(file) + ","),
                "flow id " + id + ": file number x 10^12 + frame, in the file the row names");
        }
        assertEquals(expected.summaryJson(), Files.readString(out.resolve("summary.json")), "summary JSON");
        assertEquals(expected.timeline(), Files.readString(out.resolve("timeline/timeline.csv")), "timeline");
        assertEquals(expected.rows().size(), result.connections());

        assertTrue(Files.exists(out.resolve("flows-parquet/_SUCCESS")), "Parquet written");
        if (readParquet) {
            // Read back (a job or two each, so on the ring files only): the rows, typed, under their dates.
            Dataset<Row> parquet = spark.read().parquet(out.resolve("flows-parquet").toString());
            assertEquals(expected.rows().size(), parquet.count(), "Parquet rows");
            assertTrue(List.of(parquet.columns()).contains(Column.CLOSE_INITIATOR.header()), "typed columns");
            assertTrue(List.of(parquet.columns()).contains(FlowRows.DATE), "partitioned by date");
        }
        assertTrue(Files.notExists(out.resolve("_work")), "work files removed");
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            return walk.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".pcap.gz");
            }).sorted().map(Path::toAbsolutePath).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleGivesWhatAnalyzeGives(@TempDir Path dir) throws IOException {
        return samples().stream().map(p -> DynamicTest.dynamicTest(SAMPLES.toAbsolutePath().relativize(p).toString(),
            () -> sameAsAnalyze(List.of(p.toString()), List.of(p), dir.resolve(p.getFileName() + ".out"), false)));
    }

    /** Splits {@code capture} into ring files of {@code packets} packets each with editcap, as tcpdump -C would. */
    private static List<Path> ring(Path capture, int packets, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("editcap", "-c", String.valueOf(packets), capture.toString(),
            dir.resolve("ring.pcap").toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "editcap ends");
        String said = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), "editcap: " + said);
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    private static boolean editcap() {
        try {
            return new ProcessBuilder("editcap", "-h").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void aCaptureSplitIntoRingFilesIsOneCaptureAndGivesWhatAnalyzeGivesOnThem(@TempDir Path dir) throws Exception {
        assumeTrue(editcap() || !"true".equals(System.getenv("CI")), "editcap (tshark's) is needed under CI");
        assumeTrue(editcap(), "editcap not installed");
        for (String sample : List.of("tls-connection-close.pcap", "nginx-keepalive-requests.pcap")) {
            Path capture = SAMPLES.resolve(sample).toAbsolutePath();
            List<Path> files = ring(capture, 16, dir.resolve(sample + ".ring"));
            assertTrue(files.size() >= 3, "several ring files: " + files);
            // One part gzip-compressed, as a rotation script may leave it; read by content.
            Path gz = Path.of(files.get(1) + ".gz");
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
                Files.copy(files.get(1), o);
            }
            Files.delete(files.get(1));
            List<Path> ring = new ArrayList<>(files);
            ring.set(1, gz);
            sameAsAnalyze(List.of(dir.resolve(sample + ".ring") + "/ring*"), ring, dir.resolve(sample + ".out"), true);
        }
    }
}
