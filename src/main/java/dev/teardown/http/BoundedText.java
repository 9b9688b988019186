package dev.teardown.http;

import java.nio.charset.StandardCharsets;

/**
 * A short normalised header value built byte by byte from the wire, capped at a fixed length.
 *
 * <p>Only tchar bytes and the separators the caller adds ever go in, so the text is printable ASCII; its
 * buffer is allocated the first time it is used, and {@link #string} reuses the previous String when the
 * text has not changed, so a keep-alive connection repeating the same header allocates nothing.
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

    /** Starts a new list element: a comma unless this is the first. */
    void separate() {
        if (length > 0) add((byte) ',');
    }

    void add(byte b) {
        if (length >= capacity) return;
        if (bytes == null) bytes = new byte[capacity];
        bytes[length++] = b;
    }

    /** The text as a String: {@code previous} itself when it holds the same characters. */
    String string(String previous) {
        if (previous != null && previous.length() == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) same = previous.charAt(i) == bytes[i];
            if (same) return previous;
        }
        return length == 0 ? "" : new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
}
