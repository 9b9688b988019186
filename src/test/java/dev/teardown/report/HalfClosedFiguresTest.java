package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.HalfClosed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The half-closed states summed over connections: FIN-WAIT-2 past tcp_fin_timeout, CLOSE-WAIT still running, merges. */
class HalfClosedFiguresTest {
    private static final long S = Records.S;
    private static final long U = PacketTime.UNSET;

    private static HalfClosedFigures count(List<HalfClosed> states) {
        HalfClosedFigures.Counter c = new HalfClosedFigures.Counter();
        for (HalfClosed h : states) c.add(Records.halfClosed(h));
        return c.figures();
    }

    @Test
    void finWait2OfSixtySecondsOrMoreIsCountedPastTheFinTimeout() {
        HalfClosedFigures f = count(List.of(
            new HalfClosed(10 * S, 10 * S, 69 * S, HalfClosed.End.FIN),       // 59 s
            new HalfClosed(10 * S, 10 * S, 70 * S, HalfClosed.End.FIN),       // 60 s: tcp_fin_timeout reached
            new HalfClosed(10 * S, 10 * S, 71 * S + 5, HalfClosed.End.RST))); // 61 s
        assertEquals(new HalfClosedFigures(3, 2, 61 * S + 5, 3, 0, 61 * S + 5, 0), f);
    }

    @Test
    void closeWaitStillRunningIsCountedWithItsOwnLongest() {
        HalfClosedFigures f = count(List.of(
            new HalfClosed(U, 0, 30 * S, HalfClosed.End.FIN),      // ended after 30 s
            new HalfClosed(U, 40 * S, 42 * S, HalfClosed.End.RUNNING),  // running 2 s when last seen
            new HalfClosed(U, 40 * S, 41 * S, HalfClosed.End.RUNNING),
            HalfClosed.NONE));
        assertEquals(new HalfClosedFigures(0, 0, 0, 3, 2, 30 * S, 2 * S), f);
    }

    @Test
    void mergingTheHalvesGivesTheWhole() {
        List<HalfClosed> states = List.of(
            new HalfClosed(0, 0, 61 * S, HalfClosed.End.FIN),
            new HalfClosed(U, 5 * S, 9 * S, HalfClosed.End.RUNNING),
            new HalfClosed(U, 5 * S, 6 * S, HalfClosed.End.RST),
            new HalfClosed(2 * S, 2 * S, 3 * S, HalfClosed.End.FIN),
            new HalfClosed(U, 1 * S, 20 * S, HalfClosed.End.RUNNING));
        for (int cut = 0; cut <= states.size(); cut++) {
            Summary first = new Summary();
            Summary second = new Summary();
            Summary whole = new Summary();
            for (int i = 0; i < states.size(); i++) {
                FlowRecord r = Records.halfClosed(states.get(i));
                (i < cut ? first : second).accept(r);
                whole.accept(r);
            }
            first.merge(second);
            assertEquals(whole.figures().halfClosed(), first.figures().halfClosed(), "cut at " + cut);
            assertEquals(whole.figures().endpoints().rows().get(0).halfClosed(),
                first.figures().endpoints().rows().get(0).halfClosed(), "per endpoint, cut at " + cut);
            assertEquals(new HalfClosedFigures(2, 1, 61 * S, 5, 2, 61 * S, 19 * S), whole.figures().halfClosed());
        }
    }
}
