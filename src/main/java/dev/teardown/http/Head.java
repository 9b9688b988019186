package dev.teardown.http;

/**
 * What later rules need from one message head, filled in place as its lines arrive and reused for the next
 * message of the same direction.
 */
final class Head {
    /** Request method, as far as framing cares (RFC 9112 section 6.3). */
    enum Method { HEAD, CONNECT, OTHER }

    Method method = Method.OTHER;
    /** The minor digit of HTTP/1.x. */
    int minor;
    int status;

    /** Content-Length, or -1 when absent. */
    long contentLength = -1;
    boolean transferEncoding;
    /** Whether the last transfer coding listed is chunked. */
    boolean chunked;

    boolean close;
    boolean keepAlive;
    boolean upgrade;
    /** The Upgrade header names {@code h2c}: HTTP/2 in cleartext (RFC 7540 section 3.2). */
    boolean upgradeH2c;
    /** The SETTINGS_MAX_FRAME_SIZE an {@code HTTP2-Settings} field set, or -1 (RFC 7540 section 3.2.1). */
    int http2MaxFrame = -1;
    /** Connection tokens, lower-cased and joined by ','. */
    final BoundedText connection;

    /** Keep-Alive parameters normalised as name=value joined by ','. */
    final BoundedText keepAliveParams;
    int keepAliveTimeout = -1;
    int keepAliveMax = -1;

    /** The field the previous line belonged to, for obs-fold continuation lines; null before the first. */
    Field lastField;

    Head(int maxValueChars) {
        connection = new BoundedText(maxValueChars);
        keepAliveParams = new BoundedText(maxValueChars);
    }

    void reset() {
        method = Method.OTHER;
        minor = 0;
        status = 0;
        contentLength = -1;
        transferEncoding = false;
        chunked = false;
        close = false;
        keepAlive = false;
        upgrade = false;
        upgradeH2c = false;
        http2MaxFrame = -1;
        connection.clear();
        keepAliveParams.clear();
        keepAliveTimeout = -1;
        keepAliveMax = -1;
        lastField = null;
    }

    /** Makes this head what {@code o} is, field by field (a head parsed ahead, {@link HeadScan}). */
    void copyFrom(Head o) {
        method = o.method;
        minor = o.minor;
        status = o.status;
        contentLength = o.contentLength;
        transferEncoding = o.transferEncoding;
        chunked = o.chunked;
        close = o.close;
        keepAlive = o.keepAlive;
        upgrade = o.upgrade;
        upgradeH2c = o.upgradeH2c;
        http2MaxFrame = o.http2MaxFrame;
        connection.copyFrom(o.connection);
        keepAliveParams.copyFrom(o.keepAliveParams);
        keepAliveTimeout = o.keepAliveTimeout;
        keepAliveMax = o.keepAliveMax;
        lastField = o.lastField;
    }

    /** The version as text, without allocating. */
    String version() {
        return Versions.text(minor);
    }
}
