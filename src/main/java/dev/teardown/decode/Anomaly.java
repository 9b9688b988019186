package dev.teardown.decode;

/**
 * Named oddities in traffic: counted and reported, never thrown (Zeek's "weird" idea).
 *
 * <p>The decode stage raises the packet-level names; the flow and teardown stages raise the
 * connection-level ones, which also appear in each connection's {@code anomalies} column.
 */
public enum Anomaly {
    // Packet level (decode stage): the packet is skipped.
    TRUNCATED_LINK_HEADER,
    TRUNCATED_IP_HEADER,
    BAD_IP_VERSION,
    BAD_IP_HEADER_LENGTH,
    BAD_IP_TOTAL_LENGTH,
    TRUNCATED_IPV6_EXTENSION,
    TRUNCATED_TCP_HEADER,
    BAD_TCP_DATA_OFFSET,
    /** The exception: counted, but the segment is still decoded (options are not needed to follow it). */
    BAD_TCP_OPTION,
    /** The capture ends inside an encapsulation header (MPLS, GRE, ERSPAN, VXLAN, Geneve, GTP-U, PPPoE) or the frame it carries. */
    TRUNCATED_TUNNEL_HEADER,
    /** An encapsulation header that breaks its own rules: a version not defined, a VXLAN header without its I flag, a GTP-U extension of length 0. */
    BAD_TUNNEL_HEADER,
    /**
     * Counted only with checksum verification on: the segment is still decoded, marked {@link TcpSegment#badChecksum},
     * and records nothing but the history letter {@code c}.
     */
    BAD_TCP_CHECKSUM,

    // Connection level (flow and teardown stages): the packet is still used.
    SYN_WITH_DATA,
    SYN_FIN,
    DATA_AFTER_FIN,
    DATA_AFTER_RESET,
    FIN_RETRANSMITTED,
    FIN_CHANGED_SEQ,
    RST_IN_TIME_WAIT,
    PREMATURE_PORT_REUSE,
    SYN_TO_TIME_WAIT_REJECTED;
}
