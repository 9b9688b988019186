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
    void everySupportedResolutionMatchesExactArithmeticWithinOneNanosecond() {
        Random random = new Random(1);
        for (int binary = 0; binary < 2; binary++) {
            for (int exponent = 0; exponent <= (binary == 1 ? 63 : 18); exponent++) {
                TimestampResolution resolution = new TimestampResolution(binary == 1, exponent);
                BigInteger ticksPerSecond = BigInteger.valueOf(binary == 1 ? 2 : 10).pow(exponent);
                for (int i = 0; i < 200; i++) {
                    // Keep the seconds below 2^33 so the nanosecond count fits a long.
                    long ticks = random.nextLong() & Long.MAX_VALUE;
                    BigInteger exact = BigInteger.valueOf(ticks).multiply(NANOS).divide(ticksPerSecond);
                    if (exact.bitLength() > 62) {
                        continue;
                    }
                    long nanos = resolution.toNanos(ticks);
                    long error = exact.longValueExact() - nanos;
                    assertTrue(error >= 0 && error <= 1, resolution + " ticks " + ticks + " off by " + error);
                }
            }
        }
    }

    @Test
    void ticksWithTheHighBitSetAreUnsigned() {
        // At picosecond resolution a tick count above 2^63 is only about 107 days, well inside a long of nanos.
        long ticks = 0x8000_0000_0000_0000L + 123_456;
        BigInteger exact = new BigInteger(Long.toUnsignedString(ticks)).divide(BigInteger.valueOf(1000));

        assertEquals(exact.longValueExact(), new TimestampResolution(false, 12).toNanos(ticks));
    }
}
