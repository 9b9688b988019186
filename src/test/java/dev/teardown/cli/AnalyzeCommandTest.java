package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The analyze command end to end: exit codes, one-line errors, outputs. */
class AnalyzeCommandTest {
    private static final Path SAMPLE = Path.of("samples/http10-server-close.pcap");

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TeardownCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
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
    void sampleAnalysisPrintsTheSummaryAndExitsZero() {
        Run r = run("analyze", SAMPLE.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("closed first by    server 4"), r.out());
        assertTrue(r.out().contains("TIME_WAIT held by  server 4"), r.out());
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
            + "persistent_expected,idle_before_close_s,close_reason\n"), r.out());
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

    private static ByteOrder headerOrder(byte[] pcap) {
        return (pcap[0] & 0xff) == 0xd4 || (pcap[0] & 0xff) == 0x4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    @Test
    void summaryInfersTheServersConfiguredIdleTimeoutWithinOneSecond() {
        // nginx keepalive_timeout 2s and lighttpd server.max-keep-alive-idle = 2 (samples/README.md).
        for (String sample : new String[] {"samples/nginx-idle-timeout.pcap", "samples/keepalive-idle-timeout.pcap"}) {
            Run r = run("analyze", sample);
            assertEquals(0, r.exit(), r.err());
            java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("closes idle keep-alive connections after ~([0-9.]+) s").matcher(r.out());
            assertTrue(m.find(), r.out());
            double inferred = Double.parseDouble(m.group(1));
            assertTrue(Math.abs(inferred - 2.0) <= 1.0, sample + ": " + inferred);
        }
    }
}
