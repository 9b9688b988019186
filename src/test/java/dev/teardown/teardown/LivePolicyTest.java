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
        assertEquals(30 * S, w.tracker.now());
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
        Connection<?> evicted = w.emitted.get(0);
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
        List<Connection<?>> rest = w.finish();
        Connection<?> again = rest.get(2);
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
        List<Connection<?>> all = w.finish();
        assertEquals(List.of(40000, 40001, 40002), all.stream().map(Connection::clientPort).toList());
        assertEquals(62_002_000_000L, teardown(all.get(0)).timeWaitEndNanos(), "TIME_WAIT end still in the future");
        assertEquals(CloseType.FIN_INCOMPLETE, teardown(all.get(1)).type());
        assertEquals(Sides.CLIENT, teardown(all.get(1)).timeWaitSide());
        assertEquals(CloseType.NONE, teardown(all.get(2)).type());
        w.tracker.finish();
        assertEquals(3, w.emitted.size(), "a second finish writes nothing twice");
    }
}
