package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Traffic;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The analyze command end to end: exit codes, one-line errors, outputs. */
class AnalyzeCommandTest {
    private static final Path SAMPLE = Path.of("samples/http10-server-close.pcap");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        return run(a -> { }, args);
    }

    /** Runs with the analyze command prepared by {@code setUp} first (a source that fails, an interrupt). */
    static Run run(Consumer<AnalyzeCommand> setUp, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TeardownCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        setUp.accept(cl.getSubcommands().get("analyze").getCommand());
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static void assertOneLineError(Run r, int exit, String... fragments) {
        assertEquals(exit, r.exit(), r.err());
        String firstLine = r.err().lines().findFirst().orElse("");
        assertTrue(firstLine.startsWith("teardown: "), r.err());
        for (String f : fragments) assertTrue(firstLine.contains(f), "'" + f + "' in: " + firstLine);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void verifyChecksumsDropsTheCorruptSegmentLeavingItsLetterAndCountsIt() {
        String capture = "samples/crafted/bad-checksum.pcap";
        Run unchecked = run("analyze", capture, "--csv", "-", "-q");
        assertEquals(0, unchecked.exit(), unchecked.err());
        // Unchecked, the corrupt copy counts as sent, and the intact one as its retransmission (t).
        assertTrue(unchecked.out().contains(",6,6,33,82,SF,ShADadtFf,"), unchecked.out());
        Run checked = run("analyze", capture, "--csv", "-", "--verify-checksums");
        assertEquals(0, checked.exit(), checked.err());
        // Checked, the client drops it: one packet and 41 bytes fewer from the server, c where it came, no t.
        assertTrue(checked.out().contains(",6,5,33,41,SF,ShADacdFf,"), checked.out());
        assertTrue(checked.err().contains("BAD_TCP_CHECKSUM 1"), "the summary (on stderr): " + checked.err());
    }

    @Test
    void zeekConnWritesAConnLogWithARowPerCsvRowEndedByItsCloseLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("conn.log");
        Path csv = dir.resolve("flows.csv");
        Run r = run("analyze", SAMPLE.toString(), "--zeek-conn", log.toString(), "--csv", csv.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(log);
        assertEquals("#path\tconn", lines.get(4));
        assertTrue(lines.get(lines.size() - 1).startsWith("#close\t"), lines.get(lines.size() - 1));
        assertEquals(Files.readAllLines(csv).size() - 1, lines.size() - 9, "a row per CSV row");
        assertOneLineError(run("analyze", SAMPLE.toString(), "--zeek-conn", log.toString(), "--csv", log.toString()), 2,
            "are the same file");
        Run stdout = run("analyze", SAMPLE.toString(), "--zeek-conn", "-");
        assertTrue(stdout.out().startsWith("#separator \\x09\n"), stdout.out());
        assertTrue(stdout.err().contains("connections"), "the summary moves to stderr: " + stdout.err());
    }

    @Test
    void readerPcap4jWritesTheBuiltInReadersRowsAndAnUnknownReaderIsAUsageError() {
        Run builtIn = run("analyze", SAMPLE.toString(), "--csv", "-", "-q");
        Run libpcap = run("analyze", SAMPLE.toString(), "--csv", "-", "-q", "--reader", "pcap4j");
        assertEquals(0, libpcap.exit(), libpcap.err());
        assertEquals(builtIn.out(), libpcap.out());
        assertOneLineError(run("analyze", SAMPLE.toString(), "--reader", "tshark"), 2,
            "--reader must be builtin or pcap4j, not tshark");
    }

    @Test
    void sampleAnalysisPrintsTheSummaryAndExitsZero() {
        Run r = run("analyze", SAMPLE.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("closed first by    server 4"), r.out());
        assertTrue(r.out().contains("TIME_WAIT held by  server 4"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void eachRowNamesTheFileItsConnectionBeganInWithSeveralFilesAndWithSeparate() {
        // http10-server-close (4 connections) was captured before port-reuse (2): read as one capture, in order.
        String first = "samples/http10-server-close.pcap";
        String second = "samples/port-reuse.pcap";
        Run joined = run("analyze", first, second, "--csv", "-", "-q");
        assertEquals(0, joined.exit(), joined.err());
        int file = List.of(joined.out().lines().findFirst().orElseThrow().split(",")).indexOf("file");
        List<String> files = joined.out().lines().skip(1).map(l -> l.split(",", -1)[file]).toList();
        assertEquals(4, files.stream().filter(first::equals).count());
        assertEquals(2, files.stream().filter(second::equals).count());

        Run separate = run("analyze", first, second, "--separate", "--csv", "-", "-q");
        assertEquals(0, separate.exit(), separate.err());
        List<String> rows = separate.out().lines().filter(l -> !l.startsWith("flow_id")).toList();
        assertEquals(List.of("1 " + first, "2 " + first, "3 " + first, "4 " + first, "1 " + second, "2 " + second),
            rows.stream().map(l -> l.substring(0, l.indexOf(',')) + " " + l.split(",", -1)[file])
                .toList(), "flow_id restarts per file; the file column tells the runs apart");
    }

    @Test
    void everyOutputMayGoToDevNullWhichKeepsNothingToInterleave() {
        Run r = run("analyze", SAMPLE.toString(), "--csv", "/dev/null", "--json", "/dev/null", "--summary-json",
            "/dev/null", "--timeline", "/dev/null", "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void csvToStdoutMovesTheSummaryToStderr() {
        Run r = run("analyze", SAMPLE.toString(), "--csv", "-");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("flow_id,first_seen,last_seen,duration_s,ip_version,client_ip,client_port,"
            + "server_ip,server_port,handshake,packets_c2s,packets_s2c,bytes_c2s,bytes_s2c,conn_state,history,"
            + "close_initiator,close_type,time_wait_side,time_wait_start,time_wait_end,tuple_reuse,reuse_gap_s,"
            + "anomalies,http_requests,http_responses,http_version,req_connection,resp_connection,keep_alive,"
            + "persistent_expected,idle_before_close_s,close_reason,fin_wait2_s,close_wait_s,half_closed_end,file,"
            + "tls_version,tls_offered,sni,alpn,alpn_selected,tls_resumed,tls_alert,exchanges,tunnel,goaway\n"), r.out());
        assertEquals(5, r.out().lines().count());
        assertTrue(r.err().contains("closed first by"));
    }

    @Test
    void csvFileGetsOneRowPerConnection(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Run r = run("analyze", SAMPLE.toString(), "--csv", csv.toString(), "-q");
        assertEquals(0, r.exit());
        assertEquals("", r.out());
        assertEquals(5, Files.readAllLines(csv).size());
    }

    @Test
    void jsonAndCsvFilesHoldTheSameConnectionsAndJsonToStdoutMovesTheSummaryToStderr(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Path json = dir.resolve("flows.jsonl");
        Run files = run("analyze", SAMPLE.toString(), "--csv", csv.toString(), "--json", json.toString(), "-q");
        assertEquals(0, files.exit(), files.err());
        List<String> objects = Files.readAllLines(json);
        assertEquals(Files.readAllLines(csv).size() - 1, objects.size());
        assertTrue(objects.get(0).startsWith("{\"flow_id\":1,\"first_seen\":\""), objects.get(0));

        Run stdout = run("analyze", SAMPLE.toString(), "--json", "-");
        assertEquals(0, stdout.exit(), stdout.err());
        assertEquals(objects, stdout.out().lines().toList());
        assertTrue(stdout.err().contains("closed first by"), stdout.err());
    }

    @Test
    void csvAndJsonCannotBothTakeStdout() {
        Run r = run("analyze", SAMPLE.toString(), "--csv", "-", "--json", "-");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("cannot both write to stdout"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void unwritableOutputIsOneLineAndExitOne(@TempDir Path dir) {
        Run r = run("analyze", SAMPLE.toString(), "--json", dir.resolve("no/such/dir/flows.jsonl").toString());
        assertOneLineError(r, 1, "flows.jsonl");
    }

    @Test
    void outputThatCannotBeWrittenIsNamedInOneLineWithExitOneAndTheSummaryStillPrinted() {
        Run r = run("analyze", SAMPLE.toString(), "--json", "/dev/full");
        assertEquals(1, r.exit(), r.err());
        assertEquals("teardown: writing /dev/full: No space left on device", r.err().strip(), r.err());
        assertTrue(r.out().contains("closed first by    server 4"), r.out());
    }

    @Test
    void missingFileIsOneLineAndExitOne() {
        assertOneLineError(run("analyze", "no/such.pcap"), 1, "no/such.pcap", "no such file");
    }

    @Test
    void garbageFileNamesTheFileAndOffset(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("garbage.pcap");
        Files.writeString(f, "this is not a capture at all, just text\n");
        assertOneLineError(run("analyze", f.toString()), 1, f.toString(), "at byte 0");
    }

    @Test
    void emptyFileIsOneLineAndExitOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("empty.pcap");
        Files.createFile(f);
        assertOneLineError(run("analyze", f.toString()), 1, f.toString());
    }

    @Test
    void unknownLinkTypeIsSkippedAndCounted(@TempDir Path dir) throws Exception {
        byte[] pcap = Files.readAllBytes(SAMPLE);
        ByteBuffer.wrap(pcap).order(headerOrder(pcap)).putInt(20, 4242);
        Path f = dir.resolve("odd-link.pcap");
        Files.write(f, pcap);
        Run r = run("analyze", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("unsupported link type 40"), r.out());
    }

    @Test
    void absurdRecordLengthMidFileKeepsEarlierConnectionsAndExitsOne(@TempDir Path dir) throws Exception {
        byte[] pcap = Files.readAllBytes(SAMPLE);
        ByteOrder order = headerOrder(pcap);
        // Walk to the 30th record and give it an impossible captured length.
        int off = 24;
        for (int i = 0; i < 30; i++) off += 16 + ByteBuffer.wrap(pcap).order(order).getInt(off + 8);
        ByteBuffer.wrap(pcap).order(order).putInt(off + 8, 0x7fff0000);
        Path f = dir.resolve("absurd.pcap");
        Files.write(f, pcap);
        Path csv = dir.resolve("flows.csv");
        Run r = run("analyze", f.toString(), "--csv", csv.toString());
        assertOneLineError(r, 1, f.toString(), "at byte " + off);
        assertTrue(Files.readAllLines(csv).size() > 1, "connections before the bad record were written");
        assertTrue(r.out().contains("30 read"), r.out());
    }

    @Test
    void captureCutInsideItsLastRecordIsAnalysedWithOneWarning(@TempDir Path dir) throws Exception {
        byte[] pcap = Files.readAllBytes(SAMPLE);
        Path f = dir.resolve("cut.pcap");
        Files.write(f, Arrays.copyOf(pcap, pcap.length - 7));
        Run r = run("analyze", f.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("39 read"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("warning")).count(), r.out());
    }

    @Test
    void severalFilesAreOneCaptureUnlessSeparate() {
        Run one = run("analyze", SAMPLE.toString(), SAMPLE.toString(), "--csv", "-", "-q");
        assertEquals(0, one.exit());
        // The same packets twice: the second copy's SYNs reuse tuples already seen.
        assertTrue(one.out().lines().count() > 1);
        Run two = run("analyze", "--separate", SAMPLE.toString(), SAMPLE.toString(), "-q", "--csv", "-");
        assertEquals(0, two.exit());
        assertEquals(9, two.out().lines().count(), "one header and 4 rows per file");
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run().exit());
        assertEquals(2, run("analyze").exit());
        assertEquals(2, run("analyze", "--no-such-option", SAMPLE.toString()).exit());
        assertEquals(2, run("analyze", "--time-wait", "0", SAMPLE.toString()).exit());
        assertEquals(2, run("frobnicate").exit());
    }

    @Test
    void liveUsageErrorsExitTwoBeforeAnyCaptureIsOpened() {
        // No root needed: each is refused before libpcap is asked for anything.
        assertEquals(2, run("live").exit(), "no interface");
        assertEquals(2, run("live", "-i", "lo", "--duration", "0").exit());
        assertEquals(2, run("live", "-i", "lo", "--count", "-1").exit());
        assertEquals(2, run("live", "-i", "lo", "--max-connections", "0").exit());
        Run both = run("live", "-i", "lo", "--csv", "-", "--json", "-");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("cannot both write to stdout"), both.err());
    }

    @Test
    void terminalEscapesInFileNamesAreNeutralised(@TempDir Path dir) {
        Run r = run("analyze", dir.resolve("evil\u001b[31mred.pcap").toString());
        assertEquals(1, r.exit());
        assertFalse(r.err().contains("\u001b"), r.err());
        assertTrue(r.err().contains("\\x1b"), r.err());
    }

    // ---- outputs that are inputs, or each other (issue 11, item 1) ----

    @Test
    void anOutputThatIsAlsoAnInputIsRefusedBeforeAnythingIsOpened(@TempDir Path dir) throws Exception {
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path self = dir.resolve("self.pcap");
        Path other = dir.resolve("other.pcap");
        Files.write(self, sample);
        Files.write(other, sample);
        for (String[] args : new String[][] {
            {"analyze", self.toString(), "--csv", self.toString()},
            {"analyze", self.toString(), "--json", self.toString()},
            {"analyze", other.toString(), self.toString(), "--csv", self.toString()},
            {"analyze", "--separate", other.toString(), self.toString(), "--json", dir.resolve("./self.pcap").toString()},
        }) {
            Run r = run(args);
            assertOneLineError(r, 2, args[args.length - 2] + " " + args[args.length - 1], "is the input", self.toString());
            assertArrayEquals(sample, Files.readAllBytes(self), "the capture is untouched");
            assertEquals("", r.out(), "nothing analysed");
        }
    }

    @Test
    void anOutputReachingAnInputThroughASymbolicOrAHardLinkIsRefused(@TempDir Path dir) throws Exception {
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path capture = dir.resolve("capture.pcap");
        Files.write(capture, sample);
        Path symlink = Files.createSymbolicLink(dir.resolve("sym.csv"), capture.getFileName());
        Path hardlink = Files.createLink(dir.resolve("hard.csv"), capture);
        for (Path output : List.of(symlink, hardlink)) {
            Run r = run("analyze", capture.toString(), "--csv", output.toString());
            assertOneLineError(r, 2, "--csv " + output, "is the input " + capture);
            assertArrayEquals(sample, Files.readAllBytes(capture));
        }
    }

    @Test
    void twoOutputsThatAreOneFileAreRefusedAlsoBeforeTheFileExists(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("F");
        Run spelled = run("analyze", SAMPLE.toString(), "--csv", f.toString(), "--json", dir.resolve("./F").toString());
        assertOneLineError(spelled, 2, "--csv " + f + " and --json " + dir.resolve("./F"), "are the same file");
        assertFalse(Files.exists(f), "nothing was created");

        // A dangling symbolic link and the file it would create.
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("target.csv"));
        Run dangling = run("analyze", SAMPLE.toString(), "--csv", link.toString(), "--json", dir.resolve("target.csv").toString());
        assertOneLineError(dangling, 2, "are the same file");

        Files.writeString(f, "old\n");
        Path hard = Files.createLink(dir.resolve("G"), f);
        Run linked = run("analyze", SAMPLE.toString(), "--json", f.toString(), "--csv", hard.toString());
        assertOneLineError(linked, 2, "--csv " + hard + " and --json " + f + " are the same file");
        assertEquals("old\n", Files.readString(f));
    }

    @Test
    void fileOutputsAreWrittenBesideTheTargetAndRenamedOverItLeavingNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Files.writeString(csv, "an older run\n");
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-r-----"));
        Object inodeBefore = Files.getAttribute(csv, "unix:ino");
        Run r = run("analyze", SAMPLE.toString(), "--csv", csv.toString(), "--json", dir.resolve("flows.jsonl").toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals(5, Files.readAllLines(csv).size());
        assertEquals(4, Files.readAllLines(dir.resolve("flows.jsonl")).size());
        assertFalse(inodeBefore.equals(Files.getAttribute(csv, "unix:ino")), "a new file was renamed over the old one");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)), "permissions kept");
        assertEquals(List.of("flows.csv", "flows.jsonl"), listing(dir));
    }

    @Test
    void anOutputThroughASymbolicLinkReplacesTheFileItNamesAndKeepsTheLink(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("flows.csv");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("flows.csv"), real);
        Run r = run("analyze", SAMPLE.toString(), "--csv", link.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(5, Files.readAllLines(real).size());
        assertEquals(List.of("flows.csv"), listing(real.getParent()));
    }

    @Test
    void devicesAreWrittenInPlaceNeverReplaced() throws Exception {
        Run r = run("analyze", SAMPLE.toString(), "--csv", "/dev/null", "-q");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "still the device");
        assertTrue(Files.list(Path.of("/dev")).noneMatch(p -> p.getFileName().toString().contains(".teardown-")));
    }

    @Test
    void aCaptureCorruptPartWayStillPutsItsRowsInPlaceAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        byte[] pcap = Files.readAllBytes(SAMPLE);
        Path f = dir.resolve("cut.pcap");
        ByteOrder order = headerOrder(pcap);
        int off = 24;
        for (int i = 0; i < 30; i++) off += 16 + ByteBuffer.wrap(pcap).order(order).getInt(off + 8);
        ByteBuffer.wrap(pcap).order(order).putInt(off + 8, 0x7fff0000);
        Files.write(f, pcap);
        Path out = Files.createDirectory(dir.resolve("out"));
        Run r = run("analyze", f.toString(), "--csv", out.resolve("flows.csv").toString(), "-q");
        assertOneLineError(r, 1, "at byte " + off);
        assertTrue(Files.readAllLines(out.resolve("flows.csv")).size() > 1);
        assertEquals(List.of("flows.csv"), listing(out));
    }

    @Test
    void anInterruptStopsReadingPutsEverythingReadInPlaceAndExits130(@TempDir Path dir) throws Exception {
        Path x = Files.createFile(dir.resolve("x.pcap"));
        Path y = Files.createFile(dir.resolve("y.pcap"));
        Path csv = dir.resolve("flows.csv");
        Run r = run(a -> a.opener = files -> Traffic.source(Traffic.Kind.SYN, 50, i -> {
            if (i == 20) a.interrupted.set(true); // Ctrl-C while the 21st packet is read
        }, null), "analyze", "--separate", x.toString(), y.toString(), "--csv", csv.toString(), "--max-connections", "1000");
        assertEquals(130, r.exit(), r.err());
        assertEquals("teardown: interrupted after 21 packets of " + x + " (results up to there were written)", r.err().strip());
        assertEquals(22, Files.readAllLines(csv).size(), "a header and the 21 connections read");
        assertTrue(r.out().contains("21 read"), r.out());
        assertFalse(r.out().contains("y.pcap"), "the next file is not started");
        assertEquals(List.of("flows.csv", "x.pcap", "y.pcap"), listing(dir));
    }

    // ---- a bound on connections held, and running out of memory (item 2) ----

    @Test
    void analyzeBoundsTheConnectionsHeldAndSaysHowManyWereWrittenOutEarly(@TempDir Path dir) throws Exception {
        Path flood = dir.resolve("flood.pcap");
        Traffic.writePcap(flood, Traffic.Kind.SYN, 50);
        Run r = run("analyze", flood.toString(), "--max-connections", "10", "--csv", dir.resolve("f.csv").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(51, Files.readAllLines(dir.resolve("f.csv")).size());
        assertTrue(r.out().contains("(at most 11 open at once)"), r.out());
        assertTrue(r.out().contains("40 connections written out early because the table was full (--max-connections 10)"), r.out());
    }

    @Test
    void theDefaultBoundOnConnectionsHeldComesFromTheHeapAndHelpShowsIt() {
        Run help = run("analyze", "--help");
        assertEquals(0, help.exit());
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("here " + AnalyzeOptions.defaultMaxConnections() + "."), help.out());
    }

    @Test
    void runningOutOfMemoryIsOneLineExitOneAndKeepsEveryRowWritten(@TempDir Path dir) throws Exception {
        Path flood = Files.createFile(dir.resolve("flood.pcap"));
        Path csv = dir.resolve("flows.csv");
        Run r = run(a -> a.opener = files -> Traffic.source(Traffic.Kind.SYN, 50, i -> { }, new OutOfMemoryError("test")),
            "analyze", flood.toString(), "--max-connections", "10", "--csv", csv.toString());
        assertOneLineError(r, 1, "out of memory after 50 packets of " + flood + "; the 10 connections then held were "
            + "not written", "raise -Xmx via TEARDOWN_JAVA_OPTS or lower --max-connections");
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(41, Files.readAllLines(csv).size(), "a header and the 40 rows written out early");
        assertTrue(r.out().contains("50 read"), "the summary is still printed: " + r.out());
        assertEquals(List.of("flood.pcap", "flows.csv"), listing(dir));
    }

    // ---- numbers out of range (item 3) ----

    @ParameterizedTest
    @CsvSource({
        "--time-wait, 9223372036854775807",
        "--time-wait, 10000000000",
        "--time-wait, 86401",
        "--time-wait, 0",
        "--idle-timeout, 9223372036854775807",
        "--idle-timeout, 31536001",
        "--idle-timeout, -5",
        "--max-connections, 0",
    })
    void aNumberOutOfRangeIsAUsageErrorNamingOnlyItsOption(String option, String value) {
        Run r = run("analyze", SAMPLE.toString(), option, value);
        assertOneLineError(r, 2, "teardown: " + option + " must be ", "not " + value);
        String first = r.err().lines().findFirst().orElseThrow();
        assertEquals(1, Stream.of("--time-wait", "--idle-timeout", "--max-connections").filter(first::contains).count(), first);
        assertEquals("", r.out());
    }

    @Test
    void theLargestAcceptedTimesGiveATimeWaitEndAfterItsStart() {
        Run r = run("analyze", SAMPLE.toString(), "--time-wait", "86400", "--idle-timeout", "31536000", "--csv", "-", "-q");
        assertEquals(0, r.exit(), r.err());
        String row = r.out().lines().skip(1).findFirst().orElseThrow();
        String[] cells = row.split(",");
        assertEquals("server", cells[18]);
        assertEquals(java.time.Instant.parse(cells[19]).plusSeconds(86400), java.time.Instant.parse(cells[20]), row);
    }

    // ---- smaller (item 4) ----

    @Test
    void aSummaryThatCannotBeWrittenIsOneLineAndExitOne() {
        StringWriter err = new StringWriter();
        CommandLine cl = TeardownCommand.commandLine();
        cl.setOut(new PrintWriter(new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void close() {
            }
        }, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("analyze", SAMPLE.toString());
        assertEquals(1, exit, err.toString());
        assertEquals("teardown: writing the summary to standard output failed (a full disk, or the reading end of the "
            + "pipe went away?)", err.toString().strip());
    }

    @Test
    void separateGoesOnPastFilesThatCannotBeOpenedReportingEachInOneLineAndExitsOne(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("garbage.pcap");
        Files.writeString(garbage, "not a capture\n");
        Path missing = dir.resolve("missing.pcap");
        Run r = run("analyze", "--separate", SAMPLE.toString(), missing.toString(), garbage.toString(), SAMPLE.toString(),
            "--csv", "-", "-q");
        assertEquals(1, r.exit(), r.err());
        assertEquals(9, r.out().lines().count(), "one header and 4 rows for each readable file: " + r.out());
        List<String> errors = r.err().lines().toList();
        assertEquals(2, errors.size(), r.err());
        assertEquals("teardown: " + missing + ": no such file", errors.get(0));
        assertTrue(errors.get(1).startsWith("teardown: " + garbage + ": at byte 0"), errors.get(1));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static ByteOrder headerOrder(byte[] pcap) {
        return (pcap[0] & 0xff) == 0xd4 || (pcap[0] & 0xff) == 0x4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    @Test
    void summaryInfersTheServersConfiguredIdleTimeoutWithinOneSecond() {
        // nginx keepalive_timeout 2s and lighttpd server.max-keep-alive-idle = 2 (samples/README.md); the same
        // nginx setting over HTTPS, where only the encrypted turns show when the last exchange ended.
        for (String sample : new String[] {"samples/nginx-idle-timeout.pcap", "samples/keepalive-idle-timeout.pcap",
                "samples/tls-idle-timeout.pcap"}) {
            Run r = run("analyze", sample);
            assertEquals(0, r.exit(), r.err());
            java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("closes idle keep-alive connections after ~([0-9.]+) s").matcher(r.out());
            assertTrue(m.find(), r.out());
            double inferred = Double.parseDouble(m.group(1));
            assertTrue(Math.abs(inferred - 2.0) <= 1.0, sample + ": " + inferred);
        }
        String https = run("analyze", "samples/tls-idle-timeout.pcap").out();
        assertTrue(https.contains("(n=2, p10 2.0, p90 2.0; likely 2 s)"), https);
        assertTrue(https.contains("(2 HTTP connections; 2 over TLS: exchanges estimated from encrypted turns)"), https);
    }

    // ---- the timeline (issue 8, item 1) ----

    private static final Path CURL = Path.of("samples/curl-connection-close.pcap");
    private static final String TIMELINE_HEADER = "time,server_ip,server_port,open,time_wait_server,time_wait_client,"
        + "closes_client,closes_server,closes_both,resets,partial";

    @Test
    void aTimelineToStdoutMovesTheSummaryToStderr() {
        Run r = run("analyze", CURL.toString(), "--timeline", "-");
        assertEquals(0, r.exit(), r.err());
        // Three closes by 11:01:08.110 (one crossed, two by the server): at the instant after, the server holds
        // three TIME_WAITs and the client the crossed one.
        assertEquals(List.of(TIMELINE_HEADER, "2026-11-24T11:01:09.000000Z,127.0.0.1,8080,0,3,1,0,2,1,0,true"),
            r.out().lines().toList());
        assertTrue(r.err().contains("closed first by"), r.err());
    }

    @Test
    void aTimelineFileTakesARowPerStepAndIsRenamedIntoPlaceBesideTheOtherOutputs(@TempDir Path dir) throws Exception {
        Path timeline = dir.resolve("tw.csv");
        Run r = run("analyze", CURL.toString(), "--timeline", timeline.toString(), "--step", "0.005",
            "--csv", dir.resolve("flows.csv").toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(timeline);
        assertEquals(TIMELINE_HEADER, lines.get(0));
        // Instants every 5 ms from 11:01:08.095 to .115, the first after the last packet (.110137).
        assertEquals(List.of("08.095", "08.100", "08.105", "08.110", "08.115"),
            lines.subList(1, lines.size()).stream().map(l -> l.substring(17, 23)).toList());
        assertEquals(List.of("flows.csv", "tw.csv"), listing(dir));
    }

    @Test
    void separateCapturesShareOneTimelineHeader() {
        Run r = run("analyze", "--separate", CURL.toString(), SAMPLE.toString(), "--timeline", "-", "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.out().lines().filter(TIMELINE_HEADER::equals).count(), r.out());
        assertTrue(r.out().lines().count() > 2, r.out());
    }

    @Test
    void aTimelineThatIsAnInputOrAnotherOutputOrSharesStdoutIsRefusedBeforeAnythingIsOpened(@TempDir Path dir)
            throws Exception {
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path self = dir.resolve("self.pcap");
        Files.write(self, sample);
        Run input = run("analyze", self.toString(), "--timeline", self.toString());
        assertOneLineError(input, 2, "--timeline " + self, "is the input");
        assertArrayEquals(sample, Files.readAllBytes(self), "the capture is untouched");

        Run same = run("analyze", self.toString(), "--csv", dir.resolve("f").toString(), "--timeline", dir.resolve("./f").toString());
        assertOneLineError(same, 2, "--csv " + dir.resolve("f") + " and --timeline " + dir.resolve("./f"), "are the same file");

        Run stdout = run("analyze", self.toString(), "--json", "-", "--timeline", "-");
        assertOneLineError(stdout, 2, "--json and --timeline cannot both write to stdout");
        assertEquals(List.of("self.pcap"), listing(dir));
    }

    @ParameterizedTest
    @CsvSource({
        "0, --step must be 0.001 to 86,400 seconds, not 0",
        "-1, --step must be 0.001 to 86,400 seconds, not -1",
        "0.0009, --step must be 0.001 to 86,400 seconds, not 0.0009",
        "86400.000001, --step must be 0.001 to 86,400 seconds, not 86400.000001",
        "1e9999999999, --step must be 0.001 to 86,400 seconds, not 1e9999999999",
        "soon, --step must be 0.001 to 86,400 seconds, not soon",
        "0.0015001, --step must be whole microseconds (at most 6 decimals), not 0.0015001",
    })
    void aStepOutOfRangeNotANumberOrFinerThanAMicrosecondIsAUsageErrorNamingIt(String value, String message) {
        Run r = run("analyze", SAMPLE.toString(), "--timeline", "-", "--step", value);
        assertOneLineError(r, 2, "teardown: " + message);
        assertEquals("", r.out(), "nothing analysed");
    }

    @Test
    void aStepWithoutATimelineIsAUsageError() {
        assertOneLineError(run("analyze", SAMPLE.toString(), "--step", "5"), 2, "--step needs --timeline");
    }

    @Test
    void aStepOfAFewMillisecondsAndOfADayAreAccepted() {
        assertEquals(0, run("analyze", SAMPLE.toString(), "--timeline", "/dev/null", "--step", "0.001", "-q").exit());
        assertEquals(0, run("analyze", SAMPLE.toString(), "--timeline", "/dev/null", "--step", "86400", "-q").exit());
        assertEquals(0, run("analyze", SAMPLE.toString(), "--timeline", "/dev/null", "--step", "2.5e-3", "-q").exit());
    }

    @Test
    void aTimelineThatCannotBeWrittenIsNamedInOneLineWithExitOneAndTheOtherOutputsGoOn(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Run r = run("analyze", SAMPLE.toString(), "--timeline", "/dev/full", "--csv", csv.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals("teardown: writing /dev/full: No space left on device", r.err().strip(), r.err());
        assertTrue(r.out().contains("closed first by    server 4"), r.out());
        assertEquals(5, Files.readAllLines(csv).size());
    }

    @Test
    void summaryJsonOnTheInputOrOnAnotherOutputIsRefused(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.pcap");
        Files.copy(SAMPLE, input);
        assertOneLineError(run("analyze", input.toString(), "--summary-json", input.toString()), 2,
            "--summary-json", "is the input");
        assertEquals(Files.size(SAMPLE), Files.size(input), "the input is untouched");
        Path out = dir.resolve("out");
        assertOneLineError(run("analyze", input.toString(), "--csv", out.toString(), "--summary-json", out.toString()), 2,
            "are the same file");
        assertFalse(Files.exists(out));
        assertOneLineError(run("analyze", input.toString(), "--summary-json", "-", "--csv", "-"), 2,
            "cannot both write to stdout");
    }

    @Test
    void summaryJsonWritesOneLinePerCaptureWithSeparateAndOneForTheWhole(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("summary.json");
        Run r = run("analyze", SAMPLE.toString(), CURL.toString(), "--separate", "--summary-json", json.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(json);
        assertEquals(2, lines.size());
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("teardown: " + SAMPLE, mapper.readTree(lines.get(0)).get("title").asText());
        assertEquals("teardown: " + CURL, mapper.readTree(lines.get(1)).get("title").asText());
        assertEquals(4, mapper.readTree(lines.get(0)).get("connections").get("total").asLong());

        Run whole = run("analyze", SAMPLE.toString(), CURL.toString(), "--summary-json", "-", "-q");
        assertEquals(0, whole.exit(), whole.err());
        assertEquals(1, whole.out().lines().count());
        assertEquals("teardown: " + SAMPLE + " + " + CURL, mapper.readTree(whole.out()).get("title").asText());
    }

    @Test
    void quietStillWritesTheSummaryJsonWithItsTimeWaitFigures() throws Exception {
        Run r = run("analyze", SAMPLE.toString(), "--summary-json", "-", "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "no terminal summary");
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(4, o.get("time_wait").get("hosts").get(0).get("as_server").get("peak").asLong());
    }

    @Test
    void theSummaryJsonIsTheSameBytesOnEveryRun() {
        assertEquals(run("analyze", CURL.toString(), "--summary-json", "-").out(),
            run("analyze", CURL.toString(), "--summary-json", "-").out());
    }

    /** Progress looked at after every packet, by a clock a second further on each look: a line per packet. */
    private static void progressEveryPacket(AnalyzeCommand c) {
        long[] now = {0};
        c.pacing = new AnalyzeCommand.Pacing(() -> now[0] += 1_000_000_000L, 1, 0, 200);
    }

    @Test
    void forcedProgressRedrawsOnStderrOnlyAndEndsClearedAndTheOutputsAreUnchanged(@TempDir Path dir)
            throws IOException {
        Path withCsv = dir.resolve("with.csv");
        Path withoutCsv = dir.resolve("without.csv");
        Run r = run(AnalyzeCommandTest::progressEveryPacket, "analyze", SAMPLE.toString(), "--progress",
            "--csv", withCsv.toString());
        Run plain = run("analyze", SAMPLE.toString(), "--no-progress", "--csv", withoutCsv.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(plain.out(), r.out(), "the summary on stdout is the same with progress shown");
        assertArrayEquals(Files.readAllBytes(withoutCsv), Files.readAllBytes(withCsv), "the CSV is the same");
        assertFalse(r.out().contains("\r"), "no progress on stdout");
        assertEquals("", plain.err());
        String err = r.err();
        assertTrue(err.startsWith("\r" + SAMPLE + ": "), err);
        assertTrue(err.split("\r").length > 5, "redrawn in place: " + err);
        assertTrue(err.contains("% ") && err.contains("packets/s"), err);
        assertTrue(err.matches("\r[^\n]*\r +\r"), "one redrawn line, ending cleared: " + err);
    }

    @Test
    void progressWithTheSummaryOnStderrIsClearedBeforeTheSummary() {
        // With --csv - the table takes stdout and the summary goes to stderr, after the progress line.
        Run r = run(AnalyzeCommandTest::progressEveryPacket, "analyze", SAMPLE.toString(), "--progress", "--csv", "-");
        Run plain = run("analyze", SAMPLE.toString(), "--csv", "-");
        assertEquals(plain.out(), r.out(), "the CSV on stdout is the same with progress shown");
        assertTrue(r.err().matches("(?s)\r[^\n]*\r +\r.*"), r.err());
        String afterClearing = r.err().substring(r.err().lastIndexOf('\r') + 1);
        assertEquals(plain.err(), afterClearing, "the summary starts on a cleared line");
    }

    @Test
    void progressIsNotShownWhenStderrIsNotATerminalOrWithQuiet() {
        Run piped = run(c -> { progressEveryPacket(c); c.stderrIsTerminal = () -> false; },
            "analyze", SAMPLE.toString(), "--csv", "-", "-q");
        assertEquals("", piped.err());
        Run quiet = run(c -> { progressEveryPacket(c); c.stderrIsTerminal = () -> true; },
            "analyze", SAMPLE.toString(), "--csv", "-", "-q", "--progress");
        assertEquals("", quiet.err());
        Run terminal = run(c -> { progressEveryPacket(c); c.stderrIsTerminal = () -> true; },
            "analyze", SAMPLE.toString(), "--csv", "-", "-q", "--no-progress");
        assertEquals("", terminal.err());
    }

    @Test
    void progressIsShownByDefaultWhenStderrIsATerminal() {
        Run r = run(c -> { progressEveryPacket(c); c.stderrIsTerminal = () -> true; },
            "analyze", SAMPLE.toString(), "--csv", "/dev/null");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("packets/s"), r.err());
        assertFalse(r.out().contains("packets/s"), r.out());
    }

    @Test
    void progressOverSeveralFilesCountsTheirBytesTogetherAndNamesEachFile() throws IOException {
        String first = "samples/http10-server-close.pcap";
        String second = "samples/port-reuse.pcap";
        Run r = run(AnalyzeCommandTest::progressEveryPacket, "analyze", first, second, "--progress", "--csv", "/dev/null");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("\r1/2 " + first + ": "), r.err());
        assertTrue(r.err().contains("\r2/2 " + second + ": "), r.err());
        assertTrue(r.err().contains("/" + Progress.size(Files.size(Path.of(first)) + Files.size(Path.of(second)))),
            r.err());
    }

    @Test
    void progressIsClearedBeforeAnErrorLine(@TempDir Path dir) throws IOException {
        byte[] sample = Files.readAllBytes(SAMPLE);
        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(sample, sample.length - 10));
        Path garbage = Files.write(dir.resolve("garbage.pcap"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Run r = run(AnalyzeCommandTest::progressEveryPacket, "analyze", cut.toString(), garbage.toString(),
            "--progress", "--csv", "/dev/null", "-q");
        assertEquals(1, r.exit(), r.err());
        String lastLine = r.err().substring(r.err().lastIndexOf('\r') + 1);
        assertTrue(lastLine.startsWith("teardown: "), "the error starts on a cleared line: " + lastLine);
    }

    @Test
    void progressIsClearedBeforeTheInterruptMessage() {
        Run r = run(c -> {
            long[] now = {0};
            c.pacing = new AnalyzeCommand.Pacing(() -> {
                if (now[0] == 5_000_000_000L) c.interrupted.set(true); // Ctrl-C after a few redraws
                return now[0] += 1_000_000_000L;
            }, 1, 0, 200);
        }, "analyze", SAMPLE.toString(), "--progress", "--csv", "/dev/null");
        assertEquals(AnalyzeCommand.EXIT_INTERRUPTED, r.exit(), r.err());
        assertTrue(r.err().matches("(?s)\\r[^\\n]*\\r +\\r.*"), r.err());
        String afterClearing = r.err().substring(r.err().lastIndexOf('\r') + 1);
        assertTrue(afterClearing.contains("teardown: interrupted after "), afterClearing);
        assertFalse(afterClearing.contains("packets/s"), afterClearing);
    }
}
