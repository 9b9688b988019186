package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.PacketTime;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.http.HttpOutcome;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The HTTP/1.x head parser and message decoder on any bytes, reached the way traffic reaches them: as the
 * payload of one TCP connection (handshake, data, server closes) through the whole pipeline, since the
 * parser's classes are private to their package.
 *
 * <p>An input is {@code [mode][client length, 2 bytes big-endian][client bytes][server bytes]}. The low seven
 * bits of mode are the segment size (0: 1460); its high bit interleaves the two directions segment by
 * segment instead of sending all of the client's bytes first. Seeds are the request and response streams of
 * the project's samples ({@code HttpHeadFuzzTestInputs}).
 */
class HttpHeadFuzzTest {
    private static final Endpoint CLIENT = Endpoint.v4(10, 0, 0, 1, 41_000);
    private static final Endpoint SERVER = Endpoint.v4(10, 0, 0, 2, 80);
    private static final long START = 1_700_000_000_000_000_000L;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    /** HTTP/1.x versions as parsed, and {@code 2} for HTTP/2 (cleartext, or TLS whose ALPN selected h2). */
    private static final Set<String> VERSIONS = Set.of("", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7",
        "1.8", "1.9", "2");
    private static final int MAX_VALUE_CHARS = 64;

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyHttpBytesOnAConnectionGiveOneSaneRecord(byte[] input) throws IOException {
        if (input.length < 3) return;
        byte[] capture = capture(input);
        StringWriter csvText = new StringWriter();
        List<FlowRecord> records = new ArrayList<>();
        Analysis.Result result;
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "http.pcap");
             CsvSink csv = new CsvSink(csvText, false)) {
            RecordSink keep = records::add;
            result = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv, keep));
        }
        check(result.failure() == null, "a well-formed capture reads to its end: " + result.failure());
        check(records.size() == 1, "one connection, one record: " + records.size());
        HttpOutcome h = records.get(0).http();
        check(h.requests() >= 0 && h.responses() >= 0 && h.interimResponses() >= 0, "counts: " + h);
        check(VERSIONS.contains(h.version()), "version " + h.version());
        for (String v : List.of(h.requestConnection(), h.responseConnection(), h.keepAlive())) {
            check(v.length() <= MAX_VALUE_CHARS, "a header value kept past its bound: " + v.length() + " chars");
            for (int i = 0; i < v.length(); i++) {
                check(v.charAt(i) > 0x20 && v.charAt(i) < 0x7f, "a kept header value holds 0x"
                    + Integer.toHexString(v.charAt(i)) + ": " + v);
            }
        }
        check(h.lastStatus() == -1 || (h.lastStatus() >= 100 && h.lastStatus() <= 999), "status " + h.lastStatus());
        check(h.keepAliveTimeoutSeconds() >= -1 && h.keepAliveMax() >= -1, "keep-alive numbers: " + h);
        check(!PacketTime.isSet(h.idleBeforeCloseNanos()) || h.idleBeforeCloseNanos() >= 0, "idle before close " + h.idleBeforeCloseNanos());
        List<List<String>> rows = OutputInvariants.csv(csvText.toString());
        check(rows.size() == 1, "one CSV row");
    }

    /** The connection carrying {@code input}'s two byte streams, as a classic pcap file. */
    static byte[] capture(byte[] input) {
        int mode = input[0] & 0xff;
        int segment = (mode & 0x7f) == 0 ? 1460 : mode & 0x7f;
        boolean interleave = (mode & 0x80) != 0;
        int clientLength = Math.min(input.length - 3, (input[1] & 0xff) << 8 | (input[2] & 0xff));
        byte[] client = Arrays.copyOfRange(input, 3, 3 + clientLength);
        byte[] server = Arrays.copyOfRange(input, 3 + clientLength, input.length);
        PcapBuilder p = new PcapBuilder(8 + (client.length + server.length) / segment * 2);
        long[] t = {START};
        int[] seq = {1000, 900_000};
        p.tcp(tick(t), CLIENT, SERVER, seq[0]++, 0, SYN);
        p.tcp(tick(t), SERVER, CLIENT, seq[1]++, seq[0], SYN | ACK);
        p.tcp(tick(t), CLIENT, SERVER, seq[0], seq[1], ACK);
        int c = 0;
        int s = 0;
        while (c < client.length || s < server.length) {
            boolean clientTurn = interleave ? c < client.length && (c <= s || s >= server.length) : c < client.length;
            if (clientTurn) {
                int n = Math.min(segment, client.length - c);
                p.tcp(tick(t), CLIENT, SERVER, seq[0], seq[1], ACK | PSH, new byte[0], Arrays.copyOfRange(client, c, c + n));
                seq[0] += n;
                c += n;
            } else {
                int n = Math.min(segment, server.length - s);
                p.tcp(tick(t), SERVER, CLIENT, seq[1], seq[0], ACK | PSH, new byte[0], Arrays.copyOfRange(server, s, s + n));
                seq[1] += n;
                s += n;
            }
        }
        p.tcp(tick(t), SERVER, CLIENT, seq[1]++, seq[0], FIN | ACK);
        p.tcp(tick(t), CLIENT, SERVER, seq[0], seq[1], ACK);
        p.tcp(tick(t), CLIENT, SERVER, seq[0]++, seq[1], FIN | ACK);
        p.tcp(tick(t), SERVER, CLIENT, seq[1], seq[0], ACK);
        return p.toByteArray();
    }

    private static long tick(long[] t) {
        return t[0] += 1_000_000;
    }
}
