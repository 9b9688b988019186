package dev.teardown.pipeline;

import dev.teardown.hostile.PcapBuilder;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated capture (built packet by packet, seeded) of thousands of connections on a few dozen 4-tuples
 * (IPv4 and IPv6), interleaved: each tuple runs lifetime after lifetime, closed by the client, the server, both
 * at once, a RST, half-way, or not at all; the next lifetime starts during the last one's TIME_WAIT (accepted by
 * a SYN-ACK, or refused with an ACK and then reset), after it, or after the idle timeout. With
 * {@link #TIME_WAIT_SECONDS} and {@link #IDLE_SECONDS} short, connections expire at nearly every packet, from
 * both expiry lists, several at one packet, and predecessors are settled at every phase. Many segments share a
 * timestamp, a few are written out of time order, and frames that are not TCP (UDP, IPv4 fragments, a cut-off
 * TCP header) come in between with times of their own.
 */
final class Churn {
    static final long TIME_WAIT_SECONDS = 2;
    static final long IDLE_SECONDS = 5;
    private static final long MS = 1_000_000L;
    private static final long START = 1_700_000_000L * 1_000_000_000L;
    private static final int FIN = 0x01;
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final byte[] NONE = new byte[0];
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    /** The analysis settings the capture is made for. */
    static AnalyzeOptions options() {
        return new AnalyzeOptions(TIME_WAIT_SECONDS * AnalyzeOptions.SECOND, IDLE_SECONDS * AnalyzeOptions.SECOND,
            1_000_000);
    }

    private record Packet(long nanos, int order, Endpoint src, Endpoint dst, int seq, int ack, int flags,
                          byte[] payload, byte[] raw) {}

    private final SplittableRandom random;
    private final List<Packet> packets = new ArrayList<>();

    private Churn(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The capture's packets, {@code seconds} of traffic on {@code tuples} tuples, split into {@code files} pcaps. */
    static List<byte[]> captures(long seed, int tuples, int seconds, int files) {
        Churn c = new Churn(seed);
        for (int i = 0; i < tuples; i++) c.tuple(i, seconds);
        c.others(seconds);
        c.packets.sort(Comparator.comparingLong(Packet::nanos).thenComparingInt(Packet::order));
        for (int i = 1; i < c.packets.size(); i++) {
            if (c.random.nextInt(200) == 0) java.util.Collections.swap(c.packets, i - 1, i); // out of time order
        }
        List<byte[]> out = new ArrayList<>();
        int per = (c.packets.size() + files - 1) / files;
        for (int f = 0; f < files; f++) {
            PcapBuilder b = new PcapBuilder(per);
            for (Packet p : c.packets.subList(Math.min(f * per, c.packets.size()), Math.min((f + 1) * per, c.packets.size()))) {
                if (p.raw != null) b.raw(p.nanos, p.raw, p.raw.length);
                else b.tcp(p.nanos, p.src, p.dst, p.seq, p.ack, p.flags, NONE, p.payload);
            }
            out.add(b.toByteArray());
        }
        return out;
    }

    /** Lifetime after lifetime on tuple {@code i}. */
    private void tuple(int i, int seconds) {
        boolean v6 = i % 3 == 0;
        Endpoint server = v6 ? Endpoint.v6(0x20010db800000000L, 2, 80 + i % 2) : Endpoint.v4(10, 0, 0, 2, 80 + i % 2);
        Endpoint client = v6 ? Endpoint.v6(0x20010db800000000L, 100 + i / 7, 40000 + i)
            : Endpoint.v4(10, 1, i / 7, 1, 40000 + i);
        long t = START + random.nextLong(3_000) * MS;
        long end = START + seconds * 1_000_000_000L;
        boolean reuse = false;
        while (t < end) {
            t = lifetime(t, client, server, reuse);
            long gap = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(200) * MS; // well inside TIME_WAIT
                case 1 -> random.nextLong(TIME_WAIT_SECONDS * 1000) * MS; // anywhere in it
                case 2 -> (TIME_WAIT_SECONDS * 1000 + random.nextLong(3000)) * MS; // after it
                default -> (IDLE_SECONDS * 1000 + random.nextLong(2000)) * MS; // after the idle timeout
            };
            reuse = true;
            t += gap;
        }
    }

    /** One lifetime from {@code t}; returns the time of its last packet. */
    private long lifetime(long t, Endpoint c, Endpoint s, boolean reuse) {
        int cs = random.nextInt();
        int ss = random.nextInt();
        t = send(t, c, s, cs, 0, SYN, NONE);
        if (reuse && random.nextInt(4) == 0) {
            // The server's side is still in TIME_WAIT: it answers with an ACK, the client resets and tries again.
            t = send(t, s, c, ss, cs + 7, ACK, NONE);
            t = send(t, c, s, cs + 7, 0, RST, NONE);
            t = send(t + random.nextLong(300) * MS, c, s, cs, 0, SYN, NONE);
        }
        int shape = random.nextInt(8);
        if (shape == 0) return random.nextBoolean() ? t : send(t + 900 * MS, c, s, cs, 0, SYN, NONE); // S0
        t = send(t, s, c, ss, cs + 1, SYN | ACK, NONE);
        t = send(t, c, s, cs + 1, ss + 1, ACK, NONE);
        int ci = cs + 1;
        int si = ss + 1;
        if (random.nextBoolean()) {
            t = send(t, c, s, ci, si, PSH | ACK, GET);
            ci += GET.length;
            t = send(t, s, c, si, ci, PSH | ACK, OK);
            si += OK.length;
            t = send(t, c, s, ci, si, ACK, NONE);
        }
        return switch (shape) {
            case 1, 2 -> close(t, c, s, ci, si); // the client closes
            case 3, 4 -> close(t, s, c, si, ci); // the server closes
            case 5 -> {
                t = send(t, c, s, ci, si, FIN | ACK, NONE); // crossed FINs
                t = send(t, s, c, si, ci, FIN | ACK, NONE);
                t = send(t, c, s, ci + 1, si + 1, ACK, NONE);
                yield send(t, s, c, si + 1, ci + 1, ACK, NONE);
            }
            case 6 -> send(t, random.nextBoolean() ? c : s, random.nextBoolean() ? s : c, ci, si, RST | ACK, NONE);
            default -> random.nextBoolean() ? t : send(t, c, s, ci, si, FIN | ACK, NONE); // open, or half-closed
        };
    }

    /** {@code a} closes first; {@code b} answers and closes; {@code a} ends in TIME_WAIT. */
    private long close(long t, Endpoint a, Endpoint b, int as, int bs) {
        t = send(t, a, b, as, bs, FIN | ACK, NONE);
        t = send(t, b, a, bs, as + 1, ACK, NONE);
        t = send(t, b, a, bs, as + 1, FIN | ACK, NONE);
        return send(t, a, b, as + 1, bs + 1, ACK, NONE);
    }

    /** Sends a segment a moment (often no time at all) after {@code t}; returns its time. */
    private long send(long t, Endpoint src, Endpoint dst, int seq, int ack, int flags, byte[] payload) {
        long at = t + (random.nextInt(3) == 0 ? 0 : random.nextLong(40) * MS);
        packets.add(new Packet(at, packets.size(), src, dst, seq, ack, flags, payload, null));
        return at;
    }

    /** Frames that are not TCP segments, at times of their own. */
    private void others(int seconds) {
        for (int i = 0; i < seconds * 4; i++) {
            long at = START + random.nextLong(seconds * 1000L) * MS;
            byte[] frame = new byte[14 + 20 + 20];
            frame[12] = 0x08;
            frame[14] = 0x45;
            frame[16] = 0;
            frame[17] = 40;
            int kind = random.nextInt(3);
            frame[23] = (byte) (kind == 0 ? 17 : 6); // UDP, or TCP in a fragment, or a cut-off TCP header
            if (kind == 1) frame[20] = 0x20; // more fragments
            byte[] raw = kind == 2 ? java.util.Arrays.copyOf(frame, 14 + 20 + 8) : frame;
            packets.add(new Packet(at, packets.size(), null, null, 0, 0, 0, null, raw));
        }
    }
}
