package dev.teardown.decode;

/**
 * A symmetric hash of a decoded segment's 4-tuple, which spreads connections over the threads of a parallel
 * analysis: both directions of a connection (and every lifetime of its tuple) hash alike, so one thread sees all
 * of it.
 *
 * <p>It reads only the {@link TcpSegment} the decoder filled, so a frame is hashed exactly when the decoder calls
 * it TCP, under the same link-type, IPv6 extension-header and fragment rules, and never reads past the captured
 * bytes. Each endpoint (address and port) is mixed on its own under a fixed key, the two digests are ordered,
 * then mixed together: the order makes it symmetric without the weaknesses of XOR (an endpoint talking to itself
 * would hash to zero, and swapping bits between the ends would collide). The key is fixed, not drawn per run:
 * which thread gets a connection never changes an output, but a fixed key keeps runs repeatable to profile.
 * Allocation-free.
 */
public final class FlowHash {
    /** Fixed key: the first 64 bits of the fractional part of pi. */
    private static final long KEY = 0x243f6a8885a308d3L;
    private static final long ODD = 0x9e3779b97f4a7c15L;

    private FlowHash() {}

    /** The hash of {@code s}'s 4-tuple, the same for both directions. */
    public static long of(TcpSegment s) {
        long a = endpoint(s.srcHi, s.srcLo, s.srcPort);
        long b = endpoint(s.dstHi, s.dstLo, s.dstPort);
        long low = Math.min(a, b);
        long high = Math.max(a, b);
        return mix(mix(low ^ KEY) + high * ODD);
    }

    /** Which of {@code n} threads gets {@code s}'s connection: 0 to n - 1, the same for both directions. */
    public static int worker(TcpSegment s, int n) {
        // The high 32 bits scaled into [0, n): no modulo bias worth a thought, and no division.
        return (int) (((of(s) >>> 32) * n) >>> 32);
    }

    /** One endpoint's digest: the port fills the bits an IPv4 address leaves free, then one mix over all. */
    private static long endpoint(long hi, long lo, int port) {
        return mix((lo ^ KEY) + (hi * ODD) + ((long) port << 40 | port));
    }

    /** Stafford's variant 13 of the MurmurHash3 64-bit finaliser (the one SplitMix64 uses): every bit avalanches. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
