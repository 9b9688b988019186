package dev.teardown.tls;

import dev.teardown.teardown.Side;

/** What a {@link RecordReader} reports about the records of its direction. */
interface RecordListener {
    /**
     * A whole record arrived, its last byte at {@code timeNanos}: content {@code type}, {@code length} body bytes,
     * and for an alert (type 21) with at least two body bytes its first two bytes (level, description) as
     * {@code level << 8 | description}, else -1.
     */
    void onRecord(Side side, int type, int length, int alert, long timeNanos);

    /**
     * The side's hello arrived whole (its ClientHello, or its ServerHello or HelloRetryRequest), the message body
     * in {@code body[0, length)}, valid only during the call. The answer says whether another hello is to follow
     * on this direction (after a HelloRetryRequest).
     */
    boolean onHello(Side side, byte[] body, int length);

    /**
     * The side's bytes broke the record layer or its first handshake message; the direction resynchronises (or,
     * for {@link TlsProblem#STREAM_GAP} inside a record body, goes on).
     */
    void onProblem(Side side, TlsProblem problem);
}
