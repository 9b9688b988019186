package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.timewait.EndpointWhatIf.IdleClose;
import dev.teardown.timewait.EndpointWhatIf.Pooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One endpoint's slots, told directly: which idle connection a start reuses, forgetting, the median label. */
class EndpointWhatIfTest {
    private static final long S = 1_000_000_000L;
    private static final Host CLIENT = new Host(4, 0, 0x0a000101L);

    private static EndpointWhatIf endpoint(Instants at) {
        return new EndpointWhatIf(new ServerEndpoint(4, 0, 0x0a000002L, 80), new long[] {15 * S}, 60 * S, at, 0);
    }

    @Test
    void aStartReusesTheMostRecentlyActiveIdleConnectionAlreadyClosedForReal() {
        Instants at = new Instants(S);
        at.start(0);
        EndpointWhatIf e = endpoint(at);
        e.start(CLIENT, 0);
        e.start(CLIENT, 0);
        e.start(CLIENT, 0);
        // Idle from 1 s and from 2 s, both closed at 7 s; one idle from 3 s but closed only at 20 s.
        Pooled older = e.idleClosed(CLIENT, new IdleClose(S, 7 * S, 7 * S, 67 * S, true), 1).get(0);
        Pooled newer = e.idleClosed(CLIENT, new IdleClose(2 * S, 7 * S, 7 * S, 67 * S, true), 2).get(0);
        Pooled open = e.idleClosed(CLIENT, new IdleClose(3 * S, 20 * S, PacketTime.UNSET, PacketTime.UNSET, true), 3)
            .get(0);
        e.start(CLIENT, 10 * S);
        assertTrue(newer.taken);
        assertFalse(older.taken);
        assertFalse(open.taken, "still open for real at 10 s: the client chose a new connection");
        e.expire(older);
        e.expire(newer); // taken: neither a close nor a TIME_WAIT
        e.expire(open);  // no server TIME_WAIT in the capture: none predicted
        at.finishAt(100 * S);
        e.sweep();
        List<WhatIfRow> rows = e.rows(101, 28_232);
        WhatIfRow observed = rows.get(0);
        WhatIfRow fifteen = rows.get(1);
        assertEquals(List.of(4L, 3L, 2L), List.of(observed.connections(), observed.closes(), observed.timeWaitServerPeak()));
        assertEquals(List.of(3L, 2L, 1L), List.of(fifteen.connections(), fifteen.closes(), fifteen.timeWaitServerPeak()));
        assertEquals(6 * S, observed.idleTimeoutNanos(), "median of 6, 5 and 17 s");
    }

    @Test
    void anEndpointIsForgettableOnlyWithoutIdleClosesAndWithNothingHeld() {
        Instants at = new Instants(S);
        at.start(0);
        EndpointWhatIf e = endpoint(at);
        e.start(CLIENT, 0);
        e.kept(CLIENT, true, S, 61 * S, PacketTime.UNSET, PacketTime.UNSET);
        e.sweep();
        assertFalse(e.forgettable(), "its server TIME_WAIT runs");
        at.advanceHorizon(62 * S);
        e.sweep();
        assertTrue(e.forgettable());
        e.idleClosed(CLIENT, new IdleClose(70 * S, 75 * S, PacketTime.UNSET, PacketTime.UNSET, true), 1);
        assertFalse(e.forgettable());
    }
}
