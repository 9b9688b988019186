package dev.teardown.http;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import dev.teardown.h2.H2Outcome;
import dev.teardown.h2.H2Session;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Teardown;
import java.util.EnumSet;
import java.util.Set;

/**
 * The HTTP/1.x conversation of one connection, kept in its {@link HttpConnection}: a stream and a
 * decoder per direction, requests waiting for responses, and the facts of the last exchange.
 */
final class Conversation implements MessageListener {
    /** Whether HTTP parsing goes on: as HTTP/1.x, or as HTTP/2 after a preface or an {@code Upgrade: h2c}. */
    enum Status { ACTIVE, H2, NOT_HTTP, UPGRADED }

    /**
     * The decoders, streams and pending requests, from the tracker's pool; given back (and null) once the conversation
     * is finished, so that a connection waiting out its TIME_WAIT (most of the connections held) keeps only the facts
     * below, not its buffers and decoders.
     */
    private Parsers parsers;
    private final Parsers.Pool pool;
    private Status status = Status.ACTIVE;
    /** The bytes that made it {@link Status#NOT_HTTP} began like TLS: the HTTP stage hands the connection to TLS. */
    private boolean tlsLike;
    private Set<HttpAnomaly> anomalies;
    /** The HTTP/2 session once the connection switched to HTTP/2 ({@link Status#H2}), else null. */
    private H2Session h2;
    /** The SETTINGS_MAX_FRAME_SIZE of the last request's {@code HTTP2-Settings}, or -1: the upgrade's. */
    private int upgradeMaxFrame = -1;
    private boolean finished;
    /** {@link #incomplete()} as it stood when the conversation finished. */
    private boolean incompleteAtFinish;

    private long requests;
    private long responses;
    private long interimResponses;
    /** Final responses seen before their requests (capture order across directions is not guaranteed). */
    private long earlyResponses;
    /** The request the response in progress answers, {@link MessageBits#NONE} if unseen. */
    private int answering = MessageBits.NONE;
    private int responseInProgress = MessageBits.NONE;
    private boolean interimInProgress;

    private int lastRequest = MessageBits.NONE;
    private int exchangeRequest = MessageBits.NONE;
    private int exchangeResponse = MessageBits.NONE;
    private Persistence persistence;
    private int lastStatus = -1;
    private String requestConnection = "";
    private String responseConnection = "";
    private String keepAlive = "";
    /** The tracker's shared texts, so connections repeating a header value share its String. */
    private final TextCache texts;
    private int keepAliveTimeout = -1;
    private int keepAliveMax = -1;
    private long lastMessageEndNanos = PacketTime.UNSET;

    /** Starts at the first payload; {@code anchors} holds the SYNs seen before it. */
    Conversation(Parsers.Pool pool, TextCache texts, HttpConnection anchors) {
        this.texts = texts;
        this.pool = pool;
        this.parsers = pool.take(this);
        if (anchors.clientSyn) parsers.clientStream.onSyn(anchors.clientIsn);
        if (anchors.serverSyn) parsers.serverStream.onSyn(anchors.serverIsn);
    }

    void onSegment(Connection<?> c, Side from, TcpSegment seg, HeadScan scan) {
        if (!parsing() || finished) return;
        HalfStream in = stream(from);
        if (seg.has(TcpSegment.SYN)) in.onSyn(seg.seq);
        if (seg.has(TcpSegment.ACK)) stream(from.other()).onPeerAck(seg.ack);
        // A RST's payload is a diagnostic, never stream data (RFC 9293 section 3.5.3).
        if (seg.payloadLength > 0 && !seg.has(TcpSegment.RST) && parsing()) {
            MessageDecoder d = from == Side.CLIENT ? parsers.clientDecoder : parsers.serverDecoder;
            d.offer(scan); // null: none
            in.onSegment(seg, !in.started() && synSeenByTeardown(c, from));
            d.offer(null); // held, or delivered from a later byte: not taken
        }
        if (status == Status.H2 && h2.status() == H2Session.Status.NOT_H2) status = Status.NOT_HTTP;
        if (!parsing()) release();
    }

    /** Whether bytes are still parsed: as HTTP/1.x, or as HTTP/2. */
    private boolean parsing() {
        return status == Status.ACTIVE || status == Status.H2;
    }

