package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.cli.AnalyzeCommandTest.Run;
import dev.teardown.pipeline.Traffic;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --threads}: its range, what it writes (the same as one thread), the runs that stay on one thread
 * and say so when more were asked for, and errors part-way (kept apart from {@link AnalyzeCommandTest}, which is
 * long already).
 */
class AnalyzeCommandThreadsTest {
    private static final String FIRST = "samples/http10-server-close.pcap";
    private static final String SECOND = "samples/port-reuse.pcap";

    private static Run run(String... args) {
        return AnalyzeCommandTest.run(args);
    }

    @Test
    void threadsOutsideOneToSixtyFourIsAUsageErrorNamingTheOption() {
        for (String n : new String[] {"0", "-1", "65"}) {
            Run r = run("analyze", FIRST, "--threads", n, "-q");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("--threads must be 1 to 64, not " + n), r.err());
        }
    }

    @Test
    void helpShowsTheDefaultTheCoresAvailable() {
        Run r = run("analyze", "--help");
        int cores = Math.min(64, Runtime.getRuntime().availableProcessors());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("Default: the cores available, here " + cores + "."), r.out());
    }

    @Test
    void severalThreadsWriteOneThreadsCsvAndJsonForOneCaptureOfTwoFilesAndWithSeparate(@TempDir Path dir)
            throws Exception {
        for (String separate : new String[] {"--threads", "--separate"}) {
            String[] csv = new String[5];
            String[] json = new String[5];
            for (int n = 1; n <= 4; n++) {
                Path c = dir.resolve(n + ".csv");
                Path j = dir.resolve(n + ".jsonl");
                Run r = separate.equals("--separate")
                    ? run("analyze", FIRST, SECOND, "--separate", "--threads", "" + n, "-q", "--csv", c.toString(), "--json", j.toString())
                    : run("analyze", FIRST, SECOND, "--threads", "" + n, "-q", "--csv", c.toString(), "--json", j.toString());
                assertEquals(0, r.exit(), r.err());
                assertEquals("", r.err(), "no note: these runs use the threads asked for");
                csv[n] = Files.readString(c);
                json[n] = Files.readString(j);
            }
            assertEquals(7, csv[1].lines().count(), "six connections");
            for (int n = 2; n <= 4; n++) {
                assertEquals(csv[1], csv[n], n + " threads " + separate);
                assertEquals(json[1], json[n], n + " threads " + separate);
            }
        }
    }

    /** Every output of {@code analyze capture} on 1, 2, 3 and 4 threads is the same, and no note says otherwise. */
    private static void everyOutputTheSameOnOneToFourThreads(Path capture, Path dir, String... more) throws Exception {
        String[] first = null;
        for (int n = 1; n <= 4; n++) {
            Path csv = dir.resolve(n + ".csv");
            Path summaryJson = dir.resolve(n + ".json");
            Path timeline = dir.resolve(n + ".timeline.csv");
            Path html = dir.resolve(n + ".html");
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("analyze", capture.toString(),
                "--threads", "" + n, "--csv", csv.toString(), "--summary-json", summaryJson.toString(),
                "--timeline", timeline.toString(), "--html", html.toString()));
            args.addAll(java.util.List.of(more));
            Run r = run(args.toArray(new String[0]));
            assertEquals(0, r.exit(), r.err());
            assertEquals("", r.err(), "no note: the threads asked for are used");
            String[] got = {r.out(), Files.readString(csv), Files.readString(summaryJson), Files.readString(timeline),
                Files.readString(html)};
            if (first == null) first = got;
            String[] names = {"summary", "CSV", "summary JSON", "timeline", "HTML"};
            for (int i = 0; i < got.length; i++) assertEquals(first[i], got[i], capture + ", " + n + " threads: " + names[i]);
        }
    }

    @Test
    void theSummarySummaryJsonTimelineAndHtmlOfEverySampleAreOneThreadsOnTwoThreeAndFourThreads(@TempDir Path dir)
            throws Exception {
        java.util.List<Path> samples;
        try (java.util.stream.Stream<Path> walk = Files.walk(Path.of("samples"))) {
            samples = walk.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
        assertTrue(samples.size() > 20, "samples: " + samples);
        for (Path p : samples) everyOutputTheSameOnOneToFourThreads(p, dir);
    }

    @Test
    void theZeekConnLogIsOneThreadsOnFourThreads(@TempDir Path dir) throws Exception {
        String[] logs = new String[2];
        int i = 0;
        for (int n : new int[] {1, 4}) {
            Path log = dir.resolve(n + ".log");
            Run r = run("analyze", "samples/ab-keepalive.pcap", "samples/crafted/content-gap.pcap", "--threads", "" + n,
                "--zeek-conn", log.toString(), "-q");
            assertEquals(0, r.exit(), r.err());
            logs[i++] = Files.readString(log);
        }
        assertEquals(logs[0], logs[1]);
    }

    @Test
    void checkedChecksumsGiveOneThreadsOutputsOnTwoThreeAndFourThreads(@TempDir Path dir) throws Exception {
        // Every segment of a loopback capture fails (offloaded checksums), the crafted one a single segment.
        everyOutputTheSameOnOneToFourThreads(Path.of("samples/crafted/bad-checksum.pcap"), dir, "--verify-checksums");
        everyOutputTheSameOnOneToFourThreads(Path.of("samples/ab-keepalive.pcap"), dir, "--verify-checksums");
    }

    @Test
    void theSummaryAndTimeWaitOutputsOfGeneratedCapturesAreOneThreadsOnTwoThreeAndFourThreads(@TempDir Path dir)
            throws Exception {
        Path churn = Files.write(dir.resolve("churn.pcap"), dev.teardown.pipeline.Traffic.churn(7, 60, 300));
        everyOutputTheSameOnOneToFourThreads(churn, dir, "--time-wait", "2", "--idle-timeout", "5");
        Path keepAlive = Files.write(dir.resolve("keepalive.pcap"), dev.teardown.pipeline.Traffic.keepAlive(5, 40, 600));
        Run one = run("analyze", keepAlive.toString(), "--threads", "1");
        assertTrue(one.out().contains("what-if"), "idle-timeout what-if rows: " + one.out());
        assertTrue(one.out().contains("clock"), "timestamp clocks: " + one.out());
        everyOutputTheSameOnOneToFourThreads(keepAlive, dir);
    }

    @Test
    void theDefaultThreadsWriteOneThreadsOutputsWithTheTimeWaitStageAndWithout(@TempDir Path dir) throws Exception {
        // Whatever this machine's default plan is (on two cores: the relay with the stage, two workers without).
        Path churn = Files.write(dir.resolve("churn.pcap"), dev.teardown.pipeline.Traffic.churn(7, 60, 300));
        for (String capture : new String[] {"samples/ab-keepalive.pcap", churn.toString()}) {
            String[] outputs = new String[4];
            for (int i = 0; i < 2; i++) {
                java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("analyze", capture,
                    "--csv", dir.resolve(i + ".csv").toString(), "--summary-json", dir.resolve(i + ".json").toString(),
                    "--timeline", dir.resolve(i + ".timeline.csv").toString()));
                if (i == 0) args.addAll(java.util.List.of("--threads", "1"));
                Run r = run(args.toArray(new String[0]));
                assertEquals(0, r.exit(), r.err());
                assertEquals("", r.err());
                outputs[2 * i] = r.out() + Files.readString(dir.resolve(i + ".csv"));
                outputs[2 * i + 1] = Files.readString(dir.resolve(i + ".json")) + Files.readString(dir.resolve(i + ".timeline.csv"));
            }
            assertEquals(outputs[0], outputs[2], capture + ": summary and CSV, the stage on");
            assertEquals(outputs[1], outputs[3], capture + ": summary JSON and timeline");
            Run one = run("analyze", capture, "--threads", "1", "-q", "--csv", dir.resolve("q1.csv").toString());
            Run byDefault = run("analyze", capture, "-q", "--csv", dir.resolve("q.csv").toString());
            assertEquals(0, byDefault.exit(), byDefault.err());
            assertEquals(one, byDefault);
            assertEquals(Files.readString(dir.resolve("q1.csv")), Files.readString(dir.resolve("q.csv")),
                capture + ": CSV, the stage off");
        }
    }

    @Test
    void aRunThatShowsTheSummaryUsesTheThreadsAskedForWithoutANote() {
        Run asked = run("analyze", FIRST, "--threads", "2");
        assertEquals(0, asked.exit(), asked.err());
        assertEquals("", asked.err());
        assertTrue(asked.out().contains("closed first by    server 4"), asked.out());
        assertEquals(run("analyze", FIRST, "--threads", "1").out(), asked.out());
    }

    @Test
    void maxConnectionsGivenKeepsOneTableOnTheRelaySoItsEvictionsAreOneThreads(@TempDir Path dir) throws Exception {
        Path syns = dir.resolve("syns.pcap");
        Traffic.writePcap(syns, Traffic.Kind.SYN, 300);
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv");
        Run r1 = run("analyze", syns.toString(), "--max-connections", "7", "--threads", "1", "-q", "--csv", one.toString());
        Run r2 = run("analyze", syns.toString(), "--max-connections", "7", "--threads", "2", "-q", "--csv", two.toString());
        assertEquals(0, r1.exit(), r1.err());
        assertEquals(0, r2.exit(), r2.err());
        assertEquals(Files.readString(one), Files.readString(two));
        assertEquals("teardown: --threads 2: reading, analysing and writing on three threads: --max-connections bounds "
            + "one table, kept by one analysing thread", r2.err().strip());
        // One thread evicts the globally oldest half-open connection: rows come out in order of first packet.
        assertTrue(Files.readAllLines(one).get(1).startsWith("1,"), Files.readAllLines(one).get(1));
    }

    @Test
    void aBadRecordPartWayKeepsEveryEarlierRowWithOneThreadsExitAndOneLineError(@TempDir Path dir) throws Exception {
        byte[] pcap = Files.readAllBytes(Path.of(FIRST));
        ByteOrder order = ByteBuffer.wrap(pcap).getInt(0) == 0xa1b2c3d4 || ByteBuffer.wrap(pcap).getInt(0) == 0xa1b23c4d
            ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int off = 24;
        for (int i = 0; i < 30; i++) off += 16 + ByteBuffer.wrap(pcap).order(order).getInt(off + 8);
        ByteBuffer.wrap(pcap).order(order).putInt(off + 8, 0x7fff0000); // an impossible captured length
        Path f = Files.write(dir.resolve("absurd.pcap"), pcap);
        Run[] runs = new Run[3];
        String[] rows = new String[3];
        for (int n = 1; n <= 2; n++) {
            Path csv = dir.resolve(n + ".csv");
            runs[n] = run("analyze", f.toString(), "--threads", "" + n, "-q", "--csv", csv.toString());
            rows[n] = Files.readString(csv);
        }
        assertEquals(1, runs[2].exit(), runs[2].err());
        assertTrue(runs[2].err().startsWith("teardown: " + f + ": at byte " + off), runs[2].err());
        assertFalse(runs[2].err().contains("\tat "), runs[2].err());
        assertEquals(runs[1], runs[2]);
        assertTrue(rows[1].lines().count() > 1, "connections before the bad record were written");
        assertEquals(rows[1], rows[2]);
    }
}
