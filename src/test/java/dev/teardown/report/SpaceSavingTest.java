package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    private static SpaceSaving<Integer, long[]> table(int capacity, int[] stream, int from, int to) {
        SpaceSaving<Integer, long[]> t = new SpaceSaving<>(capacity, () -> new long[1]);
        for (int i = from; i < to; i++) t.add(stream[i]).value()[0]++;
        return t;
    }

    private static void addInto(long[] into, long[] from) {
        into[0] += from[0];
    }

    /** Every entry as key/tracked/error/value, by key: what two equal tables share. */
    private static List<String> contents(SpaceSaving<Integer, long[]> t) {
        return t.entries().stream().sorted(java.util.Comparator.comparing(SpaceSaving.Entry::key))
            .map(e -> e.key() + "/" + e.tracked() + "/" + e.error() + "/" + e.value()[0]).toList();
    }

    private static Map<Integer, Long> truth(int[] stream) {
        Map<Integer, Long> t = new HashMap<>();
        for (int k : stream) t.merge(k, 1L, Long::sum);
        return t;
    }

    /** Space-Saving's guarantees for {@code table} against the exact counts of the stream it summarises. */
    private static void assertBounds(SpaceSaving<Integer, long[]> table, Map<Integer, Long> truth, long length) {
        int capacity = table.capacity();
        assertTrue(table.floor() <= length / capacity, "floor " + table.floor() + " <= N / capacity");
        assertTrue(table.entered() >= truth.size(), "entered is an upper bound of the distinct keys");
        Map<Integer, SpaceSaving.Entry<Integer, long[]>> byKey = table.entries().stream()
            .collect(Collectors.toMap(SpaceSaving.Entry::key, e -> e));
        for (SpaceSaving.Entry<Integer, long[]> e : byKey.values()) {
            long f = truth.get(e.key());
            assertTrue(e.tracked() <= f && f <= e.estimate(), "key " + e.key() + ": " + e.tracked() + " <= " + f
                + " <= " + e.estimate());
            assertTrue(e.estimate() >= table.floor(), "key " + e.key() + " at least the floor");
            assertEquals(e.tracked(), e.value()[0], "the value holds exactly the tracked occurrences");
        }
        for (Map.Entry<Integer, Long> t : truth.entrySet()) {
            if (byKey.containsKey(t.getKey())) continue;
            assertTrue(t.getValue() <= table.floor(), "key " + t.getKey() + " not kept, seen " + t.getValue()
                + " times, floor " + table.floor());
        }
    }

    @Test
    void twoPartsMergedBelowTheCapacityAreExactlyTheTableOfTheWhole() {
        int[] stream = zipf(20_000, 300, 4);
        List<String> whole = contents(table(300, stream, 0, stream.length));
        for (int split : new int[] {0, 1, 299, 10_000, 19_999, 20_000}) {
            SpaceSaving<Integer, long[]> merged = table(300, stream, 0, split);
            merged.merge(table(300, stream, split, stream.length), SpaceSavingTest::addInto);
            assertEquals(whole, contents(merged), "split at " + split);
            assertTrue(merged.exact(), "split at " + split);
            assertEquals(truth(stream).size(), merged.entered(), "split at " + split);
            assertEquals(0, merged.floor());
        }
    }

    @Test
    void mergedTablesAboveTheCapacityKeepEveryBoundAgainstExactCounts() {
        int capacity = 100;
        int[] stream = zipf(200_000, 50_000, 5);
        Map<Integer, Long> truth = truth(stream);
        // Two halves.
        SpaceSaving<Integer, long[]> halves = table(capacity, stream, 0, 100_000);
        halves.merge(table(capacity, stream, 100_000, stream.length), SpaceSavingTest::addInto);
        assertFalse(halves.exact());
        assertEquals(capacity, halves.size());
        assertBounds(halves, truth, stream.length);
        // Eight parts merged as a tree (the shape of a sharded run), and one after the other.
        List<SpaceSaving<Integer, long[]>> parts = new java.util.ArrayList<>();
        for (int p = 0; p < 8; p++) parts.add(table(capacity, stream, p * 25_000, (p + 1) * 25_000));
        while (parts.size() > 1) {
            List<SpaceSaving<Integer, long[]>> next = new java.util.ArrayList<>();
            for (int i = 0; i < parts.size(); i += 2) {
                parts.get(i).merge(parts.get(i + 1), SpaceSavingTest::addInto);
                next.add(parts.get(i));
            }
            parts = next;
        }
        assertBounds(parts.get(0), truth, stream.length);
        SpaceSaving<Integer, long[]> chain = table(capacity, stream, 0, 25_000);
        for (int p = 1; p < 8; p++) chain.merge(table(capacity, stream, p * 25_000, (p + 1) * 25_000), SpaceSavingTest::addInto);
        assertBounds(chain, truth, stream.length);
        long kept = truth.values().stream().filter(n -> n > stream.length / capacity).count();
        assertTrue(kept >= 5, "the stream has frequent keys to check: " + kept);
    }

    @Test
    void keysAddedAfterAMergeOfFullTablesKeepTheBounds() {
        int capacity = 50;
        int[] stream = zipf(60_000, 20_000, 6);
        SpaceSaving<Integer, long[]> merged = table(capacity, stream, 0, 20_000);
        merged.merge(table(capacity, stream, 20_000, 40_000), SpaceSavingTest::addInto);
        for (int i = 40_000; i < stream.length; i++) merged.add(stream[i]).value()[0]++;
        assertBounds(merged, truth(stream), stream.length);
    }

    /** Key 9 three times, then keys 1 .. 4 often enough to push it out of a table of 4: its floor is 3. */
    private static final int[] NINE_PUSHED_OUT = {9, 9, 9, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 1, 2, 3, 4, 4, 4};

    @Test
    void aKeyOnlyOnePartKeptMayHaveOccurredInTheOtherUpToItsFloor() {
        SpaceSaving<Integer, long[]> pushedOut = table(4, NINE_PUSHED_OUT, 0, NINE_PUSHED_OUT.length);
        assertEquals(3, pushedOut.floor());
        assertFalse(pushedOut.entries().stream().anyMatch(e -> e.key() == 9));
        int[] nines = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
        int[] both = java.util.stream.IntStream.concat(java.util.Arrays.stream(NINE_PUSHED_OUT),
            java.util.Arrays.stream(nines)).toArray();
        // Merged either way round, 9 (13 times in all) is kept with the pushed-out part's floor as its error.
        SpaceSaving<Integer, long[]> nineFirst = table(4, nines, 0, nines.length);
        nineFirst.merge(table(4, NINE_PUSHED_OUT, 0, NINE_PUSHED_OUT.length), SpaceSavingTest::addInto);
        SpaceSaving<Integer, long[]> nineLast = table(4, NINE_PUSHED_OUT, 0, NINE_PUSHED_OUT.length);
        nineLast.merge(table(4, nines, 0, nines.length), SpaceSavingTest::addInto);
        for (SpaceSaving<Integer, long[]> merged : List.of(nineFirst, nineLast)) {
            SpaceSaving.Entry<Integer, long[]> nine =
                merged.entries().stream().filter(e -> e.key() == 9).findFirst().orElseThrow();
            assertEquals(List.of(10L, 3L), List.of(nine.tracked(), nine.error()));
            assertBounds(merged, truth(both), both.length);
        }
    }

    @Test
    void aKeyBothPartsDroppedMayHaveOccurredUpToTheSumOfTheirFloors() {
        SpaceSaving<Integer, long[]> merged = table(4, NINE_PUSHED_OUT, 0, NINE_PUSHED_OUT.length);
        merged.merge(table(4, NINE_PUSHED_OUT, 0, NINE_PUSHED_OUT.length), SpaceSavingTest::addInto);
        // Keys 1 .. 4 fill the merged table: nothing is dropped, yet 9 occurred 6 times unseen.
        assertEquals(4, merged.size());
        assertEquals(6, merged.floor());
        int[] twice = java.util.stream.IntStream.concat(java.util.Arrays.stream(NINE_PUSHED_OUT),
            java.util.Arrays.stream(NINE_PUSHED_OUT)).toArray();
        assertBounds(merged, truth(twice), twice.length);
    }

    @Test
    void tablesOfDifferentCapacitiesOrATableWithItselfDoNotMerge() {
        SpaceSaving<Integer, long[]> a = table(4, NINE_PUSHED_OUT, 0, 5);
        assertThrows(IllegalArgumentException.class, () -> a.merge(table(5, NINE_PUSHED_OUT, 0, 5), SpaceSavingTest::addInto));
        assertThrows(IllegalArgumentException.class, () -> a.merge(a, SpaceSavingTest::addInto));
    }

    @Test
    void aMergeLeavesTheOtherTableAsItWasAndIsDeterministic() {
        int[] stream = zipf(30_000, 5_000, 7);
        SpaceSaving<Integer, long[]> other = table(64, stream, 15_000, stream.length);
        List<String> before = contents(other);
        SpaceSaving<Integer, long[]> a = table(64, stream, 0, 15_000);
        SpaceSaving<Integer, long[]> b = table(64, stream, 0, 15_000);
        a.merge(other, SpaceSavingTest::addInto);
        b.merge(other, SpaceSavingTest::addInto);
        assertEquals(before, contents(other));
        assertEquals(contents(a), contents(b));
        for (SpaceSaving.Entry<Integer, long[]> e : a.entries()) e.value()[0] += 1000;
        assertEquals(before, contents(other), "the merged table shares no value with the other");
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
