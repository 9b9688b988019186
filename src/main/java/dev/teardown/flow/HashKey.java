package dev.teardown.flow;

import dev.teardown.decode.SecretSeed;
import java.util.SplittableRandom;

/**
 * The secret key of a flow table's hash: random per table, so nobody sending packets can choose tuples that
 * collide.
 *
 * <p>The hash is NH (Black et al., "UMAC: Fast and Secure Message Authentication", CRYPTO 1999): the tuple as
 * ten 32-bit words m (twelve with a tunnel context), as many 32-bit key words k, and sum of (m[2i] + k[2i]) * (m[2i+1] + k[2i+1]) over 64 bits.
 * For any two distinct tuples the 64-bit sums are equal with probability at most 2^-32 over the key; a
 * final multiply folds them to the 32 bits a hash map uses. The key never reaches any output, so results
 * do not depend on it (a test runs the same capture under two keys).
 */
public final class HashKey {
    private static final long MASK = 0xFFFF_FFFFL;
    private final long[] k = new long[12];
    private final long fold;

    private HashKey(SplittableRandom random) {
        for (int i = 0; i < 10; i++) k[i] = random.nextLong() & MASK;
        fold = random.nextLong() | 1;
        // Drawn after fold, so a seeded key hashes untunnelled tuples as it did before tunnels were keyed.
        for (int i = 10; i < k.length; i++) k[i] = random.nextLong() & MASK;
    }

    /** A key from the system's random source ({@link SecretSeed}): what every real run uses. */
    public static HashKey random() {
        return new HashKey(new SplittableRandom(SecretSeed.next()));
    }

    /** A key derived from {@code seed}, for tests that need a fixed or a second key. */
    public static HashKey seeded(long seed) {
        return new HashKey(new SplittableRandom(seed));
    }

    /**
     * The 32-bit hash of a canonical tuple: two addresses as (hi, lo) halves, a word of ports and version, and the
     * tunnel context (0 for none: untunnelled traffic pays one comparison).
     */
    int hash(long aHi, long aLo, long bHi, long bLo, long portsAndVersion, long tunnelId) {
        long h = pair(aHi, 0) + pair(aLo, 2) + pair(bHi, 4) + pair(bLo, 6) + pair(portsAndVersion, 8);
        if (tunnelId != 0) h += pair(tunnelId, 10);
        h *= fold;
        return (int) (h >>> 32);
    }

    private long pair(long word, int i) {
        return ((word >>> 32) + k[i] & MASK) * ((word & MASK) + k[i + 1] & MASK);
    }
}
