package dev.teardown.http;

/** Named oddities the HTTP stage meets in traffic: counted per capture and listed per connection, never thrown. */
public enum HttpAnomaly {
    /** Bytes of one direction were never captured (loss, snaplen cut, or out-of-order data beyond the bound). */
    STREAM_GAP,
    /** A start line, field line or chunk-size line exceeded {@link HttpLimits#maxLineBytes()}. */
    LINE_TOO_LONG,
    /** A message head (or trailer section) exceeded {@link HttpLimits#maxHeadBytes()}. */
    HEAD_TOO_LARGE,
    /** More requests were waiting for responses than {@link HttpLimits#maxPendingRequests()}. */
    TOO_MANY_PENDING,
    /** A message broke RFC 9112 framing; the direction resynchronised at the next message start. */
    BAD_MESSAGE,
    /**
     * TLS: a record header no TLS sender writes (content type, version or length), after the connection had shown
     * itself to be TLS; the direction resynchronised at the next record header.
     */
    TLS_BAD_RECORD,
    /** TLS: a ClientHello or ServerHello whose lengths overran it, or a first handshake message that was neither. */
    TLS_BAD_HELLO,
    /** TLS: a ClientHello or ServerHello over 16 KiB, not parsed. */
    TLS_HELLO_TOO_LARGE,
    /**
     * HTTP/2: a frame header no HTTP/2 sender writes (length, stream id, a first frame that is no SETTINGS) or a
     * client preface that was not one, after the connection had shown itself to be HTTP/2; the direction
     * resynchronised at the next frame header.
     */
    H2_BAD_FRAME,
    /**
     * HTTP/2: a header block not continued as RFC 9113 section 6.10 requires (another frame, or a CONTINUATION of
     * another stream, before its END_HEADERS; or a CONTINUATION with no block open). The framing goes on.
     */
    H2_BAD_CONTINUATION,
    /** HTTP/2: a Pad Length that leaves no room for the frame's data (RFC 9113 sections 6.1, 6.2, 6.6). */
    H2_BAD_PADDING
}
