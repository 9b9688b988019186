package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.PSH;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.Anomaly;
import dev.teardown.decode.TcpSegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a connection records segment by segment: the connection-level anomalies and the history letters that
 * no real sample exercises, each on the smallest conversation that must raise it (and one that must not).
 */
class ConnectionTest {

    private static Connection<?> only(Wire w) {
        List<Connection<?>> all = w.finish();
        assertEquals(1, all.size(), "connections");
        return all.get(0);
    }

    private static Set<Anomaly> anomalies(Wire w) {
        return only(w).anomalies();
    }

    @Test
    void aSynCarryingPayloadIsSynWithData() {
        Wire w = new Wire().c(0, SYN, 20);
        assertEquals(Set.of(Anomaly.SYN_WITH_DATA), anomalies(w));
        assertEquals(Set.of(), anomalies(new Wire().handshake(0)));
    }

    @Test
    void aSynWithFinIsSynFinAndRecordsQ() {
        Wire w = new Wire().c(0, SYN | FIN, 0);
        Connection<?> c = only(w);
        assertTrue(c.anomalies().contains(Anomaly.SYN_FIN));
        assertTrue(c.historyText().startsWith("Q"), c.historyText());
    }

    @Test
    void newDataAfterTheSendersOwnFinIsDataAfterFin() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).c(2.1, PSH | ACK, 10);
        assertTrue(anomalies(w).contains(Anomaly.DATA_AFTER_FIN));
    }

    @Test
    void payloadAfterAResetIsDataAfterReset() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, RST | ACK, 0).s(2.1, PSH | ACK, 50);
        assertTrue(anomalies(w).contains(Anomaly.DATA_AFTER_RESET));
        Wire clean = new Wire().handshake(0).exchange(1).c(2, RST | ACK, 0);
        assertFalse(anomalies(clean).contains(Anomaly.DATA_AFTER_RESET));
    }

    @Test
    void aSecondFinAtAnotherSequenceNumberIsFinChangedSeqNotARetransmission() {
        Wire w = new Wire().handshake(0).exchange(1);
        int fin = w.cseq;
        w.c(2, FIN | ACK, 0).raw(true, 2.1, FIN | ACK, fin + 7, w.sseq, 0);
        Set<Anomaly> a = anomalies(w);
        assertTrue(a.contains(Anomaly.FIN_CHANGED_SEQ));
        assertFalse(a.contains(Anomaly.FIN_RETRANSMITTED));
    }

    @Test
    void aNewSynOnATupleThatNeverClosedIsPrematurePortReuse() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.raw(true, 5, SYN, 777_000, 0, 0);
        List<Connection<?>> all = w.finish();
        assertEquals(2, all.size());
        assertFalse(all.get(0).anomalies().contains(Anomaly.PREMATURE_PORT_REUSE));
        assertTrue(all.get(1).anomalies().contains(Anomaly.PREMATURE_PORT_REUSE));
    }

    @Test
    void aNewSynAfterACleanCloseIsNotPrematurePortReuse() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
        w.raw(true, 70, SYN, 777_000, 0, 0);
        for (Connection c : w.finish()) assertFalse(c.anomalies().contains(Anomaly.PREMATURE_PORT_REUSE));
    }

    @Test
    void aConnectionHoldsNoKeyObjectOfItsOwn() {
        // The flow table's entry copies the key's fields: a lookup reads one object, and a lifetime costs no key.
        for (Class<?> c = Connection.class; c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                assertFalse(f.getType() == dev.teardown.flow.FlowKey.class, c.getSimpleName() + "." + f.getName());
            }
        }
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
        w.raw(true, 3, SYN, 777_000, 0, 0); // tuple reuse while the first is in TIME_WAIT
        assertEquals(2, w.finish().size(), "the second lifetime was found under the tuple and followed it");
    }

    @Test
    void retransmittedPayloadRecordsTOnALogarithmicScale() {
        Wire w = new Wire().handshake(0);
        int seq = w.cseq;
        w.c(1, PSH | ACK, 100);
        for (int i = 0; i < 10; i++) w.raw(true, 1.1 + i * 0.01, PSH | ACK, seq, w.sseq, 100);
        // The 1st and the 10th retransmission each add a T (Zeek's logarithmic letters).
        assertEquals("ShADTT", only(w).historyText());
    }

    @Test
    void aZeroWindowRecordsW() {
        Wire w = new Wire().handshake(0);
        w.window = 0;
        w.s(1, ACK, 0);
        assertEquals("ShAaw", only(w).historyText(), "the server's pure ACK (a) advertising a zero window (w)");
    }
}
