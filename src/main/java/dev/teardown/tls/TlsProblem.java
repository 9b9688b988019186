package dev.teardown.tls;

/** Named oddities the TLS record layer meets in traffic: counted, never thrown. */
public enum TlsProblem {
    /** Bytes of one direction were never captured; framing went on only if they lay inside one record's body. */
    STREAM_GAP,
    /**
     * A record header that no TLS sender writes: a content type other than 20-24, a version other than 3.x, a
     * length over 2^14 + 2048, or an empty handshake, alert or ChangeCipherSpec record; the direction resynchronised.
     */
    BAD_RECORD,
    /** A ClientHello or ServerHello whose lengths overran the message, or a first handshake message of the wrong type. */
    BAD_HELLO,
    /** A ClientHello or ServerHello longer than {@link RecordReader#MAX_HELLO} bytes: not kept, not parsed. */
    HELLO_TOO_LARGE
}
