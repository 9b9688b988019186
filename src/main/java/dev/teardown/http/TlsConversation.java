package dev.teardown.http;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import dev.teardown.tls.TlsOutcome;
import dev.teardown.tls.TlsSession;

/**
 * The TLS conversation of one connection, kept in its {@link HttpConnection} once its first bytes turned out to
 * be TLS: the same in-order stream assembly as HTTP's, per direction, feeding a {@link TlsSession}.
 */
final class TlsConversation {
    private final TlsSession session = new TlsSession();
    private final HalfStream clientStream;
    private final HalfStream serverStream;
    private boolean finished;

    /** Starts at the segment that showed TLS; {@code anchors} holds the SYNs seen before it. */
    TlsConversation(HttpLimits limits, HttpConnection anchors) {
        this.clientStream = new HalfStream(session.direction(Side.CLIENT), limits);
        this.serverStream = new HalfStream(session.direction(Side.SERVER), limits);
        if (anchors.clientSyn) clientStream.onSyn(anchors.clientIsn);
        if (anchors.serverSyn) serverStream.onSyn(anchors.serverIsn);
    }

    void onSegment(Connection<?> c, Side from, TcpSegment seg) {
        if (finished || notTls()) return;
        HalfStream in = from == Side.CLIENT ? clientStream : serverStream;
        if (seg.has(TcpSegment.SYN)) in.onSyn(seg.seq);
        if (seg.has(TcpSegment.ACK)) (from == Side.CLIENT ? serverStream : clientStream).onPeerAck(seg.ack);
        // A RST's payload is a diagnostic, never stream data (RFC 9293 section 3.5.3).
        if (seg.payloadLength > 0 && !seg.has(TcpSegment.RST)) {
            in.onSegment(seg, !in.started() && Conversation.synSeenByTeardown(c, from));
        }
        if (notTls()) release();
    }

    /** The connection is finished: held data is delivered behind gaps. Runs once. */
    void finish() {
        if (finished) return;
        if (!notTls()) {
            clientStream.flush();
            serverStream.flush();
        }
        finished = true;
        release();
    }

    private void release() {
        clientStream.release();
        serverStream.release();
        session.stop();
    }

    /** The bytes that looked like TLS were not. */
    boolean notTls() {
        return session.status() == TlsSession.Status.NOT_TLS;
    }

    TlsOutcome outcome() {
        return session.outcome();
    }
}
