package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.http.CloseReason;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Sides;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-endpoint counts of a live capture: the busiest endpoints named within the bound, names moving only with
 * a clear margin, and every counter only growing while its series lasts (the rest under other).
 */
class LiveEndpointsTest {
    private static ServerEndpoint ep(int port) {
        return new ServerEndpoint(4, 0, 0x0a000002L, port);
    }

    private static Map<ServerEndpoint, long[]> held(Object... portAndOpen) {
        Map<ServerEndpoint, long[]> m = new HashMap<>();
        for (int i = 0; i < portAndOpen.length; i += 2) {
            m.put(ep((Integer) portAndOpen[i]), new long[] {(Integer) portAndOpen[i + 1], 0, 0});
        }
        return m;
    }

    private static List<String> servers(List<LiveEndpoints.Row> rows) {
        return rows.stream().map(LiveEndpoints.Row::server).toList();
    }

    @Test
    void freeNamesGoToTheEndpointsHoldingTheMostAndTheRestIsSummedAsOther() {
        LiveEndpoints e = new LiveEndpoints();
        List<LiveEndpoints.Row> rows = e.sample(held(80, 5, 81, 9, 82, 1), 2);
        assertEquals(List.of("10.0.0.2:80", "10.0.0.2:81", "other"), servers(rows));
        assertEquals(1, rows.get(2).open());
        assertEquals(List.of("other"), servers(e.sample(held(), 0)), "no names: everything is other");
    }

    @Test
    void aBusierEndpointTakesTheWeakestNameOnlyPastTwiceItsCountPlusTheMargin() {
        LiveEndpoints e = new LiveEndpoints();
        e.sample(held(80, 10), 1);
        assertEquals("10.0.0.2:80", e.sample(held(80, 10, 81, 2 * 10 + LiveEndpoints.TAKEOVER_MARGIN - 1), 1).get(0).server());
        assertEquals("10.0.0.2:81", e.sample(held(80, 10, 81, 2 * 10 + LiveEndpoints.TAKEOVER_MARGIN), 1).get(0).server());
    }

    @Test
    void anEndpointHoldingNothingWithNoCloseSinceTheLastSampleGivesItsNameUp() {
        LiveEndpoints e = new LiveEndpoints();
        e.sample(held(80, 1), 5);
        e.closed(ep(80), Sides.SERVER, CloseReason.HTTP10_CLOSE, false);
        assertEquals(List.of("10.0.0.2:80", "other"), servers(e.sample(held(), 5)), "a close since: kept");
        assertEquals(List.of("other"), servers(e.sample(held(), 5)), "nothing held, no close: released");
    }

    @Test
    void closesCountUnderTheNameHeldAtTheTimeAndOtherOnlyGrows() {
        LiveEndpoints e = new LiveEndpoints();
        e.closed(ep(80), Sides.SERVER, CloseReason.HTTP10_CLOSE, false); // not named yet: other
        List<LiveEndpoints.Row> rows = e.sample(held(80, 1), 5);
        assertEquals(List.of(), rows.get(0).closes(), "named from now on, counting from 0");
        assertEquals(List.of(new LiveEndpoints.Close(Sides.SERVER, CloseReason.HTTP10_CLOSE, 1)), rows.get(1).closes());
        e.closed(ep(80), Sides.CLIENT, CloseReason.CLIENT_ABORT, true);
        e.closed(ep(80), Sides.CLIENT, CloseReason.CLIENT_CLOSE, false);
        e.tupleReused(ep(80));
        rows = e.sample(held(80, 1), 5);
        assertEquals(List.of(new LiveEndpoints.Close(Sides.CLIENT, CloseReason.CLIENT_ABORT, 1),
            new LiveEndpoints.Close(Sides.CLIENT, CloseReason.CLIENT_CLOSE, 1)), rows.get(0).closes());
        assertEquals(1, rows.get(0).resets());
        assertEquals(1, rows.get(0).tupleReuses());
        assertEquals(1, rows.get(1).closes().get(0).count(), "other keeps what it counted");
        // The status's totals: every endpoint's, RST-ended ones apart.
        assertEquals(1, e.finCloses(Sides.SERVER));
        assertEquals(1, e.finCloses(Sides.CLIENT));
        assertEquals(1, e.resets());
    }

    @Test
    void timeWaitByEndpointAndSideIsReportedAsHeldAndSummedForTheRest() {
        LiveEndpoints e = new LiveEndpoints();
        Map<ServerEndpoint, long[]> held = new HashMap<>();
        held.put(ep(80), new long[] {0, 3, 40});
        held.put(ep(81), new long[] {1, 2, 0});
        held.put(ep(82), new long[] {0, 0, 5});
        List<LiveEndpoints.Row> rows = e.sample(held, 1);
        assertEquals("10.0.0.2:80", rows.get(0).server());
        assertEquals(3, rows.get(0).timeWaitClient());
        assertEquals(40, rows.get(0).timeWaitServer());
        assertEquals(2, rows.get(1).timeWaitClient());
        assertEquals(5, rows.get(1).timeWaitServer());
        assertEquals(1, rows.get(1).open());
        assertTrue(rows.get(1).endpoint() == null);
    }
}
