package dev.teardown.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TcpStateTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
        // Opening (RFC 9293 section 3.5)
        "NONE,         SEND_SYN,            SYN_SENT",
        "NONE,         SEND_SYN_ACK,        SYN_RECEIVED",
        "NONE,         MIDSTREAM,           ESTABLISHED",
        "SYN_SENT,     RECV_SYN_ACK,        ESTABLISHED",
        "SYN_SENT,     SEND_SYN,            SYN_SENT",
        "SYN_SENT,     SEND_RST,            SYN_SENT",
        "SYN_SENT,     RECV_RST,            RESET",
        "SYN_RECEIVED, RECV_ACK_OF_SYN,     ESTABLISHED",
        "SYN_RECEIVED, RECV_RST,            RESET",
        // Active close: FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT (RFC 9293 section 3.6, case 1)
        "ESTABLISHED,  SEND_FIN,            FIN_WAIT_1",
        "FIN_WAIT_1,   RECV_ACK_OF_FIN,     FIN_WAIT_2",
        "FIN_WAIT_2,   RECV_FIN,            TIME_WAIT",
        "FIN_WAIT_2,   RECV_RST,            RESET",
        "FIN_WAIT_2,   SEND_RST,            RESET",
        // Passive close: CLOSE-WAIT, LAST-ACK, CLOSED
        "ESTABLISHED,  RECV_FIN,            CLOSE_WAIT",
        "CLOSE_WAIT,   SEND_FIN_AFTER_PEER, LAST_ACK",
        "LAST_ACK,     RECV_ACK_OF_FIN,     CLOSED",
        "CLOSE_WAIT,   SEND_RST,            RESET",
        "LAST_ACK,     RECV_FIN,            LAST_ACK",
        // Simultaneous close: both through CLOSING (RFC 9293 section 3.6, case 3)
        "FIN_WAIT_1,   RECV_FIN,            CLOSING",
        "CLOSE_WAIT,   SEND_FIN_CROSSED,    CLOSING",
        "ESTABLISHED,  SEND_FIN_CROSSED,    CLOSING",
        "CLOSING,      RECV_ACK_OF_FIN,     TIME_WAIT",
        // TIME-WAIT: a retransmitted FIN keeps it, a RST ends it (tcp_rfc1337=0), our own RST does not
        "TIME_WAIT,    RECV_FIN,            TIME_WAIT",
        "TIME_WAIT,    RECV_RST,            CLOSED",
        "TIME_WAIT,    SEND_RST,            TIME_WAIT",
        "TIME_WAIT,    SEND_SYN,            TIME_WAIT",
        // Mid-stream captures can start anywhere
        "NONE,         SEND_FIN,            FIN_WAIT_1",
        "NONE,         RECV_FIN,            CLOSE_WAIT",
        "NONE,         RECV_RST,            RESET",
        // Terminal states stay
        "CLOSED,       RECV_FIN,            CLOSED",
        "RESET,        SEND_FIN,            RESET",
    })
    void transitionTableMatchesRfc9293(TcpState from, TcpEvent event, TcpState expected) {
        assertEquals(expected, from.next(event));
    }

    /** How far along a connection's life a state is; no event may move a side back (RFC 9293 section 3.3.2). */
    private static int phase(TcpState s) {
        return switch (s) {
            case NONE -> 0;
            case SYN_SENT, SYN_RECEIVED -> 1;
            case ESTABLISHED -> 2;
            case FIN_WAIT_1, CLOSE_WAIT -> 3;
            case FIN_WAIT_2, CLOSING, LAST_ACK -> 4;
            case TIME_WAIT -> 5;
            case CLOSED, RESET -> 6;
        };
    }

    @ParameterizedTest
    @EnumSource(TcpState.class)
    void noEventMovesASideBackAndTheFinalStatesAbsorbEveryEvent(TcpState state) {
        for (TcpEvent e : TcpEvent.values()) {
            TcpState next = state.next(e);
            assertTrue(phase(next) >= phase(state), state + " + " + e + " -> " + next);
            if (state == TcpState.CLOSED || state == TcpState.RESET) assertEquals(state, next, state + " + " + e);
            // Only the active closer's states lead to TIME-WAIT: a passive closer never holds it.
            if (next == TcpState.TIME_WAIT && state != TcpState.TIME_WAIT) {
                assertTrue(state.isActiveClosing(), state + " + " + e + " -> TIME_WAIT");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TcpState.class, names = {"ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING", "CLOSE_WAIT",
        "LAST_ACK", "SYN_RECEIVED"})
    void aResetAbortsEveryOpenState(TcpState state) {
        assertEquals(TcpState.RESET, state.next(TcpEvent.RECV_RST));
    }
}
