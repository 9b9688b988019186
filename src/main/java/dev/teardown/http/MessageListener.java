package dev.teardown.http;

import dev.teardown.teardown.Side;

/** What a {@link MessageDecoder} reports about the messages of its direction. */
interface MessageListener {
    /** A complete head arrived; the answer says how its body ends. */
    Body onHead(Side from, Head head, long timeNanos);

    /** The message whose head was reported last is complete. */
    void onMessageEnd(Side from, long timeNanos);

    void onAnomaly(Side from, HttpAnomaly anomaly);

    /** Bytes were lost where message boundaries could not be followed: messages may be missing. */
    void onLostSync(Side from);

    /**
     * The side's first bytes are not HTTP/1.x; {@code tlsLike} when they begin like a TLS record (a handshake
     * record at the side's stream start, any record header where the capture joined the side mid-stream).
     */
    void onNotHttp(Side from, boolean tlsLike);

    /**
     * The side's first bytes are HTTP/2's (the client's connection preface, the server's SETTINGS frame; RFC 9113
     * section 3.4). The answer says whether the listener took the connection over as HTTP/2, having called
     * {@link MessageDecoder#tunnelTo} on both decoders; if not, the side is not HTTP/1.x.
     */
    default boolean onH2(Side from) {
        return false;
    }
}
