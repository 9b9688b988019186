package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The settings' ranges and the default bound on connections held, derived from the heap. */
class AnalyzeOptionsTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefaultBoundFillsHalfTheHeapAtTheMeasuredBudgetPerConnection() {
        assertEquals(65_536, AnalyzeOptions.defaultMaxConnections(256 * MIB));
        assertEquals(8_192, AnalyzeOptions.defaultMaxConnections(32 * MIB));
        assertEquals(1_000_000, AnalyzeOptions.defaultMaxConnections(8192 * MIB), "capped");
        assertEquals(1_000_000, AnalyzeOptions.defaultMaxConnections(Long.MAX_VALUE), "capped");
        assertEquals(1_000, AnalyzeOptions.defaultMaxConnections(MIB), "a floor, for a tiny heap");
        assertEquals(AnalyzeOptions.defaultMaxConnections(Runtime.getRuntime().maxMemory()),
            AnalyzeOptions.defaults().maxConnections());
    }

    @Test
    void timesWhoseNanosecondsWouldOverflowOrExceedTheMaximumsAreRejected() {
        long s = AnalyzeOptions.SECOND;
        assertThrows(IllegalArgumentException.class, () -> new AnalyzeOptions(Long.MAX_VALUE, 3600 * s));
        assertThrows(IllegalArgumentException.class, () -> new AnalyzeOptions((AnalyzeOptions.MAX_TIME_WAIT_SECONDS + 1) * s, s));
        assertThrows(IllegalArgumentException.class, () -> new AnalyzeOptions(60 * s, (AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS + 1) * s));
        assertThrows(IllegalArgumentException.class, () -> new AnalyzeOptions(60 * s, 0));
        assertThrows(IllegalArgumentException.class, () -> new AnalyzeOptions(60 * s, s, 0));
        // The largest accepted values leave room: packet times up to 2262 plus both still fit in a long.
        long latest = Long.MAX_VALUE - AnalyzeOptions.MAX_TIME_WAIT_SECONDS * s - AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS * s;
        assertTrue(latest > 9_000_000_000L * s, "the year 2255 still fits");
    }
}