    /** Whether the teardown stage saw {@code side}'s SYN, for callers that pass only segments with payload. */
    static boolean synSeenByTeardown(Connection<?> c, Side side) {
        return switch (Teardown.handshake(c)) {
            case FULL, SYN_SYNACK -> true;
            case SYN -> side == Side.CLIENT;
            case SYNACK -> side == Side.SERVER;
            case MIDSTREAM -> false;
        };
    }

    /**
     * The connection is finished: held data is delivered behind gaps, and a body running until the server's
     * FIN ends there. Runs once; afterwards only the facts for the outcome are kept.
     */
    void finish(Connection<?> c) {
        if (finished) return;
        if (parsing()) {
            parsers.clientStream.flush();
            parsers.serverStream.flush();
            if (c.endpoint(Side.SERVER).finSeen()) parsers.serverDecoder.closed();
        }
        if (status == Status.H2 && h2.status() == H2Session.Status.NOT_H2) status = Status.NOT_HTTP;
        release();
        if (h2 != null) h2.stop();
        incompleteAtFinish = incomplete();
        finished = true;
        dropParsers();
    }

    /**
     * Gives the parsing machinery back to the tracker's pool, once: the conversation is finished, or dropped as not
     * HTTP. Nothing of it is read afterwards.
     */
    void dropParsers() {
        if (parsers == null) return;
        pool.give(parsers);
        parsers = null;
    }

    private void release() {
        parsers.clientStream.release();
        parsers.serverStream.release();
        if (!parsing()) {
            parsers.clientDecoder.stop();
            parsers.serverDecoder.stop();
            if (h2 != null) h2.stop();
        }
    }

    private HalfStream stream(Side side) {
        return side == Side.CLIENT ? parsers.clientStream : parsers.serverStream;
    }

    // --- what the decoders report ----------------------------------------------------------------

    @Override
    public Body onHead(Side from, Head h, long t) {
        return from == Side.CLIENT ? onRequestHead(h) : onResponseHead(h);
    }

    private Body onRequestHead(Head h) {
        Body body = Body.ofRequest(h);
        if (body == Body.INVALID) return body;
        int request = MessageBits.of(h);
        lastRequest = request;
        upgradeMaxFrame = h.http2MaxFrame;
        requestConnection = h.connection.string(texts);
        if (earlyResponses > 0) {
            earlyResponses--;
            settle(request, exchangeResponse);
        } else if (!parsers.pending.offer(request)) {
            onAnomaly(Side.CLIENT, HttpAnomaly.TOO_MANY_PENDING);
        }
        return body;
    }

    private Body onResponseHead(Head h) {
        int code = h.status;
        if (code == 101 && h.upgradeH2c && status == Status.ACTIVE) {
            // RFC 7540 section 3.2: the server switched to HTTP/2, which answers the upgrading request on stream 1.
            // The 101 is counted like an interim response; the answer is HTTP/2's.
            parsers.pending.poll();
            interimInProgress = true;
            responseConnection = h.connection.string(texts);
            switchToH2(true);
            return Body.TUNNEL;
        }
        if (code < 200 && code != 101) {
            // RFC 9110 section 15.2: an interim response; the final one is still to come.
            interimInProgress = true;
            return Body.NONE;
        }
        interimInProgress = false;
        answering = parsers.pending.poll();
        Body body = Body.ofResponse(h, answering);
        int response = MessageBits.of(h);
        if (body == Body.UNTIL_CLOSE) response |= MessageBits.UNTIL_CLOSE;
        responseInProgress = response;
        lastStatus = code;
        responseConnection = h.connection.string(texts);
        keepAlive = h.keepAliveParams.string(texts);
        keepAliveTimeout = h.keepAliveTimeout;
        keepAliveMax = h.keepAliveMax;
        if (body == Body.TUNNEL) status = Status.UPGRADED;
        return body;
    }

    @Override
    public void onMessageEnd(Side from, long t) {
        if (t > lastMessageEndNanos) lastMessageEndNanos = t;
        if (from == Side.CLIENT) {
            requests++;
            return;
        }
        if (interimInProgress) {
            interimInProgress = false;
            interimResponses++;
            return;
        }
        responses++;
        if (answering == MessageBits.NONE) earlyResponses++;
        settle(answering, responseInProgress);
        answering = MessageBits.NONE;
    }

