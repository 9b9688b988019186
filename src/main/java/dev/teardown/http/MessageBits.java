package dev.teardown.http;

/**
 * One message's persistence facts packed in an int, so pending requests live in an {@code int[]} ring and
 * pairing allocates nothing: flag bits, and the minor version in bits 8 to 11.
 */
final class MessageBits {
    private MessageBits() {}

    /** No message: a response whose request was never seen. */
    static final int NONE = -1;
    static final int HEAD = 1;
    static final int CONNECT = 1 << 1;
    static final int CLOSE = 1 << 2;
    static final int KEEP_ALIVE = 1 << 3;
    /** A response whose body runs until the server closes. */
    static final int UNTIL_CLOSE = 1 << 4;
    /** The details below are known; a request dropped at the pending limit is counted but has none. */
    static final int KNOWN = 1 << 5;
    /** A request beyond the pending limit: counted, details lost; treated as a plain HTTP/1.1 request. */
    static final int ANONYMOUS = 1 << 8;

    static int of(Head h) {
        int bits = KNOWN | (h.minor & 0xf) << 8;
        if (h.method == Head.Method.HEAD) bits |= HEAD;
        if (h.method == Head.Method.CONNECT) bits |= CONNECT;
        if (h.close) bits |= CLOSE;
        if (h.keepAlive) bits |= KEEP_ALIVE;
        return bits;
    }

    static boolean has(int message, int flag) {
        return message != NONE && (message & flag) != 0;
    }

    static int minor(int message) {
        return message >>> 8 & 0xf;
    }

    /** Whether a message's own version and Connection header let the connection persist (RFC 9112 section 9.3). */
    static boolean versionAllowsPersistence(int message) {
        return minor(message) >= 1 || has(message, KEEP_ALIVE);
    }
}
