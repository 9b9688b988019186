package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.Column;
import dev.teardown.report.CsvSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TCP options at their edges (RFC 9293 section 3.1: kind, length, data; at most 40 bytes), carried on every
 * segment of one ordinary connection. A malformed option is counted once per segment as BAD_TCP_OPTION and
 * never costs the segment: the connection still reads as a full handshake closed by the client.
 */
@Tag("hostile")
class TcpOptionEdgesTest {

    static Stream<Arguments> options() {
        return Stream.of(
            Arguments.of("forty bytes of NOP (the largest header)", repeat(1, 40), false),
            Arguments.of("EOL first, then garbage", concat(new int[] {0}, repeat(0xff, 39)), false),
            Arguments.of("twenty option kinds with length 2", kinds(), false),
            Arguments.of("SACK blocks filling the header", concat(new int[] {1, 1, 5, 34}, repeat(7, 32), new int[] {0, 0, 0, 0}), false),
            Arguments.of("timestamps, NOP-aligned", new int[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}, false),
            Arguments.of("length 0 (would never advance)", new int[] {2, 0, 1, 1}, true),
            Arguments.of("length 1 (shorter than kind and length)", new int[] {3, 1, 1, 1}, true),
            Arguments.of("length 255, past the header", new int[] {2, 255, 5, 180}, true),
            Arguments.of("length one past the header", new int[] {1, 1, 2, 3}, true),
            Arguments.of("kind in the last byte, its length missing", new int[] {1, 1, 1, 2}, true),
            Arguments.of("timestamps of length 8", new int[] {8, 8, 0, 0, 0, 1, 1, 1}, true),
            Arguments.of("timestamps of length 40", concat(new int[] {8, 40}, repeat(0, 38)), true),
            Arguments.of("an unknown kind 254 filling all 40 bytes", concat(new int[] {254, 40}, repeat(0xaa, 38)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void optionsAtTheirEdgesNeverCostTheSegment(String name, int[] options, boolean malformed) throws IOException {
        byte[] o = new byte[options.length];
        for (int i = 0; i < o.length; i++) o[i] = (byte) options[i];
        byte[] capture = connectionWithOptions(o);
        StringWriter out = new StringWriter();
        Analysis.Result r;
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "options.pcap");
             CsvSink csv = new CsvSink(out, false)) {
            r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv));
        }
        assertNull(r.failure());
        assertEquals(7, r.totals().tcpSegments(), "every segment decoded: " + r.totals());
        assertEquals(malformed ? Long.valueOf(7) : null, r.totals().malformed().get("BAD_TCP_OPTION"),
            "BAD_TCP_OPTION once per segment: " + r.totals());
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        String[] row = lines.get(1).split(",", -1);
        assertEquals("full", row[Column.HANDSHAKE.ordinal()]);
        assertEquals("client", row[Column.CLOSE_INITIATOR.ordinal()]);
        assertEquals("fin", row[Column.CLOSE_TYPE.ordinal()]);
        assertEquals("client", row[Column.TIME_WAIT_SIDE.ordinal()]);
    }

    /** The client-closes connection of {@link TimestampExtremesTest}, with {@code options} on every segment. */
    private static byte[] connectionWithOptions(byte[] options) {
        PcapBuilder p = new PcapBuilder(8);
        Endpoint client = HostileCaptures.client(0);
        Endpoint server = HostileCaptures.SERVER;
        long t = HostileCaptures.START_NANOS;
        byte[] none = new byte[0];
        int c = 1000;
        int s = 5000;
        int syn = HostileCaptures.SYN;
        int ack = HostileCaptures.ACK;
        int fin = HostileCaptures.FIN;
        p.tcp(t, client, server, c, 0, syn, options, none);
        p.tcp(t + 1000, server, client, s, c + 1, syn | ack, options, none);
        p.tcp(t + 2000, client, server, c + 1, s + 1, ack, options, none);
        p.tcp(t + 3000, client, server, c + 1, s + 1, fin | ack, options, none);
        p.tcp(t + 4000, server, client, s + 1, c + 2, ack, options, none);
        p.tcp(t + 5000, server, client, s + 1, c + 2, fin | ack, options, none);
        p.tcp(t + 6000, client, server, c + 2, s + 2, ack, options, none);
        return p.toByteArray();
    }

    private static int[] repeat(int value, int count) {
        int[] a = new int[count];
        Arrays.fill(a, value);
        return a;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    /** Kinds 2..21 but timestamps (8, whose length must be 10) as 2-byte options: 40 bytes. */
    private static int[] kinds() {
        int[] a = new int[40];
        int kind = 2;
        for (int i = 0; i < 20; i++, kind++) {
            if (kind == 8) kind++;
            a[2 * i] = kind;
            a[2 * i + 1] = 2;
        }
        return a;
    }
}
