package dev.teardown.http;

import dev.teardown.capture.PacketTime;
import dev.teardown.h2.H2Outcome;
import dev.teardown.h2.H2Problem;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsOutcome;
import dev.teardown.tls.TlsProblem;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the HTTP stage says about one finished connection: the values of its HTTP columns, and of its TLS columns
 * when it was TLS.
 *
 * @param requests complete requests from the client
 * @param responses complete final responses (1xx excluded; 101 included)
 * @param version the last exchange's HTTP version, e.g. {@code 1.1} (the lower of request and response),
 *     the last request's if no exchange completed, else empty
 * @param requestConnection the last request's Connection tokens, lower case, joined by ',', at most
 *     {@link HttpLimits#maxValueChars()} characters; empty if absent
 * @param responseConnection the same for the last final response
 * @param keepAlive the last final response's Keep-Alive parameters, e.g. {@code timeout=5,max=100}; empty if absent
 * @param persistentExpected whether the connection was expected to persist after the last exchange (RFC 9112
 *     section 9.3); null when no exchange completed or the connection left HTTP
 * @param idleBeforeCloseNanos from the end of the last HTTP message (either direction; on TLS, of the last record
 *     that was not an alert) to the first FIN or RST; {@link PacketTime#UNSET} when there was no message or no
 *     close, or the close came first
 * @param closeReason why the connection ended (see {@code package-info.java})
 * @param keepAliveTimeoutSeconds the last response's advertised Keep-Alive timeout, or -1
 * @param keepAliveMax the last response's advertised Keep-Alive max, or -1
 * @param lastMessageEndNanos when the last HTTP message ended (on TLS, the last record that was not an alert), or
 *     {@link PacketTime#UNSET}
 * @param lastStatus the last final response's status code, or -1
 * @param interimResponses 1xx responses other than 101 (e.g. 100 Continue)
 * @param anomalies the HTTP (and TLS) anomalies met on this connection, in declaration order
 * @param tls what TLS said, without keys, when the connection was TLS; null otherwise (its HTTP fields are then
 *     empty: requests and responses are encrypted)
 * @param h2 what HTTP/2's frames said, when the connection spoke HTTP/2 in cleartext (prior knowledge or
 *     {@code Upgrade: h2c}); null otherwise
 */
public record HttpOutcome(long requests, long responses, String version, String requestConnection,
                          String responseConnection, String keepAlive, Boolean persistentExpected,
                          long idleBeforeCloseNanos, CloseReason closeReason, int keepAliveTimeoutSeconds,
                          int keepAliveMax, long lastMessageEndNanos, int lastStatus, long interimResponses,
                          Set<HttpAnomaly> anomalies, TlsOutcome tls, H2Outcome h2) {

    /** An outcome of a connection that did not speak HTTP/2 in cleartext. */
    public HttpOutcome(long requests, long responses, String version, String requestConnection,
                       String responseConnection, String keepAlive, Boolean persistentExpected,
                       long idleBeforeCloseNanos, CloseReason closeReason, int keepAliveTimeoutSeconds,
                       int keepAliveMax, long lastMessageEndNanos, int lastStatus, long interimResponses,
                       Set<HttpAnomaly> anomalies, TlsOutcome tls) {
        this(requests, responses, version, requestConnection, responseConnection, keepAlive, persistentExpected,
            idleBeforeCloseNanos, closeReason, keepAliveTimeoutSeconds, keepAliveMax, lastMessageEndNanos, lastStatus,
            interimResponses, anomalies, tls, null);
    }

    /** An outcome of a connection that was not TLS. */
    public HttpOutcome(long requests, long responses, String version, String requestConnection,
                       String responseConnection, String keepAlive, Boolean persistentExpected,
                       long idleBeforeCloseNanos, CloseReason closeReason, int keepAliveTimeoutSeconds,
                       int keepAliveMax, long lastMessageEndNanos, int lastStatus, long interimResponses,
                       Set<HttpAnomaly> anomalies) {
        this(requests, responses, version, requestConnection, responseConnection, keepAlive, persistentExpected,
            idleBeforeCloseNanos, closeReason, keepAliveTimeoutSeconds, keepAliveMax, lastMessageEndNanos, lastStatus,
            interimResponses, anomalies, null);
    }

    /**
     * The requests the connection carried as the summary counts them: the HTTP requests, or on TLS the exchanges
     * estimated from encrypted turns ({@link #tls()} says which).
     */
    public long requestsOrExchanges() {
        return tls == null ? requests : tls.exchanges();
    }

    /** The outcome of finished connection {@code c} (its HTTP state already finished), whose teardown is {@code t}. */
    static HttpOutcome of(HttpConnection state, Connection<?> c, Teardown t) {
        if (state.tls != null) return ofTls(state.tls.outcome(), c, t);
        if (state.notHttp) {
            return new HttpOutcome(0, 0, "", "", "", "", null, PacketTime.UNSET, CloseReason.NOT_HTTP, -1, -1,
                PacketTime.UNSET, -1, 0, Set.of());
        }
        Conversation conv = state.conversation;
        if (conv != null && conv.status() == Conversation.Status.H2) return ofH2(conv, c, t);
        long lastEnd = conv == null ? PacketTime.UNSET : conv.lastMessageEndNanos();
        long idle = idle(lastEnd, c);
        CloseReason reason = CloseReason.of(t, Teardown.handshake(c), conv, idle);
        if (conv == null) {
            return new HttpOutcome(0, 0, "", "", "", "", null, PacketTime.UNSET, reason, -1, -1, PacketTime.UNSET, -1, 0,
                Set.of());
        }
        Persistence p = conv.persistence();
        Boolean persistent = p == null || conv.status() != Conversation.Status.ACTIVE ? null : p.persistent();
        return new HttpOutcome(conv.requests(), conv.responses(), conv.version(), conv.requestConnection(),
            conv.responseConnection(), conv.keepAlive(), persistent, idle, reason, conv.keepAliveTimeout(),
            conv.keepAliveMax(), lastEnd, conv.lastStatus(), conv.interimResponses(), copy(conv.anomalies()));
    }

    /**
     * The outcome of a connection that spoke HTTP/2 in cleartext: requests and responses are its streams (plus the
     * HTTP/1.1 request that asked for {@code Upgrade: h2c}), persistent until a GOAWAY, idle from the last frame of a
     * stream.
     */
    private static HttpOutcome ofH2(Conversation conv, Connection<?> c, Teardown t) {
        H2Outcome h2 = conv.h2();
        long lastEnd = Math.max(conv.lastMessageEndNanos(), h2.lastStreamNanos());
        long idle = idle(lastEnd, c);
        // Refused streams were not processed (RFC 9113 section 8.7): the client sends them again, maybe elsewhere.
        long requests = conv.requests() + h2.requests() - h2.refused();
        CloseReason reason = CloseReason.ofH2(t, Teardown.handshake(c), h2, requests, idle);
        EnumSet<HttpAnomaly> anomalies = EnumSet.noneOf(HttpAnomaly.class);
        anomalies.addAll(conv.anomalies());
        for (H2Problem p : h2.problems()) {
            anomalies.add(switch (p) {
                case STREAM_GAP -> HttpAnomaly.STREAM_GAP;
                case BAD_FRAME -> HttpAnomaly.H2_BAD_FRAME;
                case BAD_CONTINUATION -> HttpAnomaly.H2_BAD_CONTINUATION;
                case BAD_PADDING -> HttpAnomaly.H2_BAD_PADDING;
            });
        }
        return new HttpOutcome(requests, conv.responses() + h2.responses(), "2", conv.requestConnection(),
            conv.responseConnection(), "", h2.goawayFrom() == Sides.NONE, idle, reason, -1, -1, lastEnd, -1,
            conv.interimResponses(), copy(anomalies), null, h2);
    }

    /** The outcome of a TLS connection: no HTTP fields, the close reason from the encrypted turns. */
    private static HttpOutcome ofTls(TlsOutcome tls, Connection<?> c, Teardown t) {
        long idle = idle(tls.lastDataNanos(), c);
        CloseReason reason = CloseReason.ofTls(t, Teardown.handshake(c), tls, idle);
        EnumSet<HttpAnomaly> anomalies = EnumSet.noneOf(HttpAnomaly.class);
        for (TlsProblem p : tls.problems()) {
            anomalies.add(switch (p) {
                case STREAM_GAP -> HttpAnomaly.STREAM_GAP;
                case BAD_RECORD -> HttpAnomaly.TLS_BAD_RECORD;
                case BAD_HELLO -> HttpAnomaly.TLS_BAD_HELLO;
                case HELLO_TOO_LARGE -> HttpAnomaly.TLS_HELLO_TOO_LARGE;
            });
        }
        // ALPN's choice is the application protocol (RFC 7301): "h2" is HTTP/2; only TLS 1.2 and earlier show it.
        String version = "h2".equals(tls.alpnSelected()) ? "2" : "";
        return new HttpOutcome(0, 0, version, "", "", "", null, idle, reason, -1, -1, tls.lastDataNanos(), -1, 0,
            copy(anomalies), tls);
    }

    /** From {@code lastEnd} to the connection's first FIN or RST, or UNSET when either is unknown or the close came first. */
    private static long idle(long lastEnd, Connection<?> c) {
        long firstClose = c.firstCloseNanos();
        return PacketTime.isSet(lastEnd) && PacketTime.isSet(firstClose) && firstClose >= lastEnd
            ? firstClose - lastEnd : PacketTime.UNSET;
    }

    private static Set<HttpAnomaly> copy(Set<HttpAnomaly> s) {
        return s.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(s));
    }
}
