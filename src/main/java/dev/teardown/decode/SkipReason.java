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
    IP_FRAGMENT
}
