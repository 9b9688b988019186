package dev.teardown.http;

/**
 * A line split across segments, gathered until its LF arrives: the one copy an HTTP/1.x decoder makes, at most
 * {@link HttpLimits#maxLineBytes()} bytes and one more for the CR of a CRLF still to come. The decoder reads
 * {@link #bytes} and {@link #length} directly; a line that ends inside its chunk is never copied here.
 *
 * <p>Memory: nothing until a line is split; then a buffer grown by doubling to the line's size, dropped once its line
 * is parsed when it grew past {@link #KEPT} bytes, so that idle connections keep little.
 */
final class SplitLine {
    /** A buffer grown beyond this is dropped once its line is parsed. */
    static final int KEPT = 1024;

    private final int maxBytes;
    /** The line so far, in {@code bytes[0, length)}; null until a line is split. */
    byte[] bytes;
    int length;

    /** A line of at most {@code maxBytes} bytes. */
    SplitLine(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Appends {@code b[p, p + n)}; false, appending nothing, when the line would pass its limit. */
    boolean append(byte[] b, int p, int n) {
        if (length + n > maxBytes) return false;
        if (n == 0) return true;
        if (bytes == null || bytes.length < length + n) {
            int size = Math.max(bytes == null ? 128 : bytes.length * 2, length + n);
            byte[] grown = new byte[Math.min(size, maxBytes)];
            if (bytes != null) System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
        }
        System.arraycopy(b, p, bytes, length, n);
        length += n;
        return true;
    }

    /** The line was taken (its bytes read from {@link #bytes} before this call): empty again, a large buffer gone. */
    void taken() {
        reset();
    }

    /** Empty, as new, keeping a buffer of at most {@link #KEPT} bytes: its decoder is reused. */
    void reset() {
        length = 0;
        if (bytes != null && bytes.length > KEPT) bytes = null;
    }

    /** Drops the buffer too: the decoder stopped for good. */
    void release() {
        bytes = null;
        length = 0;
    }
}
