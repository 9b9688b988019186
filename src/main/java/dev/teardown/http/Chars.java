package dev.teardown.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte classes of RFC 9110 section 5.6.2 (tchar) and 5.5 (field values), as one lookup table. */
final class Chars {
    private Chars() {}

    private static final int TCHAR = 1;
    private static final int DIGIT = 2;
    private static final int HEX = 4;
    private static final int WS = 8;
    /** A control character that may not appear in a field value, a reason phrase or a target. */
    private static final int CTL = 16;
    /** A byte of a request-target: visible ASCII or obs-text (RFC 9112 section 3.2, leniently). */
    private static final int TARGET = 32;
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) CLASS[c] |= TCHAR | DIGIT | HEX;
        for (int c = 'a'; c <= 'z'; c++) CLASS[c] |= TCHAR;
        for (int c = 'A'; c <= 'Z'; c++) CLASS[c] |= TCHAR;
        for (int c = 'a'; c <= 'f'; c++) CLASS[c] |= HEX;
        for (int c = 'A'; c <= 'F'; c++) CLASS[c] |= HEX;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) CLASS[c] |= TCHAR;
        CLASS[' '] |= WS;
        CLASS['\t'] |= WS;
        for (int c = 0; c < 0x20; c++) if (c != '\t') CLASS[c] |= CTL;
        CLASS[0x7f] |= CTL;
        for (int c = 0x21; c <= 0x7e; c++) CLASS[c] |= TARGET;
        for (int c = 0x80; c <= 0xff; c++) CLASS[c] |= TARGET;
    }

    static boolean tchar(byte b) { return (CLASS[b & 0xff] & TCHAR) != 0; }

    static boolean digit(byte b) { return (CLASS[b & 0xff] & DIGIT) != 0; }

    static boolean hex(byte b) { return (CLASS[b & 0xff] & HEX) != 0; }

    /** SP or HTAB: optional whitespace (OWS). */
    static boolean ws(byte b) { return (CLASS[b & 0xff] & WS) != 0; }

    static boolean ctl(byte b) { return (CLASS[b & 0xff] & CTL) != 0; }

    static boolean target(byte b) { return (CLASS[b & 0xff] & TARGET) != 0; }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first byte in {@code b[from, end)} that is a control or HTAB (below 0x20, or DEL), or
     * {@code end}: eight bytes per step, as header values are long runs of plain text. (Per 64-bit word: a byte
     * {@code x} is below 0x20 when {@code (x - 0x20) & ~x} has its high bit set, and DEL when {@code x ^ 0x7f} is
     * zero; borrows only mark bytes after a true one, so the lowest mark is exact.)
     */
    static int controlOrTab(byte[] b, int from, int end) {
        int i = from;
        while (i <= end - 8) {
            long x = (long) LONGS.get(b, i);
            long del = x ^ 0x7f7f7f7f7f7f7f7fL;
            long marks = ((x - 0x20 * ONES) & ~x | (del - ONES) & ~del) & HIGHS;
            if (marks != 0) return i + (Long.numberOfTrailingZeros(marks) >>> 3);
            i += 8;
        }
        while (i < end && (b[i] & 0xff) >= 0x20 && b[i] != 0x7f) i++;
        return i;
    }

    /**
     * The index of the first byte in {@code b[from, end)} that is not a tchar (RFC 9110 section 5.6.2), or
     * {@code end}: eight bytes per step while they are letters, digits and '-' (what field names are made of), then
     * byte by byte. (Per 64-bit word, with the high bits cleared: a byte {@code x} lies in {@code [lo, hi]} when
     * {@code x + 0x80 - lo} has its high bit set and {@code x + 0x7f - hi} has not; no sum carries into the next
     * byte, so every byte's answer is exact. A byte with its high bit set is never a tchar.)
     */
    static int tokenEnd(byte[] b, int from, int end) {
        int i = from;
        while (i <= end - 8) {
            long x = (long) LONGS.get(b, i);
            long t = x & ~HIGHS;
            long y = t | 0x20 * ONES; // A-Z to a-z; digits and '-' already have the 0x20 bit
            long letter = (y + (0x80 - 'a') * ONES) & ~(y + (0x7f - 'z') * ONES);
            long digit = (t + (0x80 - '0') * ONES) & ~(t + (0x7f - '9') * ONES);
            long dash = (t + (0x80 - '-') * ONES) & ~(t + (0x7f - '-') * ONES);
            long other = (~(letter | digit | dash) | x) & HIGHS;
            if (other != 0) {
                i += Long.numberOfTrailingZeros(other) >>> 3;
                break;
            }
            i += 8;
        }
        while (i < end && tchar(b[i])) i++;
        return i;
    }

    static int hexValue(byte b) {
        int c = b & 0xff;
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    /** ASCII lower case of a tchar byte. */
    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }

    /**
     * Whether {@code b[from, to)}, known to be tchars, equals {@code lower} ignoring ASCII case; {@code lower}
     * holds lower-case letters and '-' only, so OR-ing 0x20 is exact for tchars.
     */
    static boolean equalsLower(byte[] b, int from, int to, byte[] lower) {
        if (to - from != lower.length) return false;
        for (int i = 0; i < lower.length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) return false;
        }
        return true;
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
