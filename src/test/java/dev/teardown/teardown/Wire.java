package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;
import dev.teardown.decode.TestSegments;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built conversation between a client 10.0.0.1:40000 and a server 10.0.0.2:80, fed through a real
 * {@link ConnectionTracker}: each call sends one segment at the given second.
 */
public final class Wire {
    public static final long S = 1_000_000_000L;
    public static final long TW = 60 * S;
    static final int CLIENT_IP = 0x0a000001;
    static final int SERVER_IP = 0x0a000002;

    public final List<Connection<?>> emitted = new ArrayList<>();
    private final List<ConnectionEvents<Void>> listeners = new ArrayList<>();
    public final ConnectionTracker<Void> tracker = new ConnectionTracker<>(TW, 3600 * S, () -> null, new ConnectionEvents<>() {
        @Override
        public void closed(Connection<Void> c, long nanos) {
            for (ConnectionEvents<Void> l : listeners) l.closed(c, nanos);
        }

        @Override
        public void finished(Connection<Void> c) {
            emitted.add(c);
            for (ConnectionEvents<Void> l : listeners) l.finished(c);
        }
    });
    public int clientPort = 40000;
    public int serverPort = 80;
    /** Next sequence number each side will send. */
    public int cseq;
    public int sseq;
    /** The receive window the next segments advertise. */
    int window = 65535;

    public Wire(int clientIsn, int serverIsn) {
        cseq = clientIsn;
        sseq = serverIsn;
    }

    public Wire() {
        this(1000, 5000);
    }

    /** A segment from the client at {@code sec} seconds carrying {@code flags} and {@code len} payload bytes. */
    public Wire c(double sec, int flags, int len) {
        cseq = send(true, sec, flags, cseq, sseq, len);
        return this;
    }

    public Wire s(double sec, int flags, int len) {
        sseq = send(false, sec, flags, sseq, cseq, len);
        return this;
    }

    /** A segment with explicit numbers, for retransmissions and crossed FINs. */
    public Wire raw(boolean fromClient, double sec, int flags, int seq, int ack, int len) {
        send(fromClient, sec, flags, seq, ack, len);
        return this;
    }

    /** A segment with explicit numbers whose checksum failed (as the decoder marks it when it verifies checksums). */
    public Wire corrupt(boolean fromClient, double sec, int flags, int seq, int ack, int len) {
        badChecksum = true;
        try {
            send(fromClient, sec, flags, seq, ack, len);
        } finally {
            badChecksum = false;
        }
        return this;
    }

    private boolean badChecksum;

    private int send(boolean fromClient, double sec, int flags, int seq, int ack, int len) {
        TcpSegment t = new TcpSegment();
        t.badChecksum = badChecksum;
        t.timeNanos = (long) Math.round(sec * 1e6) * 1000L;
        t.ipVersion = 4;
        t.srcLo = fromClient ? CLIENT_IP : SERVER_IP;
        t.dstLo = fromClient ? SERVER_IP : CLIENT_IP;
        t.srcPort = fromClient ? clientPort : serverPort;
        t.dstPort = fromClient ? serverPort : clientPort;
        t.seq = seq;
        t.ack = (flags & TcpSegment.ACK) != 0 ? ack : 0;
        t.flags = flags;
        t.window = window;
        t.payloadLength = len;
        t.data = new byte[0];
        tracker.onSegment(t);
        return seq + TestSegments.sequenceLength(t);
    }

    public Wire handshake(double sec) {
        return c(sec, SYN, 0).s(sec + 0.001, SYN | ACK, 0).c(sec + 0.002, ACK, 0);
    }

    public Wire exchange(double sec) {
        return c(sec, PSH | ACK, 100).s(sec + 0.001, PSH | ACK, 300).c(sec + 0.002, ACK, 0);
    }

    /** Tells {@code listener} the tracker's events too, from now on. */
    public Wire listen(ConnectionEvents<Void> listener) {
        listeners.add(listener);
        return this;
    }

    /** Ends the input and returns every connection handed on, in order. */
    public List<Connection<?>> finish() {
        tracker.finish();
        return emitted;
    }

    static Teardown teardown(Connection<?> c) {
        return Teardown.of(c, TW);
    }

    public static final int FIN = TcpSegment.FIN;
    public static final int SYN = TcpSegment.SYN;
    public static final int RST = TcpSegment.RST;
    public static final int PSH = TcpSegment.PSH;
    public static final int ACK = TcpSegment.ACK;
}
