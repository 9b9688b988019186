package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;

/**
 * Frames for the live loop's tests, built byte by byte: raw IPv4 TCP segments between client 10.0.0.1 and server
 * 10.0.0.2:80, and one connection the client closes first.
 */
final class LiveFrames {
    static final long S = AnalyzeOptions.SECOND;
    static final long MS = S / 1000;
    /** Packet time of the first frame: 2023-11-14. */
    static final long T0 = 1_700_000_000L * S;
    static final int SYN = 0x02;
    static final int FIN = 0x01;
    static final int ACK = 0x10;
    /** When the client's TIME_WAIT of {@link #clientClosed()} ends (Linux's 60 s). */
    static final long TIME_WAIT_END = T0 + S + 2 * MS + 60 * S;

    /** A status that is never due (and fails the test if it is printed). */
    static final LiveRun.Status NO_STATUS = new LiveRun.Status() {
        @Override
        public long intervalNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public int topEndpoints() {
            return 0;
        }

        @Override
        public void print(LiveRun.Sample before, LiveRun.Sample now) {
            throw new AssertionError("no status expected");
        }
    };

    private LiveFrames() {}

    static Frame segment(long timeNanos, boolean fromClient, int clientPort, int flags, int seq, int ack) {
        byte[] b = new byte[40];
        b[0] = 0x45;
        b[3] = 40;
        b[8] = 64;
        b[9] = 6;
        int client = 0x0a000001;
        int server = 0x0a000002;
        put(b, 12, 4, fromClient ? client : server);
        put(b, 16, 4, fromClient ? server : client);
        put(b, 20, 2, fromClient ? clientPort : 80);
        put(b, 22, 2, fromClient ? 80 : clientPort);
        put(b, 24, 4, seq);
        put(b, 28, 4, ack);
        b[32] = 5 << 4;
        b[33] = (byte) flags;
        put(b, 34, 2, 65535);
        Frame f = new Frame();
        f.set(b, 0, b.length, b.length, timeNanos, LinkTypes.RAW, 0);
        return f;
    }

    private static void put(byte[] b, int at, int bytes, long value) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
    }

    /** A SYN from {@code clientPort} at {@code t}: a connection left open. */
    static Frame syn(long t, int clientPort) {
        return segment(t, true, clientPort, SYN, 100, 0);
    }

    /** Handshake at T0, then the client closes first at T0 + 1 s; its last ACK, at T0 + 1.002 s, starts its TIME_WAIT. */
    static Frame[] clientClosed() {
        return new Frame[] {
            syn(T0, 40000),
            segment(T0 + MS, false, 40000, SYN | ACK, 500, 101),
            segment(T0 + 2 * MS, true, 40000, ACK, 101, 501),
            segment(T0 + S, true, 40000, FIN | ACK, 101, 501),
            segment(T0 + S + MS, false, 40000, FIN | ACK, 501, 102),
            segment(T0 + S + 2 * MS, true, 40000, ACK, 102, 502),
        };
    }
}
