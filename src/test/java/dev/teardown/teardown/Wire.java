package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;
import dev.teardown.decode.TestSegments;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-built conversation between a client 10.0.0.1:40000 and a server 10.0.0.2:80, fed through a real
 * {@link ConnectionTracker}: each call sends one segment at the given second.
 */
final class Wire {
    static final long S = 1_000_000_000L;
    static final long TW = 60 * S;
    static final int CLIENT_IP = 0x0a000001;
    static final int SERVER_IP = 0x0a000002;

    final List<Connection> emitted = new ArrayList<>();
    final ConnectionTracker tracker = new ConnectionTracker(TW, 3600 * S, emitted::add);
    int clientPort = 40000;
    int serverPort = 80;
    /** Next sequence number each side will send. */
    int cseq;
    int sseq;
    /** The receive window the next segments advertise. */
    int window = 65535;

    Wire(int clientIsn, int serverIsn) {
        cseq = clientIsn;
        sseq = serverIsn;
    }

    Wire() {
        this(1000, 5000);
    }

    /** A segment from the client at {@code sec} seconds carrying {@code flags} and {@code len} payload bytes. */
    Wire c(double sec, int flags, int len) {
        cseq = send(true, sec, flags, cseq, sseq, len);
        return this;
    }

    Wire s(double sec, int flags, int len) {
        sseq = send(false, sec, flags, sseq, cseq, len);
        return this;
    }

    /** A segment with explicit numbers, for retransmissions and crossed FINs. */
    Wire raw(boolean fromClient, double sec, int flags, int seq, int ack, int len) {
        send(fromClient, sec, flags, seq, ack, len);
        return this;
    }

    private int send(boolean fromClient, double sec, int flags, int seq, int ack, int len) {
        TcpSegment t = new TcpSegment();
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

    Wire handshake(double sec) {
        return c(sec, SYN, 0).s(sec + 0.001, SYN | ACK, 0).c(sec + 0.002, ACK, 0);
    }

    Wire exchange(double sec) {
        return c(sec, PSH | ACK, 100).s(sec + 0.001, PSH | ACK, 300).c(sec + 0.002, ACK, 0);
    }

    /** Ends the input and returns every connection handed on, in order. */
    List<Connection> finish() {
        tracker.finish();
        return emitted;
    }

    static Teardown teardown(Connection c) {
        return Teardown.of(c, TW);
    }

    static final int FIN = TcpSegment.FIN;
    static final int SYN = TcpSegment.SYN;
    static final int RST = TcpSegment.RST;
    static final int PSH = TcpSegment.PSH;
    static final int ACK = TcpSegment.ACK;
}
