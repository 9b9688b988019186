package dev.teardown.teardown;

/**
 * The TCP state of one side of a connection, inferred from the segments a passive tap sees (RFC 9293
 * section 3.3.2 names), plus {@code NONE} before anything is known and {@code RESET} after an abort.
 */
public enum TcpState {
    NONE,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSING,
    TIME_WAIT,
    CLOSE_WAIT,
    LAST_ACK,
    CLOSED,
    RESET;

    /**
     * The one transition function: the state after {@code event} happens to a side in this state.
     *
     * <p>Follows RFC 9293 section 3.6 for closing: an active closer goes FIN-WAIT-1, FIN-WAIT-2,
     * TIME-WAIT; a passive closer CLOSE-WAIT, LAST-ACK, CLOSED; crossed FINs take both sides through
     * CLOSING to TIME-WAIT. Events that do not apply leave the state as it is.
     */
    public TcpState next(TcpEvent event) {
        return switch (this) {
            case NONE -> switch (event) {
                case SEND_SYN -> SYN_SENT;
                case SEND_SYN_ACK -> SYN_RECEIVED;
                case RECV_SYN_ACK, MIDSTREAM, RECV_ACK_OF_SYN -> ESTABLISHED;
                case SEND_FIN -> FIN_WAIT_1;
                case SEND_FIN_AFTER_PEER -> LAST_ACK;
                case SEND_FIN_CROSSED -> CLOSING;
                case RECV_FIN -> CLOSE_WAIT;
                case SEND_RST, RECV_RST -> RESET;
                case RECV_ACK_OF_FIN -> this;
            };
            // RFC 9293 section 3.10.7.3: in SYN-SENT an unacceptable ACK (for example a TIME-WAIT
            // socket's reply to our SYN) is answered with a RST and the open goes on: SEND_RST stays.
            case SYN_SENT -> switch (event) {
                case RECV_SYN_ACK, MIDSTREAM -> ESTABLISHED;
                case SEND_FIN -> FIN_WAIT_1;
                case RECV_FIN -> CLOSE_WAIT;
                case RECV_RST -> RESET;
                default -> this;
            };
            case SYN_RECEIVED -> switch (event) {
                case RECV_ACK_OF_SYN, MIDSTREAM -> ESTABLISHED;
                case SEND_FIN -> FIN_WAIT_1;
                case RECV_FIN -> CLOSE_WAIT;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case ESTABLISHED -> switch (event) {
                case SEND_FIN -> FIN_WAIT_1;
                case SEND_FIN_AFTER_PEER -> LAST_ACK;
                case SEND_FIN_CROSSED -> CLOSING;
                case RECV_FIN -> CLOSE_WAIT;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case FIN_WAIT_1 -> switch (event) {
                case RECV_ACK_OF_FIN -> FIN_WAIT_2;
                // The peer's FIN did not acknowledge ours (else RECV_ACK_OF_FIN came first): crossed.
                case RECV_FIN -> CLOSING;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case FIN_WAIT_2 -> switch (event) {
                case RECV_FIN -> TIME_WAIT;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case CLOSING -> switch (event) {
                case RECV_ACK_OF_FIN -> TIME_WAIT;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            // A RST ends TIME-WAIT early on Linux (tcp_rfc1337=0; RFC 1337 describes the hazard). A
            // TIME-WAIT socket may itself send RST to a stray segment and stays in TIME-WAIT.
            case TIME_WAIT -> event == TcpEvent.RECV_RST ? CLOSED : this;
            case CLOSE_WAIT -> switch (event) {
                case SEND_FIN, SEND_FIN_AFTER_PEER -> LAST_ACK;
                case SEND_FIN_CROSSED -> CLOSING;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case LAST_ACK -> switch (event) {
                case RECV_ACK_OF_FIN -> CLOSED;
                case SEND_RST, RECV_RST -> RESET;
                default -> this;
            };
            case CLOSED, RESET -> this;
        };
    }

    /** True for the states an active closer passes through before TIME-WAIT. */
    public boolean isActiveClosing() {
        return this == FIN_WAIT_1 || this == FIN_WAIT_2 || this == CLOSING;
    }

    /** True when this side has nothing more to do: TIME-WAIT, CLOSED or RESET. */
    public boolean isFinal() {
        return this == TIME_WAIT || this == CLOSED || this == RESET;
    }
}
