package dev.teardown.http;

import dev.teardown.h2.H2Outcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsOutcome;

/**
 * Why a connection ended, as HTTP/1.x explains it; the words are the CSV's {@code close_reason} values. The
 * rules, in the order they are tried, are documented once in {@code package-info.java}.
 */
public enum CloseReason {
    /** The payload is neither HTTP/1.x, HTTP/2 nor TLS (SSH, SMTP ...): nothing to say. */
    NOT_HTTP("not-http"),
    /** No FIN or RST was seen. */
    NOT_CLOSED("not-closed"),
    /** A RST from the client ended the connection before any FIN. */
    CLIENT_ABORT("client-abort"),
    /** A RST from the server ended the connection before any FIN, including a close with unread data. */
    SERVER_ABORT("server-abort"),
    /** The connection switched protocols (101) or became a CONNECT tunnel: HTTP/1.x ended there. */
    UPGRADED("upgraded"),
    /** The close came while a request or response was incomplete, or a request was unanswered. */
    CLOSE_MID_MESSAGE("close-mid-message"),
    /** No complete exchange and nothing left incomplete: no payload, or none the parser could place. */
    NO_EXCHANGE("no-exchange"),
    /**
     * The capture began after the connection's handshake, and no complete exchange was seen since: whatever it
     * carried before is unknown.
     */
    BEGUN_BEFORE_CAPTURE("begun-before-capture"),
    /** The FINs crossed: both sides closed at once. */
    SIMULTANEOUS("simultaneous"),
    /**
     * The client asked to persist, the last response said {@code Connection: close} (or ran until the close),
     * and the server closed: the server decided (a request budget, an error, a shutdown).
     */
    SERVER_CLOSE_ANNOUNCED("server-close-announced"),
    /** The last request said {@code Connection: close}, and the server closed, whether or not it repeated it. */
    CLIENT_REQUESTED_CLOSE("client-requested-close"),
    /**
     * The last request was HTTP/1.0 without keep-alive (whatever the response said), or the response was, and
     * the server closed.
     */
    HTTP10_CLOSE("http10-close"),
    /** The connection was persistent and the server closed it after an idle time that fits a timeout. */
    SERVER_IDLE_TIMEOUT("server-idle-timeout"),
    /** The connection was persistent and the server closed it too soon after the last message for a timeout. */
    SERVER_CLOSE_UNANNOUNCED("server-close-unannounced"),
    /** The client closed first, after complete exchanges. */
    CLIENT_CLOSE("client-close"),
    /**
     * TLS: the server closed first, but the client had sent its closing alert before anything of the server's
     * (TLS close_notify: the client ended the connection, the server closed its TCP side at once).
     */
    CLIENT_CLOSE_NOTIFY("client-close-notify"),
    /**
     * TLS: the server closed first, sooner after the last exchange than an idle timeout: why (a request's
     * {@code Connection: close}, a request budget, HTTP/1.0) is in the encrypted headers.
     */
    SERVER_CLOSE_ENCRYPTED("server-close-encrypted"),
    /**
     * HTTP/2: the server closed first, its GOAWAY first, sooner after the last stream than an idle timeout: the server
     * decided (a request budget such as nginx's {@code keepalive_requests}, a shutdown, an error; the code is in
     * {@code goaway}).
     */
    SERVER_GOAWAY("server-goaway"),
    /**
     * HTTP/2: the server closed first, but the client's GOAWAY came before any of the server's: the client ended the
     * connection, the server closed its TCP side on reading it.
     */
    CLIENT_GOAWAY("client-goaway");

    /** Without an advertised Keep-Alive timeout, a server close at least this long after the last message is a timeout. */
    static final long IDLE_TIMEOUT_MIN_NANOS = 1_000_000_000L;
    /** Slack below an advertised Keep-Alive timeout still counted as that timeout (coarse timers, capture position). */
    static final long ADVERTISED_TIMEOUT_SLACK_NANOS = 1_000_000_000L;

    private final String label;

    CloseReason(String label) {
        this.label = label;
    }

    /** The kebab-case word used in outputs. */
    public String label() {
        return label;
    }

    /**
     * Classifies a connection from its teardown {@code t}, how much of its handshake was seen, and its
     * conversation {@code conv} (null when no payload segment ever reached the HTTP stage), with
     * {@code idleNanos} from the last message's end to the first FIN or RST
     * ({@link dev.teardown.capture.PacketTime#UNSET}, the smallest long, when unknown). The first rule that
     * matches wins.
     */
    static CloseReason of(Teardown t, Handshake handshake, Conversation conv, long idleNanos) {
        if (conv != null && conv.status() == Conversation.Status.NOT_HTTP) return NOT_HTTP;
        if (t.type() == CloseType.NONE || t.initiator() == Sides.NONE) return NOT_CLOSED;
        if (t.type() == CloseType.RST) return t.initiator() == Sides.CLIENT ? CLIENT_ABORT : SERVER_ABORT;
        if (conv == null) return noExchange(handshake);
        if (conv.status() == Conversation.Status.UPGRADED) return UPGRADED;
        if (conv.incomplete()) return CLOSE_MID_MESSAGE;
        Persistence p = conv.persistence();
        if (p == null) return noExchange(handshake);
        return switch (t.initiator()) {
            case BOTH -> SIMULTANEOUS;
            case CLIENT -> CLIENT_CLOSE;
            case SERVER -> serverClose(p, idleNanos, conv.keepAliveTimeout());
            case NONE -> NOT_CLOSED;
        };
    }

