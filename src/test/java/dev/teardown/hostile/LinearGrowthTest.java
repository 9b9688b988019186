package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile traffic must cost work in proportion to its size: each test analyses n, 2n and 4n of one kind of
 * traffic and compares the CPU time of 4n to n. Linear work gives 4 and quadratic 16; the bound of 8 lies
 * halfway between them on a log scale, leaving room for cache misses as tables outgrow the caches, and for
 * the n log n of sorting records at the end.
 *
 * <p>A sweep of a few tens of milliseconds per size can still be thrown by one burst of load on a shared CI
 * machine (a fast n run makes the ratio look superlinear), so a sweep over the bound is run again, up to
 * {@link #ATTEMPTS} times in all: linear work passes on a quiet attempt, while quadratic work (ratio near 16)
 * fails every attempt.
 */
@Tag("hostile")
class LinearGrowthTest {
    /** Time(4n) / time(n) above this is superlinear work. */
    static final double MAX_RATIO_4N = 8.0;
    private static final int REPETITIONS = 3;
    /** Sweeps tried before superlinear growth is reported. */
    static final int ATTEMPTS = 3;

    /** Runs {@code sweep} until one attempt grows linearly; returns that sweep, or fails with every attempt. */
    private static Work.Sweep assertLinear(java.util.function.Supplier<Work.Sweep> sweep) {
        StringBuilder attempts = new StringBuilder();
        for (int a = 0; a < ATTEMPTS; a++) {
            Work.Sweep s = sweep.get();
            if (s.timeRatio(2) < MAX_RATIO_4N) return s;
            attempts.append("\n  ").append(s);
        }
        throw new AssertionError("CPU time grew superlinearly in every attempt:" + attempts);
    }

    @Test
    void aSynFloodCostsTimeInProportionToItsSyns() {
        Work.Sweep s = assertLinear(() -> Work.sweep("syn flood", HostileCaptures::synFlood, 20_000, REPETITIONS, false));
        assertEquals(4 * 20_000 + 1, s.costs().get(2).csvRows(), "one row per half-open connection");
    }

    @Test
    void aPortScanCostsTimeInProportionToTheEndpointsScanned() {
        Work.Sweep s = assertLinear(() -> Work.sweep("port scan", HostileCaptures::portScan, 20_000, REPETITIONS, true));
        assertEquals(4 * 20_000 + 1, s.costs().get(2).csvRows(), "one row per scanned endpoint");
    }

    @Test
    void flowsWhoseKeysCollideUnderTheShippedHashCostTimeInProportionToTheirNumber() {
        Work.Sweep s = assertLinear(() -> Work.sweep("colliding flows", HostileCaptures::collidingFlows, 1_500, REPETITIONS, false));
        assertEquals(4 * 1_500 + 1, s.costs().get(2).csvRows(), "one row per flow");
    }

    @Test
    void flowsInOneSlash64CostTimeInProportionToTheirNumber() {
        Work.Sweep s = assertLinear(() -> Work.sweep("sequential flows", HostileCaptures::sequentialFlows, 20_000, REPETITIONS, false));
        assertEquals(4 * 20_000 + 1, s.costs().get(2).csvRows(), "one row per flow");
    }

    @Test
    void aPortScanSummaryHoldsBoundedMemory() {
        int n = 50_000;
        long small = Work.summaryRetainedBytes(HostileCaptures.portScan(n));
        long large = Work.summaryRetainedBytes(HostileCaptures.portScan(4 * n));
        String figures = String.format(java.util.Locale.ROOT, "summary retained %d bytes for %d endpoints, %d for %d: ratio %.2f",
            small, n, large, 4 * n, (double) large / Math.max(1, small));
        System.out.println("port scan memory: " + figures);
        // Unbounded per-endpoint state grows 4x; a bounded summary stays flat once past its bound.
        assertTrue(large < 2 * Math.max(small, 1 << 20), figures);
    }

    /** A million RSTs of distinct sequence numbers on one connection, against a quarter and half of that. */
    @Test
    void anRstStormCostsTimeInProportionToItsResetsAndKeepsItsRowShort() {
        Work.Sweep s = assertLinear(() -> Work.sweep("rst storm", HostileCaptures::rstStorm, 250_000, REPETITIONS, false));
        assertEquals(2, s.costs().get(2).csvRows(), "one connection");
        assertTrue(s.longestRowRatio(2) < 2, "the connection's row grows with its resets (history): " + s);
    }

    @Test
    void manyShortConnectionsCostTimeInProportionToTheirNumber() {
        Work.Sweep s = assertLinear(() -> Work.sweep("short connections", HostileCaptures::shortConnections, 10_000, REPETITIONS, false));
        assertEquals(4 * 10_000 + 1, s.costs().get(2).csvRows(), "one row per connection");
    }
}
