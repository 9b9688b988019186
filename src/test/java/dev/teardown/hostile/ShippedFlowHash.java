package dev.teardown.hostile;

/**
 * The flow-key hash teardown shipped before it was keyed (an unkeyed multiply-add over the canonical 4-tuple),
 * as an attacker would compute it offline, and IPv6 clients in one /64 chosen so that all their flows to one
 * server share a single 32-bit hash under it.
 *
 * <p>The hash is {@code h = ((((aHi*G + aLo)*G + bHi)*G + bLo)*G + ports)}, folded to 32 bits as
 * {@code (int) (h ^ h >>> 32)}. With the server as the lower endpoint {@code a} and the client's port fixed,
 * {@code h = C + bLo*G (mod 2^64)}; G is odd, so any 64-bit {@code h} is reached by exactly one client low half
 * {@code bLo = (h - C) * G^-1}. Taking {@code h = k << 32 | (k ^ T)} for k = 0, 1, 2, ... folds every one of
 * them to the same target T: as many colliding flows as wanted, all inside one /64.
 */
public final class ShippedFlowHash {
    private ShippedFlowHash() {}

    private static final long G = 0x9E3779B97F4A7C15L;
    private static final long G_INVERSE = inverse(G);

    /** The server every colliding flow goes to: 2001:db8::1, port 80 (lower than every client, so it is {@code a}). */
    public static final long SERVER_HI = 0x20010db800000000L;
    public static final long SERVER_LO = 1L;
    public static final int SERVER_PORT = 80;
    /** The clients' /64: 2001:db8:0:1::/64. */
    public static final long CLIENT_HI = 0x20010db800000001L;
    public static final int CLIENT_PORT = 40000;
    /** The 32-bit hash every generated flow has under the shipped function. */
    public static final int TARGET = 0x5eed_c011;

    /** The shipped hash of a canonical tuple ({@code a} the lower endpoint), folded to 32 bits. */
    public static int of(int ipVersion, long aHi, long aLo, int aPort, long bHi, long bLo, int bPort) {
        long h = aHi * G + aLo;
        h = h * G + bHi;
        h = h * G + bLo;
        h = h * G + (((long) aPort << 17) ^ bPort ^ ((long) ipVersion << 40));
        return (int) (h ^ (h >>> 32));
    }

    /** The low 64 bits of the {@code k}-th client address whose flow to the server hashes to {@link #TARGET}. */
    public static long clientLo(long k) {
        long c = ((SERVER_HI * G + SERVER_LO) * G + CLIENT_HI) * G;
        long ports = ((long) SERVER_PORT << 17) ^ CLIENT_PORT ^ (6L << 40);
        long wanted = k << 32 | ((k ^ TARGET) & 0xffff_ffffL);
        // wanted = (c + lo) * G + ports, solved for lo.
        return (wanted - ports) * G_INVERSE - c;
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration doubles the good bits). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) x *= 2 - odd * x;
        return x;
    }
}
