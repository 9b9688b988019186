package dev.teardown.flow;

import dev.teardown.decode.TcpSegment;

/**
 * A TCP 4-tuple in canonical order (lower endpoint first), so both directions of a connection map to
 * the same key; with the tunnel context ({@link TcpSegment#tunnelId}), so the same inner 4-tuple in two tunnels
 * is two keys.
 *
 * <p>A table keeps one mutable instance as a probe and stores a {@link #copy()} only when it inserts, so
 * looking a packet up allocates nothing.
 *
 * <p>The 4-tuple comes from the network, so an attacker chooses it. The hash is keyed with the table's
 * random {@link HashKey} (an NH universal hash: any two distinct tuples collide with probability at most
 * 2^-32 over the key, whatever the attacker picks), and keys are {@link Comparable}, so the few collisions
 * that still happen cost O(log n) in a {@link java.util.HashMap} tree bin instead of O(n).
 */
public final class FlowKey implements Comparable<FlowKey> {
    private int ipVersion;
    long aHi;
    long aLo;
    int aPort;
    long bHi;
    long bLo;
    int bPort;
    /** The tunnel context ({@link TcpSegment#tunnelId}), 0 for a packet that came through no keyed tunnel. */
    long tunnelId;
    private int hash;

    /**
     * Sets this key to the segment's 4-tuple, hashed under {@code key}; returns true when the segment's
     * source is the lower endpoint.
     */
    public boolean setFrom(TcpSegment s, HashKey key) {
        ipVersion = s.ipVersion;
        tunnelId = s.tunnelId;
        boolean srcFirst = compare(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort) <= 0;
        if (srcFirst) {
            aHi = s.srcHi; aLo = s.srcLo; aPort = s.srcPort;
            bHi = s.dstHi; bLo = s.dstLo; bPort = s.dstPort;
        } else {
            aHi = s.dstHi; aLo = s.dstLo; aPort = s.dstPort;
            bHi = s.srcHi; bLo = s.srcLo; bPort = s.srcPort;
        }
        hash = key.hash(aHi, aLo, bHi, bLo, ((long) aPort << 16 | bPort) | (long) ipVersion << 32, tunnelId);
        return srcFirst;
    }

    private static int compare(long hi1, long lo1, int p1, long hi2, long lo2, int p2) {
        int c = Long.compareUnsigned(hi1, hi2);
        if (c != 0) return c;
        c = Long.compareUnsigned(lo1, lo2);
        return c != 0 ? c : Integer.compare(p1, p2);
    }

    /** An independent copy, for storing in a table. */
    public FlowKey copy() {
        FlowKey k = new FlowKey();
        k.ipVersion = ipVersion;
        k.aHi = aHi; k.aLo = aLo; k.aPort = aPort;
        k.bHi = bHi; k.bLo = bLo; k.bPort = bPort;
        k.tunnelId = tunnelId;
        k.hash = hash;
        return k;
    }

    public int ipVersion() { return ipVersion; }

    @Override
    public int hashCode() { return hash; }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.hash == hash && k.aLo == aLo && k.bLo == bLo && k.aPort == aPort
            && k.bPort == bPort && k.aHi == aHi && k.bHi == bHi && k.ipVersion == ipVersion && k.tunnelId == tunnelId;
    }

    /** A total order consistent with {@link #equals}, for a hash map's tree bins under collisions. */
    @Override
    public int compareTo(FlowKey o) {
        int c = Integer.compare(ipVersion, o.ipVersion);
        if (c == 0) c = compare(aHi, aLo, aPort, o.aHi, o.aLo, o.aPort);
        if (c == 0) c = compare(bHi, bLo, bPort, o.bHi, o.bLo, o.bPort);
        if (c == 0) c = Long.compareUnsigned(tunnelId, o.tunnelId);
        return c;
    }
}
