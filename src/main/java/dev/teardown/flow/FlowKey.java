package dev.teardown.flow;

import dev.teardown.decode.TcpSegment;

/**
 * A TCP 4-tuple in canonical order (lower endpoint first), so both directions of a connection map to
 * the same key.
 *
 * <p>A table keeps one mutable instance as a probe and stores a {@link #copy()} only when it inserts, so
 * looking a packet up allocates nothing.
 */
public final class FlowKey {
    private int ipVersion;
    private long aHi;
    private long aLo;
    private int aPort;
    private long bHi;
    private long bLo;
    private int bPort;
    private int hash;

    /** Sets this key to the segment's 4-tuple; returns true when the segment's source is the lower endpoint. */
    public boolean setFrom(TcpSegment s) {
        ipVersion = s.ipVersion;
        boolean srcFirst = compare(s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort) <= 0;
        if (srcFirst) {
            aHi = s.srcHi; aLo = s.srcLo; aPort = s.srcPort;
            bHi = s.dstHi; bLo = s.dstLo; bPort = s.dstPort;
        } else {
            aHi = s.dstHi; aLo = s.dstLo; aPort = s.dstPort;
            bHi = s.srcHi; bLo = s.srcLo; bPort = s.srcPort;
        }
        long h = aHi * 0x9E3779B97F4A7C15L + aLo;
        h = h * 0x9E3779B97F4A7C15L + bHi;
        h = h * 0x9E3779B97F4A7C15L + bLo;
        h = h * 0x9E3779B97F4A7C15L + (((long) aPort << 17) ^ bPort ^ ((long) ipVersion << 40));
        hash = (int) (h ^ (h >>> 32));
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
        k.hash = hash;
        return k;
    }

    public int ipVersion() { return ipVersion; }

    @Override
    public int hashCode() { return hash; }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.hash == hash && k.aLo == aLo && k.bLo == bLo && k.aPort == aPort
            && k.bPort == bPort && k.aHi == aHi && k.bHi == bHi && k.ipVersion == ipVersion;
    }
}
