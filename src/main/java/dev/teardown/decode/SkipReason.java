package dev.teardown.decode;

/** Why {@link PacketDecoder} passed over a well-formed packet that is not a whole TCP segment. */
public enum SkipReason {
    /** The capture's link type is not one the decoder reads. */
    UNSUPPORTED_LINK_TYPE,
    /** Not IPv4 or IPv6: ARP, LLDP, 802.3 LLC frames, other address families. */
    NOT_IP,
    /** IP, but not TCP: UDP, ICMP, ESP (encrypted, so the TCP header cannot be seen), no next header. */
    NOT_TCP,
    /** A fragment of an IP datagram, whatever it carries; fragments are not reassembled. */
    IP_FRAGMENT,
    /**
     * An encapsulation whose payload is not one decoded: a GRE, Geneve or PPP protocol other than IP, Ethernet,
     * MPLS or ERSPAN; GTP-U signalling (echo, error indication, end marker: every message but a G-PDU); an MPLS
     * payload that is neither IP nor a pseudo-wire control word; GRE version 1 (PPTP) or with RFC 1701 routing.
     */
    TUNNEL_PAYLOAD_UNKNOWN,
    /** More than {@link Tunnel#MAX_DEPTH} encapsulation layers in one packet. */
    TUNNEL_TOO_DEEP
}
