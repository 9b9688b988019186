package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The heap's minimum equals a sorted multiset's under random adds, lowerings, raisings and removals. */
class WaitingHeapTest {

    @Test
    void theMinimumIsAlwaysTheEarliestStartHeldWhateverTheOrderOfChanges() {
        SplittableRandom r = new SplittableRandom(7);
        WaitingHeap heap = new WaitingHeap();
        TreeMap<Long, Integer> oracle = new TreeMap<>();
        List<TimeWaitState> held = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int op = r.nextInt(3);
            if (op == 0 || held.isEmpty()) {
                TimeWaitState s = new TimeWaitState();
                long t = r.nextLong(1_000);
                s.waitingSince = t;
                heap.set(s, t);
                oracle.merge(t, 1, Integer::sum);
                held.add(s);
            } else if (op == 1) {
                TimeWaitState s = held.get(r.nextInt(held.size()));
                long t = r.nextLong(1_000);
                oracle.computeIfPresent(s.waitingSince, (k, n) -> n == 1 ? null : n - 1);
                s.waitingSince = t;
                heap.set(s, t);
                oracle.merge(t, 1, Integer::sum);
            } else {
                TimeWaitState s = held.remove(r.nextInt(held.size()));
                heap.remove(s);
                heap.remove(s); // twice: the second does nothing
                oracle.computeIfPresent(s.waitingSince, (k, n) -> n == 1 ? null : n - 1);
            }
            assertEquals(oracle.isEmpty() ? Long.MAX_VALUE : oracle.firstKey(), heap.min(), "step " + step);
            assertEquals(held.size(), heap.size());
        }
    }
}
