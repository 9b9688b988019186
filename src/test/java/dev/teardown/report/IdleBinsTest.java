package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The idle histogram's bins: under 1 ms, the R10 series from 1 ms to 10,000 s, then an open-ended bin. */
class IdleBinsTest {
    private static final long MS = 1_000_000L;

    @Test
    void edgesAreTheRenardTenSeriesFromOneMillisecondToTenThousandSeconds() {
        List<Long> firstDecade = new ArrayList<>();
        for (int i = 1; i <= 11; i++) firstDecade.add(IdleBins.low(i));
        assertEquals(List.of(MS, 1_250_000L, 1_600_000L, 2 * MS, 2_500_000L, 3_150_000L, 4 * MS, 5 * MS, 6_300_000L,
            8 * MS, 10 * MS), firstDecade);
        assertEquals(0, IdleBins.low(0));
        assertEquals(10_000_000_000_000L, IdleBins.low(IdleBins.COUNT - 1), "10,000 s");
        assertEquals(Long.MAX_VALUE, IdleBins.high(IdleBins.COUNT - 1), "the last bin has no end");
        for (int i = 0; i + 1 < IdleBins.COUNT; i++) assertEquals(IdleBins.low(i + 1), IdleBins.high(i));
    }

    @Test
    void aTimeFallsInTheBinWhoseLowerEdgeItReachesAndNegativeTimesCountAsZero() {
        assertEquals(0, IdleBins.of(0));
        assertEquals(0, IdleBins.of(MS - 1));
        assertEquals(1, IdleBins.of(MS));
        assertEquals(0, IdleBins.of(-5), "a close before the message's end (clock skew) counts as no idle time");
        // lighttpd's 5 s setting, closing 5.3 to 6.3 s after the response: two neighbouring bins.
        assertEquals(5_000 * MS, IdleBins.low(IdleBins.of(5_300 * MS)));
        assertEquals(6_300 * MS, IdleBins.low(IdleBins.of(6_300 * MS)));
        assertEquals(63_000 * MS, IdleBins.low(IdleBins.of(75_000 * MS)), "nginx's 75 s keepalive_timeout");
        assertEquals(IdleBins.COUNT - 1, IdleBins.of(Long.MAX_VALUE));
    }
}
