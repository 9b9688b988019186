package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The remembered second changes nothing: every time comes out as {@link Times#iso} writes it. */
class IsoTimesTest {
    private static String viaCache(IsoTimes times, long nanos) {
        ByteLine b = new ByteLine().append('x');
        times.append(b, nanos);
        return b.toString().substring(1);
    }

    @Test
    void timesInTheSameSecondAndAcrossSecondsDaysAndYearsMatchTheUncachedText() {
        IsoTimes times = new IsoTimes();
        long t = 1_764_460_799_999_999_000L; // 2025-11-29T23:59:59.999999Z: the next microsecond is another day
        for (long step : new long[] {0, 1, 999, 1000, 1000, 7_000, 1_000_000_000L, 86_400_000_000_000L, -5_000_000_000L,
                31_622_400_000_000_000L, 3}) {
            t += step;
            assertEquals(Times.iso(t), viaCache(times, t), "nanos " + t);
        }
    }

    @Test
    void extremeAndNegativeTimesMatchTheUncachedText() {
        IsoTimes times = new IsoTimes();
        for (long t : new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, -1_000_000_000L, Long.MAX_VALUE,
                Long.MAX_VALUE - 999, 253_402_300_799_999_999L /* 9999-12-31T23:59:59.999999 */,
                253_402_300_800_000_000L /* year 10000: a longer prefix */}) {
            assertEquals(Times.iso(t), viaCache(times, t), "nanos " + t);
        }
    }

    @Test
    void randomTimesInARandomOrderMatchTheUncachedText() {
        SplittableRandom random = new SplittableRandom(7);
        IsoTimes times = new IsoTimes();
        long base = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            long t = random.nextInt(4) == 0 ? random.nextLong() : base + random.nextLong(0, 3_000_000_000L);
            assertEquals(Times.iso(t), viaCache(times, t), "nanos " + t);
        }
    }

    @Test
    void secondsSharingASlotAndARowsFourTimesInTurnMatchTheUncachedText() {
        IsoTimes times = new IsoTimes();
        long base = 1_764_460_799_000_000_000L;
        long slotApart = IsoTimes.SLOTS * 1_000_000_000L;
        for (int i = 0; i < 1000; i++) {
            long first = base + i * 3_000_000L;
            for (long t : new long[] {first, first + 1_500_000L, first + 60_000_000_000L, first + slotApart,
                    first - slotApart, first + 60_000_000_000L + 7}) {
                assertEquals(Times.iso(t), viaCache(times, t), "nanos " + t);
            }
        }
    }
}
