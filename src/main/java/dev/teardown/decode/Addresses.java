package dev.teardown.decode;

import dev.teardown.capture.Bytes;

/**
 * Text forms of addresses, held as {@link TcpSegment} holds them or as their bytes: dotted-quad IPv4 and RFC 5952
 * canonical IPv6.
 *
 * <p>Meant for output, once per connection, so it may allocate.
 */
public final class Addresses {
    private Addresses() {}

    /** An endpoint as {@code ip:port}, with the address in brackets for IPv6 (RFC 5952 section 6). */
    public static String endpoint(int ipVersion, String ip, int port) {
        return ipVersion == 6 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    /**
     * Formats an address: IPv4 from the low 32 bits of {@code lo}; IPv6 from {@code hi} and {@code lo}.
     *
     * <p>IPv6 follows RFC 5952 section 4: lowercase hex without leading zeros, the longest run of two or more
     * zero groups replaced by "::" (the first such run on a tie), and IPv4-mapped addresses in the mixed form
     * {@code ::ffff:192.0.2.1} (section 5).
     */
    public static String format(int ipVersion, long hi, long lo) {
        if (ipVersion == 4) {
            return dotted((int) lo);
        }
        if (ipVersion != 6) {
            throw new IllegalArgumentException("IP version " + ipVersion + " is neither 4 nor 6");
        }
        if (hi == 0 && lo >>> 32 == 0xffffL) {
            return "::ffff:" + dotted((int) lo);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            long half = i < 4 ? hi : lo;
            groups[i] = (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - runStart > bestLength) {
                bestStart = runStart;
                bestLength = i - runStart;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * Formats an address given as its 4 (IPv4) or 16 (IPv6) bytes in network byte order, such as
     * {@link java.net.InetAddress#getAddress()} returns, exactly as {@link #format(int, long, long)} does.
     */
    public static String format(byte[] address) {
        return switch (address.length) {
            case 4 -> format(4, 0, Bytes.int32(address, 0) & 0xffff_ffffL);
            case 16 -> format(6, Bytes.int64(address, 0), Bytes.int64(address, 8));
            default -> throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        };
    }

    private static String dotted(int v4) {
        return (v4 >>> 24) + "." + (v4 >>> 16 & 0xff) + "." + (v4 >>> 8 & 0xff) + "." + (v4 & 0xff);
    }
}
