package dev.teardown.pipeline;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.http.CloseReason;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.ServerTimeWait;
import dev.teardown.teardown.TrackerView;
import dev.teardown.teardown.Wire;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live status's and metrics' counts, kept outside the tracker from its events: closes once each by who began
 * them, aborts apart, and TIME-WAIT held now per server endpoint and side, at packet time; for the metrics, open
 * connections too, and the busiest endpoints named with the rest summed.
 */
class LiveCountsTest {
    private final Map<Wire, LiveCounts> counts = new java.util.IdentityHashMap<>();

    private Wire listened(Wire w) {
        LiveCounts live = new LiveCounts();
        counts.put(w, live);
        return w.listen(new ConnectionEvents<>() {
            @Override
            public void closed(Connection<Void> c, long nanos) {
                live.closed(c, Teardown.of(c, Wire.TW).initiator(), CloseReason.NOT_HTTP, c.wasReset());
            }

            @Override
            public void tupleReused(Connection<Void> previous, Connection<Void> next, long nanos) {
                live.tupleReused(next);
            }

            @Override
            public void finished(Connection<Void> c) { }
        });
    }

    private Wire clientClosed() {
        Wire w = listened(new Wire()).handshake(0).exchange(1);
        return w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
    }

    private TrackerView view(Wire w, int top) {
        return counts.get(w).view(w.tracker, Wire.TW, top);
    }

    @Test
    void viewCountsEachCloseOnceByInitiatorAndAbortsApart() {
        Wire w = clientClosed();
        w.c(2.5, FIN | ACK, 0); // a retransmitted FIN is not a second close
        w.clientPort = 40001;
        w.handshake(3).exchange(3.1);
        w.s(3.2, FIN | ACK, 0).c(3.201, FIN | ACK, 0).s(3.202, ACK, 0);
        w.clientPort = 40002;
        w.handshake(4).c(4.1, RST, 0);
        w.clientPort = 40003;
        w.handshake(5); // still open: not a close
        TrackerView v = view(w, 5);
        assertEquals(1, v.clientCloses());
        assertEquals(1, v.serverCloses());
        assertEquals(0, v.crossedCloses());
        assertEquals(1, v.aborts());
        assertEquals(4, v.open());
    }

    @Test
    void viewCountsCrossedFinsAsOneCloseWithBothSidesHoldingTimeWait() {
        Wire w = listened(new Wire()).handshake(0);
        int cfin = w.cseq;
        int sfin = w.sseq;
        w.raw(true, 1, FIN | ACK, cfin, sfin, 0).raw(false, 1.0001, FIN | ACK, sfin, cfin, 0);
        w.raw(true, 1.001, ACK, cfin + 1, sfin + 1, 0).raw(false, 1.0011, ACK, sfin + 1, cfin + 1, 0);
        TrackerView v = view(w, 5);
        assertEquals(1, v.crossedCloses());
        assertEquals(0, v.clientCloses() + v.serverCloses());
        ServerTimeWait tw = v.timeWait().get(0);
        assertEquals(1, tw.client());
        assertEquals(1, tw.server());
        assertEquals(2, tw.total());
    }

    @Test
    void viewShowsTimeWaitHeldNowPerServerEndpointAndSideMostFirstAndForgetsItWhenItEnds() {
        Wire w = clientClosed(); // port 80: client holds, TIME_WAIT ends at 62.002 s
        w.serverPort = 8080;
        for (int i = 0; i < 2; i++) {
            w.clientPort = 41000 + i;
            w.handshake(10 + i).exchange(10.1 + i);
            w.s(10.2 + i, FIN | ACK, 0).c(10.201 + i, FIN | ACK, 0).s(10.202 + i, ACK, 0); // server holds
        }
        List<ServerTimeWait> tw = view(w, 5).timeWait();
        assertEquals(2, tw.size());
        assertEquals("10.0.0.2:8080", tw.get(0).endpoint());
        assertEquals(0, tw.get(0).client());
        assertEquals(2, tw.get(0).server());
        assertEquals("10.0.0.2:80", tw.get(1).endpoint());
        assertEquals(1, tw.get(1).client());
        assertEquals(1, view(w, 1).timeWait().size(), "only the top endpoints");

        w.tracker.advanceTo(62_002_000_000L);
        tw = view(w, 5).timeWait();
        assertEquals(List.of("10.0.0.2:8080"), tw.stream().map(ServerTimeWait::endpoint).toList());
        w.tracker.advanceTo(71_202_000_000L);
        assertTrue(view(w, 5).timeWait().isEmpty());
        assertFalse(w.emitted.isEmpty());
    }

    @Test
    void endpointRowsNameTheBusiestWithOpenTimeWaitClosesAndReuseAndSumTheRestAsOther() {
        Wire w = clientClosed(); // 10.0.0.2:80, client holds TIME_WAIT
        w.serverPort = 8080;
        for (int i = 0; i < 3; i++) {
            w.clientPort = 41000 + i;
            w.handshake(10 + i); // open: both sides have spoken
        }
        w.clientPort = 41010;
        w.c(20, Wire.SYN, 0); // an unanswered SYN is not open
        List<LiveEndpoints.Row> rows = counts.get(w).endpoints(w.tracker, Wire.TW, 1);
        assertEquals(List.of("10.0.0.2:8080", "other"), rows.stream().map(LiveEndpoints.Row::server).toList());
        assertEquals(3, rows.get(0).open());
        assertEquals(List.of(), rows.get(0).closes(), "counted from when it was named");
        assertEquals(1, rows.get(1).timeWaitClient(), "port 80, not named, is summed in other");
        assertEquals(List.of(new LiveEndpoints.Close(Sides.CLIENT, CloseReason.NOT_HTTP, 1)), rows.get(1).closes());

        // The named endpoint's next close counts under its name.
        w.clientPort = 41000;
        w.s(21, FIN | ACK, 0).c(21.001, FIN | ACK, 0).s(21.002, ACK, 0);
        rows = counts.get(w).endpoints(w.tracker, Wire.TW, 1);
        assertEquals(List.of(new LiveEndpoints.Close(Sides.SERVER, CloseReason.NOT_HTTP, 1)), rows.get(0).closes());
        assertEquals(2, rows.get(0).open());
        assertEquals(1, rows.get(0).timeWaitServer());
    }
}
