package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.S;
import static dev.teardown.teardown.Wire.teardown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The policy a long-running capture depends on, driven by packet time alone (no sleeps): when a connection
 * is written out without further packets, what a full table gives up, what the end of input writes, and the
 * live view of closes and TIME-WAIT.
 */
class LivePolicyTest {

    /** Client 40000 closes first at 2 s; its TIME-WAIT starts with its last ACK at 2.002 s. */
    private static Wire clientClosed() {
        Wire w = new Wire().handshake(0).exchange(1);
        return w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
    }

    @Test
    void quietTimeWritesAClosedConnectionExactlyWhenItsTimeWaitEndsAndNotBefore() {
        Wire w = clientClosed();
        w.tracker.advanceTo(62_002_000_000L - 1);
        assertTrue(w.emitted.isEmpty(), "still in TIME_WAIT one nanosecond before its end");
        w.tracker.advanceTo(62_002_000_000L);
        assertEquals(1, w.emitted.size());
        assertEquals(62_002_000_000L, teardown(w.emitted.get(0)).timeWaitEndNanos());
        assertEquals(0, w.tracker.openConnections());
    }

    @Test
    void quietTimeWritesAnUnfinishedConnectionOnlyAfterTheIdleTimeout() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.tracker.advanceTo(1_002_000_000L + 3600 * S - 1);
        assertTrue(w.emitted.isEmpty());
        w.tracker.advanceTo(1_002_000_000L + 3600 * S);
        assertEquals(1, w.emitted.size());
        assertEquals(CloseType.NONE, teardown(w.emitted.get(0)).type());
    }

    @Test
    void timeNeverRunsBackwardsSoAnEarlierAdvanceOrLatePacketExpiresNothing() {
        Wire w = clientClosed();
        w.tracker.advanceTo(30 * S);
        w.tracker.advanceTo(5 * S);
        w.clientPort = 40001;
        w.handshake(10); // a packet stamped before the time already reached
        assertTrue(w.emitted.isEmpty());
        assertEquals(30 * S, w.tracker.view(0).nowNanos());
    }

    @Test
    void fullTableWritesOutTheOldestClosingConnectionFirstWithItsOutcomeAlreadyDecided() {
        Wire w = clientClosed(); // closing: only its TIME_WAIT is left
        w.tracker.setMaxConnections(2);
        w.clientPort = 40001;
        w.handshake(3); // open
        w.clientPort = 40002;
        w.handshake(4); // a third connection: the table is full
        assertEquals(1, w.emitted.size());
        Connection evicted = w.emitted.get(0);
        assertEquals(40000, evicted.clientPort(), "the closing connection goes before any open one");
        Teardown t = teardown(evicted);
        assertEquals(Sides.CLIENT, t.timeWaitSide(), "written with its outcome");
        assertEquals(62_002_000_000L, t.timeWaitEndNanos());
        assertEquals(1, w.tracker.evictions());
        assertEquals(2, w.tracker.openConnections());
    }

    @Test
    void fullTableWithNothingClosingWritesOutTheLeastRecentlyActiveOpenConnectionAsItStands() {
        Wire w = new Wire().handshake(0);
        w.tracker.setMaxConnections(2);
        w.clientPort = 40001;
        w.handshake(1);
        w.clientPort = 40000;
        w.exchange(2); // 40000 is now the more recently active
        w.clientPort = 40002;
        w.handshake(3);
        assertEquals(List.of(40001), w.emitted.stream().map(Connection::clientPort).toList());
        assertEquals(CloseType.NONE, teardown(w.emitted.get(0)).type(), "written as it stood");
        assertEquals(1, w.tracker.evictions());
    }

    @Test
    void packetsOfAnEvictedConnectionStartAFreshMidstreamOneInsteadOfReviving() {
        Wire w = new Wire().handshake(0);
        w.tracker.setMaxConnections(1);
        w.clientPort = 40001;
        w.handshake(1);
        w.clientPort = 40000;
        w.exchange(2);
        assertEquals(2, w.emitted.size());
        assertEquals(40000, w.emitted.get(0).clientPort());
        assertEquals(40001, w.emitted.get(1).clientPort());
        assertEquals(2, w.tracker.evictions());
        List<Connection> rest = w.finish();
        Connection again = rest.get(2);
        assertEquals(40000, again.clientPort());
        assertEquals(Handshake.MIDSTREAM, Teardown.handshake(again));
    }

    @Test
    void endOfInputWritesEveryHeldConnectionOnceInOrderOfFirstPacketAsItStands() {
        Wire w = clientClosed();
        w.clientPort = 40001;
        w.handshake(3).c(4, FIN | ACK, 0); // one FIN only: the client is on its way to TIME_WAIT
        w.clientPort = 40002;
        w.handshake(5);
        List<Connection> all = w.finish();
        assertEquals(List.of(40000, 40001, 40002), all.stream().map(Connection::clientPort).toList());
        assertEquals(62_002_000_000L, teardown(all.get(0)).timeWaitEndNanos(), "TIME_WAIT end still in the future");
        assertEquals(CloseType.FIN_INCOMPLETE, teardown(all.get(1)).type());
        assertEquals(Sides.CLIENT, teardown(all.get(1)).timeWaitSide());
        assertEquals(CloseType.NONE, teardown(all.get(2)).type());
        w.tracker.finish();
        assertEquals(3, w.emitted.size(), "a second finish writes nothing twice");
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
        TrackerView v = w.tracker.view(5);
        assertEquals(1, v.clientCloses());
        assertEquals(1, v.serverCloses());
        assertEquals(0, v.crossedCloses());
        assertEquals(1, v.aborts());
        assertEquals(4, v.open());
    }

    @Test
    void viewCountsCrossedFinsAsOneCloseWithBothSidesHoldingTimeWait() {
        Wire w = new Wire().handshake(0);
        int cfin = w.cseq;
        int sfin = w.sseq;
        w.raw(true, 1, FIN | ACK, cfin, sfin, 0).raw(false, 1.0001, FIN | ACK, sfin, cfin, 0);
        w.raw(true, 1.001, ACK, cfin + 1, sfin + 1, 0).raw(false, 1.0011, ACK, sfin + 1, cfin + 1, 0);
        TrackerView v = w.tracker.view(5);
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
        List<ServerTimeWait> tw = w.tracker.view(5).timeWait();
        assertEquals(2, tw.size());
        assertEquals("10.0.0.2:8080", tw.get(0).endpoint());
        assertEquals(0, tw.get(0).client());
        assertEquals(2, tw.get(0).server());
        assertEquals("10.0.0.2:80", tw.get(1).endpoint());
        assertEquals(1, tw.get(1).client());
        assertEquals(1, w.tracker.view(1).timeWait().size(), "only the top endpoints");

        w.tracker.advanceTo(62_002_000_000L);
        tw = w.tracker.view(5).timeWait();
        assertEquals(List.of("10.0.0.2:8080"), tw.stream().map(ServerTimeWait::endpoint).toList());
        w.tracker.advanceTo(71_202_000_000L);
        assertTrue(w.tracker.view(5).timeWait().isEmpty());
        assertFalse(w.emitted.isEmpty());
    }
}
