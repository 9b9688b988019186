package dev.teardown.decode;

/**
 * The TCP checksum check: the 16-bit one's complement sum of the pseudo-header and the whole segment, which
 * holds its own checksum, must be all ones (RFC 9293 section 3.1, "Checksum"; RFC 1071).
 *
 * <p>The pseudo-header comes from the addresses already decoded into the segment: IPv4's is source, destination,
 * zero, protocol 6 and the TCP length (RFC 9293 section 3.1); IPv6's the same fields at 128 bits and a 32-bit
 * length (RFC 8200 section 8.1). Allocates nothing.
 */
final class TcpChecksum {
    private static final int PROTO_TCP = 6;

    private TcpChecksum() {}

    /** Whether the segment in {@code b[start, end)}, whose addresses {@code s} holds, carries a correct checksum. */
    static boolean valid(TcpSegment s, byte[] b, int start, int end) {
        long sum = PROTO_TCP + (long) (end - start);
        if (s.ipVersion == 4) {
            sum += words(s.srcLo) + words(s.dstLo);
        } else {
            sum += words(s.srcHi) + words(s.srcLo) + words(s.dstHi) + words(s.dstLo);
        }
        int i = start;
        for (; i + 1 < end; i += 2) sum += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        // An odd last byte is padded with a zero byte on the right.
        if (i < end) sum += (b[i] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return sum == 0xffff;
    }

    /** The sum of the four 16-bit words of {@code v}. */
    private static long words(long v) {
        return (v >>> 48) + ((v >>> 32) & 0xffff) + ((v >>> 16) & 0xffff) + (v & 0xffff);
    }
}
