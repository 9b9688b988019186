package dev.teardown.report;

import java.nio.charset.StandardCharsets;

/**
 * One output line built directly as UTF-8 bytes, for the sinks that write a row per connection: numbers and times
 * are written digit by digit into the bytes, and text whose bytes a sink keeps (a repeated label, an address, a
 * cell already escaped) is copied whole, so a row costs no {@code String} and no encoding pass. Memory: one array,
 * grown to the longest line.
 */
public final class ByteLine {
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    /** The tens and the ones digit of 0 to 99. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];
    private byte[] bytes;
    private int length;

    /** An empty line with room for a row. */
    public ByteLine() {
        this(512);
    }

    /** An empty line with room for {@code capacity} bytes before it grows. */
    ByteLine(int capacity) {
        bytes = new byte[capacity];
    }

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** Empties the line. */
    public void clear() {
        length = 0;
    }

    /** The number of bytes in the line. */
    public int length() {
        return length;
    }

    /** The line's bytes, valid from 0 to {@link #length()} until the next change. */
    byte[] bytes() {
        return bytes;
    }

    /** Appends {@code c}, encoded as UTF-8. */
    public ByteLine append(char c) {
        if (c >= 0x80) return append(String.valueOf(c));
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends {@code b} whole: bytes of UTF-8 text. */
    public ByteLine append(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** Appends {@code s} encoded as UTF-8 (an ASCII string byte for byte). */
    public ByteLine append(String s) {
        return append(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code v} in decimal, as {@link Long#toString(long)} writes it. */
    public ByteLine append(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) return append(Long.toString(v));
            append('-');
            v = -v;
        }
        int digits = digits(v);
        room(digits);
        int i = length + digits;
        // Two digits per division, and int division once the value fits: the launcher's C1 compiler divides by
        // a constant with a divide instruction, not the multiply C2 would use.
        while (v > Integer.MAX_VALUE) {
            long q = v / 100;
            int r = (int) (v - q * 100);
            bytes[--i] = ONES[r];
            bytes[--i] = TENS[r];
            v = q;
        }
        int w = (int) v;
        while (w >= 100) {
            int q = w / 100;
            int r = w - q * 100;
            bytes[--i] = ONES[r];
            bytes[--i] = TENS[r];
            w = q;
        }
        if (w >= 10) {
            bytes[--i] = ONES[w];
            bytes[--i] = TENS[w];
        } else {
            bytes[--i] = (byte) ('0' + w);
        }
        length += digits;
        return this;
    }

    /** The number of decimal digits of {@code v}, 0 or more. */
    private static int digits(long v) {
        int digits = 1;
        for (long limit = 10; digits < 19 && v >= limit; limit *= 10) digits++;
        return digits;
    }

    /** Appends {@code true} or {@code false}. */
    public ByteLine append(boolean v) {
        return append(v ? TRUE : FALSE);
    }

    /** Appends {@code v} (0 or more) in decimal, with leading zeros to {@code width} digits. */
    public ByteLine appendPadded(long v, int width) {
        for (int i = digits(v); i < width; i++) append('0');
        return append(v);
    }

    /** Appends a duration in seconds with six decimals, e.g. {@code 60.000123}, rounded toward zero to microseconds. */
    public ByteLine appendSeconds(long nanos) {
        long micros = nanos / 1000L;
        if (micros < 0) {
            append('-');
            micros = -micros;
        }
        return append(micros / 1_000_000L).append('.').appendPadded(micros % 1_000_000L, 6);
    }

    private void room(int n) {
        if (length + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + n));
    }

    /** The line as text. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
