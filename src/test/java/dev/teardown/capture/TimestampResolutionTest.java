package dev.teardown.capture;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampResolutionTest {
    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);

    @Test
    void optionByteSelectsBaseByItsHighBit() {
        assertEquals(new TimestampResolution(false, 9), TimestampResolution.fromOption(9));
        assertEquals(new TimestampResolution(true, 20), TimestampResolution.fromOption(0x94));
    }

    @Test
    void resolutionsFinerThanALongCanCountAreUnsupported() {
        assertTrue(new TimestampResolution(false, 18).supported());
        assertFalse(new TimestampResolution(false, 19).supported());
        assertTrue(new TimestampResolution(true, 63).supported());
        assertFalse(new TimestampResolution(true, 64).supported());
    }

    @Test
    void everySupportedResolutionSplitsAnyUnsignedTickCountExactlyIntoSecondsAndFloorNanoseconds() {
        Random random = new Random(1);
        for (int binary = 0; binary < 2; binary++) {
            for (int exponent = 0; exponent <= (binary == 1 ? 63 : 18); exponent++) {
                TimestampResolution resolution = new TimestampResolution(binary == 1, exponent);
                BigInteger ticksPerSecond = BigInteger.valueOf(binary == 1 ? 2 : 10).pow(exponent);
                for (int i = 0; i < 200; i++) {
                    // All 64 bits, the top one included: tick counts are unsigned.
                    long ticks = random.nextLong();
                    BigInteger unsigned = new BigInteger(Long.toUnsignedString(ticks));
                    BigInteger[] split = unsigned.divideAndRemainder(ticksPerSecond);
                    BigInteger exactFraction = split[1].multiply(NANOS).divide(ticksPerSecond);
                    String where = resolution + " ticks " + Long.toUnsignedString(ticks);
                    assertEquals(split[0].toString(), Long.toUnsignedString(resolution.seconds(ticks)), where);
                    // Fractions finer than 2^-33 s drop bits below one nanosecond first, so they may be 1 ns low.
                    long error = exactFraction.longValueExact() - resolution.fractionNanos(ticks);
                    assertTrue(error >= 0 && error <= 1, where + " off by " + error);
                }
            }
        }
    }

    @Test
    void ticksWithTheHighBitSetAreUnsigned() {
        long ticks = 0x8000_0000_0000_0000L + 123_456;
        BigInteger unsigned = new BigInteger(Long.toUnsignedString(ticks));
        TimestampResolution picoseconds = new TimestampResolution(false, 12);

        assertEquals(unsigned.divide(BigInteger.TEN.pow(12)).longValueExact(), picoseconds.seconds(ticks));
        assertEquals(unsigned.mod(BigInteger.TEN.pow(12)).divide(BigInteger.valueOf(1000)).longValueExact(),
                picoseconds.fractionNanos(ticks));
    }
}
