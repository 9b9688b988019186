package dev.teardown.tls;

import java.util.Locale;

/**
 * Text taken from a hello (a server name, protocol names), made safe to keep: printable ASCII stays, every other
 * byte, and the backslash and comma that the outputs use as escape and separator, becomes {@code \xNN}.
 */
final class WireText {
    /** Longest text kept per field, in characters (a DNS name has at most 253). */
    static final int MAX_CHARS = 256;

    private WireText() {}

    /**
     * Appends {@code b[from, to)} escaped to {@code out} as far as it fits in {@link #MAX_CHARS} characters, never
     * half an escape; false when it had to stop short.
     */
    static boolean append(StringBuilder out, byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            boolean plain = c > 0x20 && c < 0x7f && c != '\\' && c != ',';
            if (out.length() + (plain ? 1 : 4) > MAX_CHARS) return false;
            if (plain) out.append((char) c);
            else out.append(String.format(Locale.ROOT, "\\x%02x", c));
        }
        return true;
    }
}
