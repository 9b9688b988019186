package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The counts' minimum falls in the same instant step as a sorted multiset's, whatever the order of changes. */
class WaitingCountsTest {
    private static final long STEP = 1_000;

    private static long instant(long nanos) {
        return -Math.floorDiv(-nanos, STEP);
    }

    private static void randomWalk(long seed, long spread) {
        SplittableRandom r = new SplittableRandom(seed);
        WaitingCounts counts = new WaitingCounts(STEP);
        TreeMap<Long, Integer> oracle = new TreeMap<>();
        List<Long> held = new ArrayList<>();
        long base = 0;
        for (int step = 0; step < 20_000; step++) {
            base += r.nextLong(50); // starts mostly move forward, as in a capture, with some far behind or ahead
            if (r.nextInt(3) != 0 || held.isEmpty()) {
                long t = r.nextInt(20) == 0 ? base - r.nextLong(spread) + r.nextLong(spread) : base + r.nextLong(2_000);
                counts.add(t);
                oracle.merge(t, 1, Integer::sum);
                held.add(t);
            } else {
                long t = held.remove(r.nextInt(held.size()));
                counts.remove(t);
                oracle.computeIfPresent(t, (k, n) -> n == 1 ? null : n - 1);
            }
            long min = counts.min();
            if (oracle.isEmpty()) {
                assertEquals(Long.MAX_VALUE, min, "step " + step);
            } else {
                assertEquals(instant(oracle.firstKey()), instant(min), "step " + step);
                assertTrue(min <= oracle.firstKey(), "never later than the earliest start, step " + step);
            }
            assertEquals(held.size(), counts.size());
        }
    }

    @Test
    void theMinimumIsInTheInstantOfTheEarliestStartHeldWhateverTheOrderOfChanges() {
        randomWalk(7, 100_000);
    }

    @Test
    void startsBeyondTheRingsReachWaitInTheFarMapAndStillCount() {
        // A spread of 10^10 ns at a 1,000 ns step: 10^7 instants, past the ring's 2^20.
        randomWalk(11, 10_000_000_000L);
        WaitingCounts counts = new WaitingCounts(STEP);
        counts.add(0);
        counts.add(WaitingCounts.MAX_RING * STEP * 4);
        assertFalse(counts.far().isEmpty());
        counts.remove(0);
        assertEquals(WaitingCounts.MAX_RING * 4, instant(counts.min()));
    }

    @Test
    void aStartExactlyOnAnInstantBelongsToThatInstant() {
        WaitingCounts counts = new WaitingCounts(STEP);
        counts.add(5 * STEP);
        assertEquals(5, instant(counts.min()));
        counts.add(5 * STEP - 1);
        assertEquals(5, instant(counts.min()));
        counts.add(4 * STEP);
        assertEquals(4, instant(counts.min()));
        counts.clear();
        assertEquals(Long.MAX_VALUE, counts.min());
    }
}
