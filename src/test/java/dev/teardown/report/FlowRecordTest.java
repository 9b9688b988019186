package dev.teardown.report;

import dev.teardown.decode.AddressTexts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.Anomaly;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.Teardown;
import dev.teardown.teardown.Wire;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A record is a value: what was known when it was built, whatever its connection learns later. */
class FlowRecordTest {
    @Test
    void aRecordKeepsTheAnomaliesKnownWhenItWasBuiltThoughItsConnectionLearnsMoreLater() {
        Wire w = new Wire();
        List<FlowRecord> built = new ArrayList<>();
        w.listen(new ConnectionEvents<>() {
            @Override
            public void finished(Connection<Void> c) {
                built.add(FlowRecord.of(c, Teardown.of(c, Wire.TW), Records.NO_HTTP, "", new AddressTexts()));
            }
        });
        // A SYN with data (an anomaly known from the start), then the client closes first: its TIME_WAIT runs
        // from 1.003 s to 61.003 s.
        w.c(0, Wire.SYN, 5).s(0.001, Wire.SYN | Wire.ACK, 0).c(0.002, Wire.ACK, 0).c(1, Wire.FIN | Wire.ACK, 0).s(1.001, Wire.ACK, 0).s(1.002, Wire.FIN | Wire.ACK, 0)
            .c(1.003, Wire.ACK, 0);
        // A new SYN on the tuple meets that TIME_WAIT, which answers with a bare ACK.
        w.raw(true, 60.5, Wire.SYN, 7_000, 0, 0).raw(false, 60.6, Wire.ACK, w.sseq, 123, 0);
        // Past 61.003 s the first lifetime is written out; the client's RST in the same packet then tells it that
        // the RST ended its TIME_WAIT (RFC 9293 section 3.10.7.3).
        w.raw(true, 61.5, Wire.RST, 7_001, 0, 0);
        assertEquals(1, built.size());
        Connection<?> first = w.emitted.get(0);
        assertTrue(first.anomalies().contains(Anomaly.RST_IN_TIME_WAIT), "the connection learnt it after");
        assertEquals(List.of(Anomaly.SYN_WITH_DATA), List.copyOf(built.get(0).anomalies()), "the record was built before");
    }

    @Test
    void aRecordsAnomaliesKeepTheirDeclarationOrderAndCannotBeChanged() {
        Wire w = new Wire();
        w.c(0, Wire.SYN | Wire.FIN, 10);
        FlowRecord r = FlowRecord.of(w.finish().get(0), Teardown.of(w.emitted.get(0), Wire.TW), Records.NO_HTTP, "", new AddressTexts());
        assertEquals(List.of(Anomaly.SYN_WITH_DATA, Anomaly.SYN_FIN), List.copyOf(r.anomalies()));
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
            () -> r.anomalies().add(Anomaly.DATA_AFTER_FIN));
    }

    @Test
    void withFlowIdRenumbersAndKeepsEverythingElse() {
        FlowRecord r = Records.to("10.0.0.2", 80, dev.teardown.teardown.Sides.CLIENT, Records.NO_HTTP);
        FlowRecord renumbered = r.withFlowId(42);
        assertEquals(42, renumbered.flowId());
        assertEquals(r, renumbered.withFlowId(r.flowId()));
    }
}
