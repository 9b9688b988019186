package dev.teardown.pipeline;

import dev.teardown.hostile.PcapBuilder;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated capture (built packet by packet, seeded) for the TIME_WAIT stage's figures: clients on a few dozen
 * addresses, each running keep-alive HTTP connection after connection to three server endpoints from a handful of
 * ports (so tuples come back, some while the server still holds TIME_WAIT), every segment carrying TCP timestamps
 * from its sender's clock (RFC 7323; some clients show two clocks, as behind a NAT, and one clock runs backwards
 * now and then). Idle gaps inside connections, servers that close idle connections (the idle-timeout what-if),
 * clients that close, RSTs and connections left open; all interleaved over ten minutes.
 */
final class KeepAlive {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long START = 1_700_000_000L * S;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONE = new byte[0];
    private static final Endpoint[] SERVERS = {Endpoint.v4(10, 0, 0, 2, 80), Endpoint.v4(10, 0, 0, 2, 8080),
        Endpoint.v4(10, 0, 0, 3, 80)};

    /** Linux's 60 s TIME_WAIT, and a 5-minute idle timeout: longer than any gap here. */
    static AnalyzeOptions options() {
        return new AnalyzeOptions(60 * S, 300 * S, 1_000_000);
    }

    private record Packet(long nanos, int order, Endpoint src, Endpoint dst, int seq, int ack, int flags, long ts,
                          byte[] payload) {}

    private final SplittableRandom random;
    private final List<Packet> packets = new ArrayList<>();

    private KeepAlive(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The capture: {@code clients} client addresses over {@code seconds} seconds. */
    static byte[] capture(long seed, int clients, int seconds) {
        KeepAlive k = new KeepAlive(seed);
        for (int i = 0; i < clients; i++) k.client(i, seconds);
        k.packets.sort(Comparator.comparingLong(Packet::nanos).thenComparingInt(Packet::order));
        PcapBuilder b = new PcapBuilder(k.packets.size());
        for (Packet p : k.packets) b.tcp(p.nanos, p.src, p.dst, p.seq, p.ack, p.flags, timestamps(p.ts), p.payload);
        return b.toByteArray();
    }

    /** Connection after connection from client address {@code i}, each from the next of four ports. */
    private void client(int i, int seconds) {
        long[] offsets = {random.nextLong(1L << 32), random.nextLong(1L << 32)};
        boolean nat = i % 5 == 0;
        long t = START + random.nextLong(5_000) * MS;
        long end = START + seconds * S;
        for (int n = 0; t < end; n++) {
            Endpoint client = Endpoint.v4(10, 1, i / 200, 1 + i % 200, 40_000 + n % 4);
            Endpoint server = SERVERS[random.nextInt(SERVERS.length)];
            long offset = offsets[nat && random.nextBoolean() ? 1 : 0];
            if (random.nextInt(50) == 0) offset -= 100_000; // a clock set back
            t = connection(t, client, server, offset) + random.nextLong(3_000) * MS;
        }
    }

    /** One connection from {@code t}, the client's TSvals {@code offset} plus milliseconds; returns its last packet's time. */
    private long connection(long t, Endpoint c, Endpoint s, long offset) {
        long serverOffset = s.port() * 1_000_003L;
        int ci = random.nextInt();
        int si = random.nextInt();
        t = send(t, c, s, ci, 0, SYN, offset, NONE);
        t = send(t, s, c, si, ci + 1, SYN | ACK, serverOffset, NONE);
        ci++;
        si++;
        t = send(t, c, s, ci, si, ACK, offset, NONE);
        int exchanges = 1 + random.nextInt(4);
        for (int e = 0; e < exchanges; e++) {
            // Mostly quick, sometimes idle longer than the what-if's shortest timeout (15 s).
            if (e > 0) t += (random.nextInt(6) == 0 ? 16_000 + random.nextLong(40_000) : random.nextLong(2_000)) * MS;
            t = send(t, c, s, ci, si, PSH | ACK, offset, GET);
            ci += GET.length;
            t = send(t, s, c, si, ci, PSH | ACK, serverOffset, OK);
            si += OK.length;
            t = send(t, c, s, ci, si, ACK, offset, NONE);
        }
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> close(t + (2_000 + random.nextLong(8_000)) * MS, s, c, si, ci, serverOffset, offset);
            case 5, 6, 7 -> close(t, c, s, ci, si, offset, serverOffset);
            case 8 -> send(t, c, s, ci, si, RST | ACK, offset, NONE);
            default -> t; // left open
        };
    }

    /** {@code a} closes first (after an idle wait when it is the server); {@code b} answers and closes. */
    private long close(long t, Endpoint a, Endpoint b, int as, int bs, long aOffset, long bOffset) {
        t = send(t, a, b, as, bs, FIN | ACK, aOffset, NONE);
        t = send(t, b, a, bs, as + 1, ACK, bOffset, NONE);
        t = send(t, b, a, bs, as + 1, FIN | ACK, bOffset, NONE);
        return send(t, a, b, as + 1, bs + 1, ACK, aOffset, NONE);
    }

    /** Sends a segment a moment (often no time at all) after {@code t}, TSval its clock then; returns its time. */
    private long send(long t, Endpoint src, Endpoint dst, int seq, int ack, int flags, long offset, byte[] payload) {
        long at = t + (random.nextInt(3) == 0 ? 0 : random.nextLong(30) * MS);
        long ts = offset + (at - START) / MS & 0xFFFF_FFFFL;
        packets.add(new Packet(at, packets.size(), src, dst, seq, ack, flags, ts, payload));
        return at;
    }

    /** NOP, NOP, then the timestamps option (kind 8, length 10) with {@code ts} and a zero TSecr. */
    private static byte[] timestamps(long ts) {
        return new byte[] {1, 1, 8, 10, (byte) (ts >>> 24), (byte) (ts >>> 16), (byte) (ts >>> 8), (byte) ts, 0, 0, 0, 0};
    }
}
