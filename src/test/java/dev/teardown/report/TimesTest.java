package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.PacketTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final DateTimeFormatter REFERENCE =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static String reference(long nanos) {
        long micros = Math.floorDiv(nanos, 1000L);
        return REFERENCE.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
            Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    @Test
    void isoFormattingAgreesWithJavaTimeAcrossTheWholeRangeOfPcapTimes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long nanos = random.nextLong(0, Long.MAX_VALUE);
            assertEquals(reference(nanos), Times.iso(nanos), "nanos " + nanos);
        }
        for (long edge : new long[] {0, 999, 1000, 951_782_400_000_000_000L /* 2000-02-29 */,
            1_709_164_800_123_456_789L /* 2024-02-29 */, 4_102_444_799_999_999_999L, -1L, -86_400_000_000_001L}) {
            assertEquals(reference(edge), Times.iso(edge), "nanos " + edge);
        }
    }

    @Test
    void theClockIsTheTimeOfDayInUtcToTheSecond() {
        assertEquals("10:00:00", Times.clock(1_764_496_800_123_456_789L)); // 2025-11-30T10:00:00.123456789Z
        assertEquals("23:59:59", Times.clock(-1));                          // 1969-12-31T23:59:59.999999999Z
    }

    @Test
    void isoFormattingAgreesWithJavaTimeForEveryPacketTimeBefore1970() {
        // if_tsoffset can put packets before 1970, down to PacketTime.MIN (1823): floor to the microsecond below.
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long nanos = random.nextLong(PacketTime.MIN, 0);
            assertEquals(reference(nanos), Times.iso(nanos), "nanos " + nanos);
        }
        for (long edge : new long[] {PacketTime.MIN, PacketTime.MAX, -999, -1000, -1001, -1_000_000_001L,
            -2_000_000_000_000_000_000L /* 1906 */, -5_364_662_400_000_000_000L /* 1800-01-01, beyond MIN */}) {
            assertEquals(reference(edge), Times.iso(edge), "nanos " + edge);
        }
        assertEquals("1969-12-31T23:59:59.999999Z", Times.iso(-1));
        assertEquals("1823-11-12T00:06:21.572612Z", Times.iso(PacketTime.MIN));
        assertEquals("2116-02-20T23:53:38.427387Z", Times.iso(PacketTime.MAX));
    }

    @Test
    void secondsHaveSixDecimalsAndTruncateTowardZero() {
        assertEquals("0.000000", Times.seconds(0));
        assertEquals("60.000000", Times.seconds(60_000_000_000L));
        assertEquals("1.000001", Times.seconds(1_000_001_999L));
        assertEquals("-0.500000", Times.seconds(-500_000_000L));
        assertEquals("12345.678901", Times.seconds(12_345_678_901_000L));
    }

    @Test
    void secondsAppendedToATextAreTheSameAsSecondsWrittenAsBytes() {
        long[] values = {0, 1, 999, 1_000, -1_000, -999_999_999L, 60_000_000_000L, 1_000_001_999L, -500_000_000L,
            Long.MAX_VALUE, Long.MIN_VALUE, PacketTime.MAX, PacketTime.MIN};
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < 2_000; i++) {
            long v = i < values.length ? values[i] : random.nextLong() >> random.nextInt(64);
            StringBuilder b = new StringBuilder("x");
            Times.appendSeconds(b, v);
            assertEquals("x" + new ByteLine(24).appendSeconds(v), b.toString(), "nanos " + v);
        }
    }
}