    /**
     * Classifies a TLS connection as {@link #of} does an HTTP one, from what is known without keys: its
     * exchanges counted from encrypted turns, whether the client's last data went unanswered, and who sent the
     * first closing alert. The rules up to {@link #CLIENT_CLOSE} are HTTP's; when the server closed first,
     * {@link #CLIENT_CLOSE_NOTIFY} if the client's closing alert came first, else {@link #SERVER_IDLE_TIMEOUT} after
     * an idle time of at least {@link #IDLE_TIMEOUT_MIN_NANOS} (nothing is advertised in clear), else
     * {@link #SERVER_CLOSE_ENCRYPTED}.
     */
    static CloseReason ofTls(Teardown t, Handshake handshake, TlsOutcome tls, long idleNanos) {
        if (t.type() == CloseType.NONE || t.initiator() == Sides.NONE) return NOT_CLOSED;
        if (t.type() == CloseType.RST) return t.initiator() == Sides.CLIENT ? CLIENT_ABORT : SERVER_ABORT;
        if (tls.clientTurnOpen()) return CLOSE_MID_MESSAGE;
        if (tls.exchanges() == 0) return noExchange(handshake);
        return switch (t.initiator()) {
            case BOTH -> SIMULTANEOUS;
            case CLIENT -> CLIENT_CLOSE;
            case SERVER -> tls.alertFrom() == Sides.CLIENT ? CLIENT_CLOSE_NOTIFY
                : idleNanos >= IDLE_TIMEOUT_MIN_NANOS ? SERVER_IDLE_TIMEOUT : SERVER_CLOSE_ENCRYPTED;
            case NONE -> NOT_CLOSED;
        };
    }

    /**
     * Classifies an HTTP/2 connection as {@link #of} does an HTTP/1.x one, from its frames: the rules up to
     * {@link #CLIENT_CLOSE} are HTTP's, where a message is incomplete when a client stream still waited for the
     * server's END_STREAM, and an exchange is a request ({@code requests}, streams and an upgrading request). When
     * the server closed first: {@link #CLIENT_GOAWAY} if the client's GOAWAY came first; else
     * {@link #SERVER_IDLE_TIMEOUT} after an idle time of at least {@link #IDLE_TIMEOUT_MIN_NANOS} (HTTP/2 advertises
     * no timeout; nginx sends a GOAWAY before its idle close); else {@link #SERVER_GOAWAY} after the server's GOAWAY,
     * and {@link #SERVER_CLOSE_UNANNOUNCED} without one.
     */
    static CloseReason ofH2(Teardown t, Handshake handshake, H2Outcome h2, long requests, long idleNanos) {
        if (t.type() == CloseType.NONE || t.initiator() == Sides.NONE) return NOT_CLOSED;
        if (t.type() == CloseType.RST) return t.initiator() == Sides.CLIENT ? CLIENT_ABORT : SERVER_ABORT;
        if (h2.openStreams() > 0) return CLOSE_MID_MESSAGE;
        if (requests == 0) return noExchange(handshake);
        return switch (t.initiator()) {
            case BOTH -> SIMULTANEOUS;
            case CLIENT -> CLIENT_CLOSE;
            case SERVER -> h2.goawayFrom() == Sides.CLIENT ? CLIENT_GOAWAY
                : idleNanos >= IDLE_TIMEOUT_MIN_NANOS ? SERVER_IDLE_TIMEOUT
                : h2.goawayFrom() == Sides.SERVER ? SERVER_GOAWAY : SERVER_CLOSE_UNANNOUNCED;
            case NONE -> NOT_CLOSED;
        };
    }

    /**
     * No exchange to judge by. When the capture missed the handshake, the exchanges (and their absence) before
     * it started are unknown; a capture that began at the SYN-ACK missed only the SYN, which carries no request
     * (short of TCP Fast Open), so the connection really had no exchange.
     */
    private static CloseReason noExchange(Handshake handshake) {
        return handshake == Handshake.MIDSTREAM ? BEGUN_BEFORE_CAPTURE : NO_EXCHANGE;
    }

    /**
     * The server closed first after complete exchanges (RFC 9112 section 9.3 and 9.6). The request's reasons come
     * before the response's ({@link Persistence#of}): a close the client asked for is the client's intent even
     * when the server repeats it; {@code server-close-announced} is left for closes the server decided.
     */
    private static CloseReason serverClose(Persistence p, long idleNanos, int advertisedTimeoutSeconds) {
        return switch (p) {
            case RESPONSE_CLOSE, CLOSE_DELIMITED -> SERVER_CLOSE_ANNOUNCED;
            case REQUEST_CLOSE -> CLIENT_REQUESTED_CLOSE;
            case HTTP10 -> HTTP10_CLOSE;
            case PERSISTENT -> idleNanos >= idleTimeoutFloor(advertisedTimeoutSeconds)
                ? SERVER_IDLE_TIMEOUT : SERVER_CLOSE_UNANNOUNCED;
        };
    }

    /** The shortest idle time that counts as the server's idle timeout. */
    static long idleTimeoutFloor(int advertisedTimeoutSeconds) {
        if (advertisedTimeoutSeconds < 0) return IDLE_TIMEOUT_MIN_NANOS;
        return Math.max(0, advertisedTimeoutSeconds * 1_000_000_000L - ADVERTISED_TIMEOUT_SLACK_NANOS);
    }
}
