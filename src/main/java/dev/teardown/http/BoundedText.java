package dev.teardown.http;

/**
 * A short normalised header value built byte by byte from the wire, capped at a fixed length.
 *
 * <p>Only tchar bytes and the separators the caller adds ever go in, so the text is printable ASCII; its
 * buffer is allocated the first time it is used, and {@link #string} takes the String from a cache shared by the
 * connections of a tracker, so connections repeating the same header allocate nothing for it.
 */
final class BoundedText {
    private final int capacity;
    private byte[] bytes;
    private int length;
    private boolean present;

    BoundedText(int capacity) {
        this.capacity = capacity;
    }

    void clear() {
        length = 0;
        present = false;
    }

    /** Records that the header appeared, even if it yields no text. */
    void markPresent() {
        present = true;
    }

    boolean present() {
        return present;
    }

    int length() {
        return length;
    }

    /** Makes this text what {@code o} holds ({@code o} of the same capacity). */
    void copyFrom(BoundedText o) {
        length = o.length;
        present = o.present;
        if (length > 0) {
            if (bytes == null) bytes = new byte[capacity];
            System.arraycopy(o.bytes, 0, bytes, 0, length);
        }
    }

    /** Starts a new list element: a comma unless this is the first. */
    void separate() {
        if (length > 0) add((byte) ',');
    }

    void add(byte b) {
        if (length >= capacity) return;
        if (bytes == null) bytes = new byte[capacity];
        bytes[length++] = b;
    }

    /** The text as a String, the one {@code texts} already holds for the same characters if any. */
    String string(TextCache texts) {
        return length == 0 ? "" : texts.of(bytes, length);
    }
}
