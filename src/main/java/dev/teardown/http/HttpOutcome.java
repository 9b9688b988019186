package dev.teardown.http;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Teardown;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the HTTP stage says about one finished connection: the values of its HTTP columns.
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
 * @param idleBeforeCloseNanos from the end of the last HTTP message (either direction) to the first FIN or
 *     RST; {@link PacketTime#UNSET} when there was no message or no close, or the close came first
 * @param closeReason why the connection ended (see {@code package-info.java})
 * @param keepAliveTimeoutSeconds the last response's advertised Keep-Alive timeout, or -1
 * @param keepAliveMax the last response's advertised Keep-Alive max, or -1
 * @param lastMessageEndNanos when the last HTTP message ended, or {@link PacketTime#UNSET}
 * @param lastStatus the last final response's status code, or -1
 * @param interimResponses 1xx responses other than 101 (e.g. 100 Continue)
 * @param anomalies the HTTP anomalies met on this connection, in declaration order
 */
public record HttpOutcome(long requests, long responses, String version, String requestConnection,
                          String responseConnection, String keepAlive, Boolean persistentExpected,
                          long idleBeforeCloseNanos, CloseReason closeReason, int keepAliveTimeoutSeconds,
                          int keepAliveMax, long lastMessageEndNanos, int lastStatus, long interimResponses,
                          Set<HttpAnomaly> anomalies) {

    /** The outcome of finished connection {@code c} (its HTTP state already finished), whose teardown is {@code t}. */
    static HttpOutcome of(HttpConnection state, Connection<?> c, Teardown t) {
        if (state.notHttp) {
            return new HttpOutcome(0, 0, "", "", "", "", null, PacketTime.UNSET, CloseReason.NOT_HTTP, -1, -1,
                PacketTime.UNSET, -1, 0, Set.of());
        }
        Conversation conv = state.conversation;
        long lastEnd = conv == null ? PacketTime.UNSET : conv.lastMessageEndNanos();
        long firstClose = c.firstCloseNanos();
        long idle = PacketTime.isSet(lastEnd) && PacketTime.isSet(firstClose) && firstClose >= lastEnd
            ? firstClose - lastEnd : PacketTime.UNSET;
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

    private static Set<HttpAnomaly> copy(Set<HttpAnomaly> s) {
        return s.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(s));
    }
}
