package dev.teardown.capture;

/**
 * How many ticks per second a capture's timestamps count: a power of ten or of two (pcapng {@code if_tsresol}).
 *
 * @param binary whether the base is 2 (otherwise 10)
 * @param exponent ticks per second are {@code base^exponent}
 */
record TimestampResolution(boolean binary, int exponent) {
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long NANOS_PER_MICROSECOND = 1_000L;
    /** pcapng's default when an interface has no {@code if_tsresol}. */
    static final TimestampResolution MICROSECONDS = new TimestampResolution(false, 6);

    private static final long[] POWERS_OF_TEN = powersOfTen();

    /** Decodes an {@code if_tsresol} byte: the high bit selects base 2, the low seven bits are the exponent. */
    static TimestampResolution fromOption(int value) {
        return new TimestampResolution((value & 0x80) != 0, value & 0x7f);
    }

    /** Whether a 64-bit tick count at this resolution can be converted: 10^19 ticks per second does not fit a long. */
    boolean supported() {
        return binary ? exponent <= 63 : exponent <= 18;
    }

    /** The whole seconds in an unsigned tick count, itself unsigned: above 2^63 - 1 only at one tick per second. */
    long seconds(long ticks) {
        return binary ? ticks >>> exponent : Long.divideUnsigned(ticks, POWERS_OF_TEN[exponent]);
    }

    /** The nanoseconds past {@link #seconds} in an unsigned tick count, from 0 to 999,999,999 (floor). */
    long fractionNanos(long ticks) {
        if (binary) {
            long fraction = ticks & ((1L << exponent) - 1);
            // fraction * 10^9 fits in a long only while fraction < 2^33; finer fractions lose bits below 1 ns.
            return exponent <= 33
                    ? (fraction * NANOS_PER_SECOND) >>> exponent
                    : ((fraction >>> (exponent - 33)) * NANOS_PER_SECOND) >>> 33;
        }
        long fraction = Long.remainderUnsigned(ticks, POWERS_OF_TEN[exponent]);
        return exponent <= 9
                ? fraction * POWERS_OF_TEN[9 - exponent]
                : fraction / POWERS_OF_TEN[exponent - 9];
    }

    @Override
    public String toString() {
        return (binary ? "2^-" : "10^-") + exponent + " s";
    }

    private static long[] powersOfTen() {
        long[] powers = new long[19];
        powers[0] = 1;
        for (int i = 1; i < powers.length; i++) {
            powers[i] = powers[i - 1] * 10;
        }
        return powers;
    }
}