    /** One exchange completed: it is now the last one, and decides persistence. */
    private void settle(int request, int response) {
        exchangeRequest = request;
        exchangeResponse = response;
        persistence = Persistence.of(request, response);
    }

    @Override
    public void onAnomaly(Side from, HttpAnomaly a) {
        if (anomalies == null) anomalies = EnumSet.noneOf(HttpAnomaly.class);
        anomalies.add(a);
    }

    @Override
    public void onLostSync(Side from) {
        // Lost response bytes may have answered any waiting request: forget them rather than report them
        // as unanswered. Later requests pair with later responses again.
        if (from == Side.SERVER) {
            parsers.pending.clear();
            answering = MessageBits.NONE;
            interimInProgress = false;
        }
    }

    @Override
    public boolean onH2(Side from) {
        // HTTP/2 with prior knowledge only from a side's first bytes, and only while neither side spoke HTTP/1.x.
        if (status != Status.ACTIVE || parsers.clientDecoder.parsedStartLine()
            || parsers.serverDecoder.parsedStartLine()) {
            return false;
        }
        switchToH2(false);
        return true;
    }

    /** From here on both directions' bytes are HTTP/2 frames, read by a session of their own. */
    private void switchToH2(boolean upgrade) {
        h2 = new H2Session();
        if (upgrade) h2.upgraded(upgradeMaxFrame);
        status = Status.H2;
        parsers.clientDecoder.tunnelTo(h2.direction(Side.CLIENT));
        parsers.serverDecoder.tunnelTo(h2.direction(Side.SERVER));
    }

    @Override
    public void onNotHttp(Side from, boolean tls) {
        if (status != Status.ACTIVE) return;
        status = Status.NOT_HTTP;
        // TLS only when neither side has spoken HTTP: a TLS record answering an HTTP request is no TLS connection.
        tlsLike = tls && !parsers.clientDecoder.parsedStartLine() && !parsers.serverDecoder.parsedStartLine();
    }

    // --- facts for the outcome -------------------------------------------------------------------

    Status status() { return status; }

    /** Whether the decoders, streams and pending requests are still held (until {@link #finish}). */
    boolean holdsParsers() {
        return parsers != null;
    }

    /** Whether the bytes found not to be HTTP began like TLS. */
    boolean tlsLike() { return tlsLike; }

    /** A message was incomplete at the end, or a request never got its final response. */
    boolean incomplete() {
        if (finished) return incompleteAtFinish;
        return parsers.clientDecoder.inMessage() || parsers.serverDecoder.inMessage() || !parsers.pending.isEmpty();
    }

    long requests() { return requests; }

    long responses() { return responses; }

    long interimResponses() { return interimResponses; }

    /** Persistence after the last exchange, or null when none completed. */
    Persistence persistence() { return persistence; }

    /**
     * The last exchange's version: the lower of request and response (a 1.0 request answered as 1.1 is
     * still an HTTP/1.0 exchange); the last request's when no exchange completed; else empty.
     */
    String version() {
        if (h2 != null) return "2";
        if (exchangeResponse != MessageBits.NONE) {
            int minor = MessageBits.minor(exchangeResponse);
            if (MessageBits.has(exchangeRequest, MessageBits.KNOWN)) {
                minor = Math.min(minor, MessageBits.minor(exchangeRequest));
            }
            return Versions.text(minor);
        }
        return lastRequest != MessageBits.NONE ? Versions.text(MessageBits.minor(lastRequest)) : "";
    }

    String requestConnection() { return requestConnection; }

    String responseConnection() { return responseConnection; }

    String keepAlive() { return keepAlive; }

    int keepAliveTimeout() { return keepAliveTimeout; }

    int keepAliveMax() { return keepAliveMax; }

    int lastStatus() { return lastStatus; }

    long lastMessageEndNanos() { return lastMessageEndNanos; }

    /** What HTTP/2 said, when the connection switched to it; else null. */
    H2Outcome h2() {
        return h2 == null ? null : h2.outcome();
    }

    Set<HttpAnomaly> anomalies() {
        return anomalies == null ? Set.of() : anomalies;
    }
}
