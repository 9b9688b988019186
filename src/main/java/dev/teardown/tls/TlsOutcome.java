package dev.teardown.tls;

import dev.teardown.teardown.Sides;
import java.util.Set;

/**
 * What the TLS record layer and the cleartext hellos said about one connection, without any key.
 *
 * @param version the negotiated version ({@code 1.3}, {@code 1.2} ...) from the ServerHello, its
 *     {@code supported_versions} extension first (RFC 8446 section 4.2.1); empty when no ServerHello was read
 * @param offered the highest version the ClientHello offered; empty when no ClientHello was read
 * @param serverName the ClientHello's SNI {@code host_name}, escaped; empty when absent
 * @param alpn the ALPN protocols the client offered, in its order, joined by {@code ,}; empty when absent
 * @param alpnSelected the protocol the server selected, when its ServerHello says (TLS 1.2 and earlier; TLS
 *     1.3 sends it encrypted); else empty
 * @param resumed whether the handshake resumed a session: TLS 1.3, the ServerHello's {@code pre_shared_key};
 *     earlier versions, the ServerHello echoing the ClientHello's non-empty session id; null when unknown
 * @param alertFrom who sent the first closing alert: an alert record (type 21), or in TLS 1.3 (or an unknown
 *     version) a side's last record when it was an application-data record of at most
 *     {@link TlsSession#SMALL_RECORD} bytes, the size of an encrypted alert; {@link Sides#NONE} when none
 * @param alertDescription that alert's name when it was sent in clear ({@code close_notify},
 *     {@code handshake_failure} ...), {@code encrypted} for an alert record whose content is protected,
 *     {@code by-size} for a TLS 1.3 record taken for an alert by its size; empty when none
 * @param exchanges request/response turns: a client application-data burst answered by the server's
 * @param clientTurnOpen whether the client's last application data went unanswered
 * @param lastDataNanos the end of the last record that was not an alert (handshake or application data, either
 *     direction), or {@link dev.teardown.capture.PacketTime#UNSET}
 * @param problems the record layer's problems met on this connection, in declaration order
 */
public record TlsOutcome(String version, String offered, String serverName, String alpn, String alpnSelected,
                         Boolean resumed, Sides alertFrom, String alertDescription, long exchanges,
                         boolean clientTurnOpen, long lastDataNanos, Set<TlsProblem> problems) {

    /** The first closing alert as the outputs print it, {@code side:description}, or empty when none. */
    public String alert() {
        return alertFrom == Sides.NONE ? "" : alertFrom.label() + ":" + alertDescription;
    }
}
