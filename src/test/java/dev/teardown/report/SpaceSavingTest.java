package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Space-Saving's guarantees, checked against exact counts. */
class SpaceSavingTest {

    /** A skewed stream: key k (0-based) about 1 / (k + 1) as often as key 0, over {@code keys} keys. */
    private static int[] zipf(int length, int keys, long seed) {
        double[] cumulative = new double[keys];
        double sum = 0;
        for (int k = 0; k < keys; k++) cumulative[k] = sum += 1.0 / (k + 1);
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            double u = random.nextDouble() * sum;
            int lo = 0;
            int hi = keys - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) lo = mid + 1; else hi = mid;
            }
            out[i] = lo;
        }
        return out;
    }

    private static Map<Integer, long[]> run(SpaceSaving<Integer, long[]> table, int[] stream) {
        Map<Integer, long[]> truth = new HashMap<>();
        for (int k : stream) {
            table.add(k).value()[0]++;
            truth.computeIfAbsent(k, x -> new long[1])[0]++;
        }
        return truth;
    }

    @Test
    void belowTheCapacityEveryCountIsExact() {
        SpaceSaving<Integer, long[]> table = new SpaceSaving<>(500, () -> new long[1]);
        Map<Integer, long[]> truth = run(table, zipf(100_000, 500, 1));
        assertTrue(table.exact());
        assertEquals(truth.size(), table.size());
        for (SpaceSaving.Entry<Integer, long[]> e : table.entries()) {
            assertEquals(0, e.error());
            assertEquals(truth.get(e.key())[0], e.tracked(), "key " + e.key());
            assertEquals(e.tracked(), e.value()[0], "the value saw every occurrence");
        }
    }

    @Test
    void aboveTheCapacityCountsAreBoundedAndEveryFrequentKeyIsKept() {
        int capacity = 100;
        int length = 200_000;
        SpaceSaving<Integer, long[]> table = new SpaceSaving<>(capacity, () -> new long[1]);
        Map<Integer, long[]> truth = run(table, zipf(length, 50_000, 2));
        assertFalse(table.exact());
        assertEquals(capacity, table.size());
        assertTrue(table.entered() >= truth.size(), "entered is an upper bound of the distinct keys");
        Map<Integer, SpaceSaving.Entry<Integer, long[]>> byKey = table.entries().stream()
            .collect(Collectors.toMap(SpaceSaving.Entry::key, e -> e));
        for (SpaceSaving.Entry<Integer, long[]> e : byKey.values()) {
            long f = truth.get(e.key())[0];
            assertTrue(e.tracked() <= f && f <= e.estimate(), "key " + e.key() + ": " + e.tracked() + " <= " + f
                + " <= " + e.estimate());
            assertEquals(e.tracked(), e.value()[0], "the value holds exactly the tracked occurrences");
        }
        long kept = 0;
        for (Map.Entry<Integer, long[]> t : truth.entrySet()) {
            if (t.getValue()[0] > length / capacity) {
                assertNotNull(byKey.get(t.getKey()), "key " + t.getKey() + " seen " + t.getValue()[0] + " times");
                kept++;
            }
        }
        assertTrue(kept >= 5, "the stream has frequent keys to check: " + kept);
    }

    @Test
    void theSameStreamGivesTheSameTable() {
        int[] stream = zipf(50_000, 10_000, 3);
        SpaceSaving<Integer, long[]> a = new SpaceSaving<>(64, () -> new long[1]);
        SpaceSaving<Integer, long[]> b = new SpaceSaving<>(64, () -> new long[1]);
        run(a, stream);
        run(b, stream);
        List<String> ea = a.entries().stream().map(e -> e.key() + "/" + e.tracked() + "/" + e.error()).toList();
        List<String> eb = b.entries().stream().map(e -> e.key() + "/" + e.tracked() + "/" + e.error()).toList();
        assertEquals(ea, eb);
    }
}
