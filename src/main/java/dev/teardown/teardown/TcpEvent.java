package dev.teardown.teardown;

/**
 * What one observed segment means to one side of the connection, as seen from a passive tap.
 *
 * <p>{@code SEND_*} events happen to the segment's sender, {@code RECV_*} events to its receiver. The
 * three FIN-sending events are told apart by the FIN's ACK field, not by capture order (RFC 9293 section
 * 3.6): whether the sender had already received the peer's FIN when it sent its own.
 */
public enum TcpEvent {
    /** A SYN without ACK: an active open. */
    SEND_SYN,
    /** A SYN-ACK: a passive open answering a SYN. */
    SEND_SYN_ACK,
    /** The peer's SYN-ACK arrived. */
    RECV_SYN_ACK,
    /** The peer acknowledged our SYN-ACK: the three-way handshake is complete. */
    RECV_ACK_OF_SYN,
    /** Data or a bare ACK with no handshake seen: the capture started mid-stream. */
    MIDSTREAM,
    /** Our first FIN, and the peer has sent none: we close first. */
    SEND_FIN,
    /** Our first FIN acknowledges the peer's FIN: we close second (passive close). */
    SEND_FIN_AFTER_PEER,
    /** Our first FIN while the peer's FIN is on the wire but not acknowledged by ours: the FINs crossed. */
    SEND_FIN_CROSSED,
    /** The peer's FIN arrived (first time or retransmitted). */
    RECV_FIN,
    /** The peer acknowledged our FIN. */
    RECV_ACK_OF_FIN,
    /** We sent a RST. */
    SEND_RST,
    /** A RST arrived from the peer. */
    RECV_RST
}
