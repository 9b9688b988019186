package dev.teardown.http;

import java.nio.charset.StandardCharsets;

/**
 * One String per distinct short header text across connections ({@code keep-alive}, {@code close},
 * {@code timeout=5,max=100}): a direct-mapped table of the texts seen last, so thousands of connections repeating
 * one value share one String, and the outputs, which remember the last String they escaped, escape it once.
 * Memory: {@link #SLOTS} Strings of at most a header cap each. Not thread-safe: one per HTTP tracker.
 */
final class TextCache {
    static final int SLOTS = 64;
    private final String[] slots = new String[SLOTS];

    /** The ASCII text {@code b[0, length)}: a String seen before when its slot still holds it. */
    String of(byte[] b, int length) {
        if (length == 0) return "";
        int h = length;
        for (int i = 0; i < length; i++) h = 31 * h + b[i];
        int slot = (h ^ h >>> 16) & (SLOTS - 1);
        String s = slots[slot];
        if (s != null && same(s, b, length)) return s;
        s = new String(b, 0, length, StandardCharsets.US_ASCII);
        slots[slot] = s;
        return s;
    }

    private static boolean same(String s, byte[] b, int length) {
        if (s.length() != length) return false;
        for (int i = 0; i < length; i++) if (s.charAt(i) != b[i]) return false;
        return true;
    }
}
