package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.PSH;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Zeek's conn_state labels that no real sample shows, each on the conversation Zeek's documentation describes. */
class ConnStateTest {

    private static String state(Wire w) {
        List<Connection<?>> all = w.finish();
        assertEquals(1, all.size(), "connections");
        return ConnState.of(all.get(0));
    }

    @Test
    void synThenResetFromTheOriginatorWithoutSynAckIsRstos0() {
        assertEquals("RSTOS0", state(new Wire().c(0, SYN, 0).c(0.5, RST, 0)));
    }

    @Test
    void synAckThenResetFromTheResponderWithoutASynIsRstrh() {
        // The capture began after the SYN: the responder's SYN-ACK and then its RST.
        Wire w = new Wire().s(0, SYN | ACK, 0).s(0.5, RST | ACK, 0);
        assertEquals("RSTRH", state(w));
    }

    @Test
    void synAckThenFinFromTheResponderWithoutASynIsShr() {
        Wire w = new Wire().s(0, SYN | ACK, 0).s(0.5, FIN | ACK, 0);
        assertEquals("SHR", state(w));
    }

    @Test
    void aSynAnsweredByAResetIsRejNotRstos0() {
        assertEquals("REJ", state(new Wire().c(0, SYN, 0).s(0.001, RST | ACK, 0)));
    }

    @Test
    void establishedThenClosedByBothIsSfAndOnlyByTheResponderIsS3() {
        Wire both = new Wire().handshake(0).exchange(1);
        both.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
        assertEquals("SF", state(both));
        Wire responder = new Wire().handshake(0).c(1, PSH | ACK, 10).s(2, FIN | ACK, 0);
        assertEquals("S3", state(responder));
    }
}
