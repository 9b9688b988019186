package dev.teardown.http;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Teardown;

/**
 * The HTTP stage: follows the HTTP/1.x conversation of every connection in the connection's own
 * {@link HttpConnection} (or its TLS conversation, when its first bytes are TLS, whatever the port), is told when
 * a connection is finished, and then says what it found.
 */
public final class HttpTracker {
    private final HttpLimits limits;
    private final TextCache texts = new TextCache();
    /** The conversations' parsing machinery, reused from one connection to the next. */
    private final Parsers.Pool parsers;

    public HttpTracker() {
        this(HttpLimits.defaults());
    }

    public HttpTracker(HttpLimits limits) {
        this.limits = limits;
        this.parsers = new Parsers.Pool(limits);
    }

    /** Sets of parsing machinery kept for the next conversations (for tests). */
    int pooledParsers() {
        return parsers.size();
    }

    /** A fresh state for a connection the tracker opens. */
    public HttpConnection open() {
        return new HttpConnection();
    }

    /**
     * Applies one segment of {@code c}, sent by {@code from}, after the teardown stage applied it. Pass every
     * segment: SYNs anchor each stream's first byte and ACKs reveal bytes the capture missed; a segment with
     * neither payload nor SYN costs a field check until the first payload.
     */
    public void onSegment(HttpConnection state, Connection<?> c, Side from, TcpSegment seg) {
        onSegment(state, c, from, seg, null);
    }

    /**
     * As {@link #onSegment(HttpConnection, Connection, Side, TcpSegment)}, with {@code scan} (or null): the head lines
     * a reading thread parsed ahead from the start of {@code seg}'s payload ({@link HeadScan#scan}), taken instead of
     * parsing them again where a message starts there.
     */
    public void onSegment(HttpConnection state, Connection<?> c, Side from, TcpSegment seg, HeadScan scan) {
        if (state.notHttp || state.finished) return;
        if (state.tls != null) {
            onTlsSegment(state, c, from, seg);
            return;
        }
        Conversation conv = state.conversation;
        if (conv == null) {
            if (seg.payloadLength <= 0 || seg.has(TcpSegment.RST)) {
                if (seg.has(TcpSegment.SYN)) state.onSyn(from, seg.seq);
                return;
            }
            conv = new Conversation(parsers, texts, state);
            state.conversation = conv;
        }
        conv.onSegment(c, from, seg, scan);
        if (conv.status() == Conversation.Status.NOT_HTTP) {
            state.conversation = null;
            conv.dropParsers();
            if (conv.tlsLike()) {
                // The segment in hand showed TLS: the TLS conversation starts with it.
                state.tls = new TlsConversation(limits, state);
                onTlsSegment(state, c, from, seg);
            } else {
                state.notHttp = true;
            }
        } else if (c.isFinished()) {
            // Both FINs acknowledged, or a RST: no byte of this lifetime is still to come (RFC 9293 section 3.6),
            // so finish now and keep only the facts while the connection waits out its TIME_WAIT.
            finish(state, c);
        }
    }

    private void onTlsSegment(HttpConnection state, Connection<?> c, Side from, TcpSegment seg) {
        state.tls.onSegment(c, from, seg);
        if (state.tls.notTls()) {
            state.tls = null;
            state.notHttp = true;
        } else if (c.isFinished()) {
            finish(state, c); // as for HTTP above
        }
    }

    /**
     * {@code c} is finished: held data is delivered behind gaps and a body that ran until the server's FIN
     * ends there. Call once, before {@link #outcome}; later segments are ignored.
     */
    public void finish(HttpConnection state, Connection<?> c) {
        if (state.finished) return;
        if (state.conversation != null) state.conversation.finish(c);
        if (state.tls != null) state.tls.finish();
        state.finished = true;
    }

    /**
     * The close reason {@link #outcome} will give {@code c}, asked once {@code c} is finished (both FINs acknowledged,
     * or a RST), after this stage took the segment that finished it; null while the stage may still change it (a
     * conversation it has not finished). Changes nothing. A connection without a conversation is judged as it
     * stands: only payload arriving after it was finished (data after a RST) could make its record say otherwise.
     */
    public CloseReason closeReason(HttpConnection state, Connection<?> c, Teardown t) {
        if (!state.finished && (state.conversation != null || state.tls != null)) return null;
        return HttpOutcome.of(state, c, t).closeReason();
    }

    /** What the HTTP stage found on finished connection {@code c}, whose teardown is {@code t}; changes nothing. */
    public HttpOutcome outcome(HttpConnection state, Connection<?> c, Teardown t) {
        if (!state.finished) throw new IllegalStateException("outcome before finish");
        return HttpOutcome.of(state, c, t);
    }
}
