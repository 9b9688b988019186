package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PcapngInterfaceTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final TimestampResolution NANOSECONDS = TimestampResolution.fromOption(9);
    private static final BigInteger MIN = BigInteger.valueOf(PacketTime.MIN);
    private static final BigInteger MAX = BigInteger.valueOf(PacketTime.MAX);

    private static long time(TimestampResolution resolution, long offsetSeconds, long ticks) {
        return new PcapngInterface(1, 0, resolution, offsetSeconds).timeNanos(ticks);
    }

    /** ticks / ticksPerSecond + offset, in nanoseconds, with no limit on size. */
    private static BigInteger exact(TimestampResolution resolution, long offsetSeconds, long ticks) {
        BigInteger ticksPerSecond = BigInteger.valueOf(resolution.binary() ? 2 : 10).pow(resolution.exponent());
        BigInteger unsigned = new BigInteger(Long.toUnsignedString(ticks));
        return unsigned.multiply(NANOS).divide(ticksPerSecond).add(BigInteger.valueOf(offsetSeconds).multiply(NANOS));
    }

    @Test
    void everyTimeIsExactOrUnsetWhenOutsideTheRangeWhateverTheTicksOffsetAndResolution() {
        Random random = new Random(11);
        long[] offsets = {0, 1, -1, 1_700_000_000L, -2_000_000_000L, 4_611_686_018L, -4_611_686_018L,
            10_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};
        long inRange = 0;
        long outOfRange = 0;
        for (int binary = 0; binary < 2; binary++) {
            for (int exponent = 0; exponent <= (binary == 1 ? 63 : 18); exponent++) {
                TimestampResolution resolution = new TimestampResolution(binary == 1, exponent);
                for (int i = 0; i < 300; i++) {
                    // Tick counts of every size: shifting a random long right spreads them over all magnitudes.
                    long ticks = random.nextLong() >>> random.nextInt(64);
                    long offset = random.nextInt(3) == 0 ? random.nextLong() : offsets[random.nextInt(offsets.length)];
                    BigInteger exact = exact(resolution, offset, ticks);
                    long time = time(resolution, offset, ticks);
                    String where = resolution + " ticks " + Long.toUnsignedString(ticks) + " offset " + offset;
                    if (exact.compareTo(MIN) < 0 || exact.compareTo(MAX) > 0) {
                        // A fraction dropped below 1 ns may sit exactly on the edge; otherwise nothing is delivered.
                        assertTrue(time == PacketTime.UNSET || exact.subtract(BigInteger.ONE).equals(BigInteger.valueOf(time)),
                                where + ": " + exact + " ns is out of range but gave " + time);
                        outOfRange++;
                    } else {
                        long error = exact.longValueExact() - time;
                        assertTrue(error >= 0 && error <= 1, where + ": " + time + " is off by " + error);
                        inRange++;
                    }
                }
            }
        }
        assertTrue(inRange > 1000 && outOfRange > 1000, inRange + " in range, " + outOfRange + " out");
    }

    @Test
    void theEdgesOfTheRangeAreDeliveredAndOneNanosecondBeyondIsNot() {
        TimestampResolution nanoseconds = NANOSECONDS;
        assertEquals(PacketTime.MAX, time(nanoseconds, 0, PacketTime.MAX));
        assertEquals(PacketTime.UNSET, time(nanoseconds, 0, PacketTime.MAX + 1));
        // MIN is 4,611,686,018.427387903 s before 1970: 4,611,686,019 s back, then 572,612,097 ns forward.
        assertEquals(PacketTime.MIN, time(nanoseconds, -4_611_686_019L, 572_612_097L));
        assertEquals(PacketTime.UNSET, time(nanoseconds, -4_611_686_019L, 572_612_096L));
    }

    @Test
    void negativeOffsetsGiveTimesBefore1970() {
        assertEquals(-1L, time(NANOSECONDS, -1, 999_999_999L));
        assertEquals(-86_400_000_000_000L + 5_000, time(TimestampResolution.MICROSECONDS, -86_400, 5));
    }
}
