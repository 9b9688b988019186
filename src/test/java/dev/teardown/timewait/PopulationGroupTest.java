package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each member of a group reads as a population that took the shared intervals and its own; the shared part as its own. */
class PopulationGroupTest {
    private static final long S = 1_000_000_000L;

    @Test
    void eachMemberEqualsAPopulationGivenTheSharedIntervalsAndItsOwnWhateverTheSweeps() {
        SplittableRandom r = new SplittableRandom(11);
        Instants at = new Instants(S);
        at.start(0);
        int members = 4;
        PopulationGroup group = new PopulationGroup(at, members);
        Population[] alone = new Population[members];
        Population shared = new Population(at);
        for (int i = 0; i < members; i++) alone[i] = new Population(at);
        long t = 0;
        for (int step = 0; step < 3_000; step++) {
            t += r.nextLong(S / 2);
            long from = t + r.nextLong(3 * S);
            long to = from + r.nextLong(70 * S);
            int who = r.nextInt(members + 1);
            if (who == members) {
                group.addToAll(from, to);
                shared.add(from, to);
                for (Population p : alone) p.add(from, to);
            } else {
                group.add(who, from, to);
                alone[who].add(from, to);
            }
            if (r.nextInt(20) == 0) {
                at.advanceHorizon(t);
                group.sweep();
                shared.sweep();
                for (Population p : alone) p.sweep();
            }
        }
        at.finishAt(t + 100 * S);
        group.sweep();
        shared.sweep();
        assertEquals(shared.peak(), group.basePeak(), "the shared part alone");
        for (int i = 0; i < members; i++) {
            alone[i].sweep();
            assertEquals(alone[i].peak(), group.peak(i), "member " + i);
            assertEquals(alone[i].sum(), group.sum(i), "member " + i);
        }
        assertTrue(group.empty());
    }
}
