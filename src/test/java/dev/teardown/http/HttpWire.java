package dev.teardown.http;

import dev.teardown.decode.TcpSegment;
import dev.teardown.decode.TestSegments;
import dev.teardown.flow.FlowKey;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsBytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A hand-built conversation between a client 10.0.0.1:40000 and a server 10.0.0.2:80 with real payload
 * bytes: each segment goes through the teardown stage ({@link Connection#onSegment}) and then the
 * {@link HttpTracker}, as the pipeline does. Like the pipeline, one segment object and one frame buffer are
 * reused, and the buffer is overwritten after each call, so held data must have been copied.
 */
final class HttpWire {
    static final long S = 1_000_000_000L;
    static final long TW = 60 * S;
    static final int FIN = TcpSegment.FIN;
    static final int SYN = TcpSegment.SYN;
    static final int RST = TcpSegment.RST;
    static final int PSH = TcpSegment.PSH;
    static final int ACK = TcpSegment.ACK;
    /** Where the payload starts in the frame: an Ethernet, IPv4 and TCP header's worth of bytes. */
    private static final int HEADERS = 54;

    final HttpTracker http;
    private final TcpSegment seg = new TcpSegment();
    private final byte[] frame = new byte[HEADERS + 70_000];
    Connection<HttpConnection> connection;
    /** When true, like a pipeline that calls the HTTP stage only for segments with payload. */
    boolean payloadOnly;
    /** Next sequence number each side sends. */
    int cseq;
    int sseq;

    HttpWire(int clientIsn, int serverIsn, HttpTracker http) {
        this.cseq = clientIsn;
        this.sseq = serverIsn;
        this.http = http;
    }

    HttpWire() {
        this(1000, 5000, new HttpTracker());
    }

    HttpWire(int clientIsn, int serverIsn) {
        this(clientIsn, serverIsn, new HttpTracker());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    HttpWire handshake(double sec) {
        return c(sec, SYN, "").s(sec + 0.0001, SYN | ACK, "").c(sec + 0.0002, ACK, "");
    }

    /** A client segment with {@code payload} at {@code sec} seconds, acknowledging everything the server sent. */
    HttpWire c(double sec, int flags, String payload) {
        byte[] p = ascii(payload);
        cseq = send(true, sec, flags, cseq, sseq, p, p.length, p.length);
        return this;
    }

    HttpWire s(double sec, int flags, String payload) {
        byte[] p = ascii(payload);
        sseq = send(false, sec, flags, sseq, cseq, p, p.length, p.length);
        return this;
    }

    HttpWire c(double sec, int flags, byte[] payload) {
        cseq = send(true, sec, flags, cseq, sseq, payload, payload.length, payload.length);
        return this;
    }

    HttpWire s(double sec, int flags, byte[] payload) {
        sseq = send(false, sec, flags, sseq, cseq, payload, payload.length, payload.length);
        return this;
    }

    /**
     * A TLS 1.2 handshake from {@code sec} (built by {@link TlsBytes}): ClientHello with SNI {@code tls.example}
     * and ALPN http/1.1, the server's hello flight, the client's key exchange, ChangeCipherSpec and Finished, the
     * server's.
     */
    HttpWire tls12(double sec) {
        c(sec, PSH | ACK, TlsBytes.clientHello().sni("tls.example").alpn("http/1.1").record());
        s(sec + 0.001, PSH | ACK, TlsBytes.concat(TlsBytes.serverHello().alpn("http/1.1").record(),
            TlsBytes.record(TlsBytes.HANDSHAKE, TlsBytes.TLS12, TlsBytes.handshake(11, new byte[300]))));
        c(sec + 0.002, PSH | ACK, TlsBytes.concat(TlsBytes.record(TlsBytes.CCS, TlsBytes.TLS12, new byte[] {1}),
            TlsBytes.record(TlsBytes.HANDSHAKE, TlsBytes.TLS12, new byte[40])));
        return s(sec + 0.003, PSH | ACK, TlsBytes.concat(TlsBytes.record(TlsBytes.CCS, TlsBytes.TLS12, new byte[] {1}),
            TlsBytes.record(TlsBytes.HANDSHAKE, TlsBytes.TLS12, new byte[40])));
    }

    /** An encrypted request/response turn at {@code sec}, and the client's ACK. */
    HttpWire tlsExchange(double sec) {
        return c(sec, PSH | ACK, TlsBytes.data(100)).s(sec + 0.001, PSH | ACK, TlsBytes.data(400)).c(sec + 0.002, ACK, "");
    }

    /** A request, the response, and the client's ACK of it. */
    HttpWire exchange(double sec, String request, String response) {
        return c(sec, PSH | ACK, request).s(sec + 0.001, PSH | ACK, response).c(sec + 0.002, ACK, "");
    }

    /** The server closes first: FIN, the client's FIN with the ACK, the last ACK. */
    HttpWire serverCloses(double sec) {
        return s(sec, FIN | ACK, "").c(sec + 0.0001, FIN | ACK, "").s(sec + 0.0002, ACK, "");
    }

    HttpWire clientCloses(double sec) {
        return c(sec, FIN | ACK, "").s(sec + 0.0001, FIN | ACK, "").c(sec + 0.0002, ACK, "");
    }

    /**
     * A segment with explicit numbers: {@code captured} of the payload's bytes are in the frame, {@code wire}
     * bytes were on the wire (more when the snapshot length cut it). Does not move {@link #cseq}/{@link #sseq}.
     */
    HttpWire raw(boolean fromClient, double sec, int flags, int seq, int ack, byte[] payload, int captured, int wire) {
        send(fromClient, sec, flags, seq, ack, payload, captured, wire);
        return this;
    }

    HttpWire raw(boolean fromClient, double sec, int flags, int seq, String payload) {
        byte[] p = ascii(payload);
        return raw(fromClient, sec, flags, seq, fromClient ? sseq : cseq, p, p.length, p.length);
    }

    private int send(boolean fromClient, double sec, int flags, int seq, int ack, byte[] payload, int captured,
                     int wire) {
        seg.timeNanos = Math.round(sec * 1e6) * 1000L;
        seg.ipVersion = 4;
        seg.srcHi = 0;
        seg.dstHi = 0;
        seg.srcLo = fromClient ? 0x0a000001 : 0x0a000002;
        seg.dstLo = fromClient ? 0x0a000002 : 0x0a000001;
        seg.srcPort = fromClient ? 40000 : 80;
        seg.dstPort = fromClient ? 80 : 40000;
        seg.seq = seq;
        seg.ack = (flags & ACK) != 0 ? ack : 0;
        seg.flags = flags;
        seg.window = 65535;
        seg.payloadLength = wire;
        seg.payloadOffset = HEADERS;
        seg.capturedPayloadLength = captured;
        System.arraycopy(payload, 0, frame, HEADERS, captured);
        seg.data = frame;
        if (connection == null) {
            FlowKey key = new FlowKey();
            key.setFrom(seg, dev.teardown.flow.HashKey.seeded(1));
            connection = new Connection<>(1, key, seg, fromClient, http.open());
        }
        connection.onSegment(seg);
        if (!payloadOnly || wire > 0) http.onSegment(connection.stage(), connection, connection.senderOf(seg), seg);
        Arrays.fill(frame, 0, HEADERS + captured, (byte) 'X'); // the frame buffer is only valid during the call
        return seq + TestSegments.sequenceLength(seg);
    }

    Teardown teardown() {
        return Teardown.of(connection, TW);
    }

    HttpOutcome outcome() {
        http.finish(connection.stage(), connection);
        return http.outcome(connection.stage(), connection, teardown());
    }
}
