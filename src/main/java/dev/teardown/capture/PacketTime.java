package dev.teardown.capture;

/**
 * Packet times: signed nanoseconds since the Unix epoch (negative before 1970), the range every packet time lies
 * in, and the one value that means "no time".
 *
 * <p>Every stage keeps times as primitive longs, so "not set" is a value rather than an object: {@link #UNSET}.
 * It must be a value no packet can have, which rules out -1 (1969-12-31T23:59:59.999999999Z, a time an
 * {@code if_tsoffset} can produce). Readers deliver only times within {@link #MIN}..{@link #MAX}, 2^62 ns
 * (146 years) either side of 1970, which keeps {@code UNSET} outside and lets later stages subtract two packet
 * times, or add a duration shorter than 146 years to one, without overflow checks. Classic pcap's 32-bit
 * unsigned seconds end in 2106, inside the range. The same {@code UNSET} marks a duration derived from packet
 * times (a gap, an idle time) that does not apply: a duration is never negative, but one constant for both
 * keeps every test the same {@link #isSet}.
 */
public final class PacketTime {
    /** No time: a FIN never sent, a TIME-WAIT never entered. Below {@link #MIN}, so no packet has it. */
    public static final long UNSET = Long.MIN_VALUE;
    /** The latest packet time a reader delivers: 2^62 - 1 ns after the epoch, 2116-02-20T23:53:38Z. */
    public static final long MAX = (1L << 62) - 1;
    /** The earliest packet time a reader delivers: 2^62 - 1 ns before the epoch, 1823-11-12T00:06:21Z. */
    public static final long MIN = -MAX;
    /** The range in words, for the warning about packets outside it. */
    static final String RANGE_TEXT = "1823-11-12 .. 2116-02-20";

    /** Whole seconds beyond which no fraction brings a time back into the range. */
    private static final long MAX_SECONDS = MAX / TimestampResolution.NANOS_PER_SECOND + 1;

    private PacketTime() {}

    /** Whether {@code nanos} holds a time (or duration) rather than {@link #UNSET}. */
    public static boolean isSet(long nanos) {
        return nanos != UNSET;
    }

    /** The earlier of two times either of which may be {@link #UNSET}; UNSET only when both are. */
    public static long earlier(long a, long b) {
        if (!isSet(a)) return b;
        if (!isSet(b)) return a;
        return Math.min(a, b);
    }

    /**
     * {@code seconds} plus {@code nanos} as nanoseconds since the epoch, or {@link #UNSET} when that lies outside
     * {@link #MIN}..{@link #MAX}.
     *
     * @param seconds signed whole seconds since the epoch
     * @param nanos a non-negative count of nanoseconds below 2^60; more than a second is carried
     */
    static long of(long seconds, long nanos) {
        if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
            return UNSET;
        }
        // |seconds| <= 4.62e9, so seconds * 1e9 stays within 4.62e18 and adding nanos < 2^60 cannot overflow.
        long t = seconds * TimestampResolution.NANOS_PER_SECOND + nanos;
        return t >= MIN && t <= MAX ? t : UNSET;
    }
}
