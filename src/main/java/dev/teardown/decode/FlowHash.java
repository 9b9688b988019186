package dev.teardown.decode;

/**
 * A keyed, symmetric hash of a decoded segment's 4-tuple, which spreads connections over the threads of a
 * parallel analysis: both directions of a connection (and every lifetime of its tuple) hash alike, so one thread
 * sees all of it.
 *
 * <p>It reads only the {@link TcpSegment} the decoder filled, so a frame is hashed exactly when the decoder calls
 * it TCP, under the same link-type, IPv6 extension-header and fragment rules, and never reads past the captured
 * bytes. Each endpoint (address and port) is mixed on its own under the key, the two digests are ordered, then
 * mixed together: the order makes it symmetric without the weaknesses of XOR (an endpoint talking to itself would
 * hash to zero, and swapping bits between the ends would collide).
 *
 * <p>Real runs draw the key at random: which thread gets a connection never changes an output (the merge puts
 * every record where one thread writes it), so nothing is lost, and nobody sending packets can choose tuples
 * that all land on one thread without knowing it. Allocation-free.
 */
public final class FlowHash {
    private static final long ODD = 0x9e3779b97f4a7c15L;
    private final long key;

    private FlowHash(long key) {
        this.key = key;
    }

    /** A hash under a secret key from the system's random source ({@link SecretSeed}): what every real run uses. */
    public static FlowHash random() {
        return new FlowHash(SecretSeed.next());
    }

    /** A hash under {@code key}: for tests that need to know which thread gets which connection. */
    public static FlowHash keyed(long key) {
        return new FlowHash(key);
    }

    /** The hash of {@code s}'s 4-tuple and tunnel context, the same for both directions. */
    public long of(TcpSegment s) {
        long a = endpoint(s.srcHi, s.srcLo, s.srcPort);
        long b = endpoint(s.dstHi, s.dstLo, s.dstPort);
        long low = Math.min(a, b);
        long high = Math.max(a, b);
        long h = mix(mix(low ^ key) + high * ODD);
        // The tunnel context keys the flow table too (the same in both directions); 0 (none) changes nothing.
        return s.tunnelId == 0 ? h : mix(h + s.tunnelId * ODD);
    }

    /** Which of {@code n} threads gets {@code s}'s connection: 0 to n - 1, the same for both directions. */
    public int worker(TcpSegment s, int n) {
        // The high 32 bits scaled into [0, n): no modulo bias worth a thought, and no division.
        return (int) (((of(s) >>> 32) * n) >>> 32);
    }

    /** One endpoint's digest: the port fills bits an IPv4 address leaves free, then one mix over all. */
    private long endpoint(long hi, long lo, int port) {
        return mix((lo ^ key) + (hi * ODD) + ((long) port << 40 | port));
    }

    /** Stafford's variant 13 of the MurmurHash3 64-bit finaliser (the one SplitMix64 uses): every bit avalanches. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
