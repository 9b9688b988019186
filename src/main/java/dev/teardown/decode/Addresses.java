package dev.teardown.decode;

import java.util.Locale;

/**
 * Text forms of the two-long addresses in {@link TcpSegment}: dotted-quad IPv4 and RFC 5952 canonical IPv6.
 *
 * <p>Meant for output, once per connection, so it may allocate.
 */
public final class Addresses {
    private Addresses() {}

    /** One parsed address, held as {@link TcpSegment} holds it. */
    public record Address(int version, long hi, long lo) {
        @Override
        public String toString() { return format(version, hi, lo); }
    }

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
     * Parses a dotted-quad IPv4 address or an IPv6 address (RFC 4291 section 2.2: "::" at most once, an
     * optional dotted-quad tail), without name lookup.
     *
     * @throws IllegalArgumentException quoting the text if it is neither
     */
    public static Address parse(String text) {
        if (text.indexOf(':') < 0) {
            long v4 = parseDotted(text, text);
            return new Address(4, 0, v4);
        }
        int[] groups = new int[8];
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw invalid(text, "\"::\" appears more than once");
        }
        int count;
        if (doubleColon < 0) {
            count = parseGroups(text, text, groups, true);
            if (count != 8) {
                throw invalid(text, "needs 8 groups, has " + count);
            }
        } else {
            int[] tail = new int[8];
            String before = text.substring(0, doubleColon);
            String after = text.substring(doubleColon + 2);
            int head = before.isEmpty() ? 0 : parseGroups(text, before, groups, false);
            int tailCount = after.isEmpty() ? 0 : parseGroups(text, after, tail, true);
            if (head + tailCount > 7) {
                throw invalid(text, "too many groups around \"::\"");
            }
            System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = hi << 16 | groups[i];
            lo = lo << 16 | groups[i + 4];
        }
        return new Address(6, hi, lo);
    }

    /** Parses colon-separated groups into {@code groups}; returns how many (a dotted IPv4 tail fills two). */
    private static int parseGroups(String text, String part, int[] groups, boolean v4TailAllowed) {
        String[] pieces = part.split(":", -1);
        int count = 0;
        for (int k = 0; k < pieces.length; k++) {
            String piece = pieces[k];
            if (count >= 8) {
                throw invalid(text, "too many groups");
            }
            if (piece.indexOf('.') >= 0) {
                if (!v4TailAllowed || k != pieces.length - 1 || count > 6) {
                    throw invalid(text, "a dotted IPv4 part may only end the address");
                }
                long v4 = parseDotted(text, piece);
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                continue;
            }
            if (piece.isEmpty() || piece.length() > 4) {
                throw invalid(text, "group \"" + piece + "\" must be 1 to 4 hex digits");
            }
            int value = 0;
            for (int c = 0; c < piece.length(); c++) {
                char ch = piece.charAt(c);
                int digit = ch < 128 ? Character.digit(ch, 16) : -1;
                if (digit < 0) {
                    throw invalid(text, "group \"" + piece + "\" is not hex");
                }
                value = value << 4 | digit;
            }
            groups[count++] = value;
        }
        return count;
    }

    private static long parseDotted(String text, String part) {
        String[] pieces = part.split("\\.", -1);
        if (pieces.length != 4) {
            throw invalid(text, "an IPv4 address needs 4 dotted parts");
        }
        long value = 0;
        for (String piece : pieces) {
            // Leading zeros are refused: some parsers read them as octal.
            if (piece.isEmpty() || piece.length() > 3 || (piece.length() > 1 && piece.charAt(0) == '0')) {
                throw invalid(text, "part \"" + piece + "\" is not a decimal byte");
            }
            int octet = 0;
            for (int c = 0; c < piece.length(); c++) {
                char ch = piece.charAt(c);
                if (ch < '0' || ch > '9') {
                    throw invalid(text, "part \"" + piece + "\" is not a decimal byte");
                }
                octet = octet * 10 + (ch - '0');
            }
            if (octet > 255) {
                throw invalid(text, "part \"" + piece + "\" is above 255");
            }
            value = value << 8 | octet;
        }
        return value;
    }

    private static String dotted(int v4) {
        return (v4 >>> 24) + "." + (v4 >>> 16 & 0xff) + "." + (v4 >>> 8 & 0xff) + "." + (v4 & 0xff);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "not an IP address: \"%s\" (%s)", text, why));
    }
}
