package dev.teardown.h2;

import dev.teardown.teardown.Side;

/** What a {@link FrameReader} reports about the frames of its direction. */
interface FrameListener {
    /** The side's client connection preface arrived whole (RFC 9113 section 3.4). */
    void onPreface(Side side);

    /**
     * A whole frame arrived, its last byte at {@code timeNanos}: its {@code type}, {@code flags}, stream id and
     * payload {@code length} (RFC 9113 section 4.1).
     */
    void onFrame(Side side, int type, int flags, int stream, int length, long timeNanos);

    /** A SETTINGS frame (not an ACK) of {@code side} set parameter {@code id} to {@code value} (RFC 9113 section 6.5.1). */
    void onSetting(Side side, int id, long value);

    /**
     * A GOAWAY frame of {@code side}: the last stream id it may have processed and its error code (RFC 9113 section
     * 6.8); -1 for either when the capture lost those bytes. Reported before the frame's {@link #onFrame}.
     */
    void onGoaway(Side side, int lastStream, long errorCode, long timeNanos);

    /**
     * A RST_STREAM frame of {@code side} ended {@code stream} with {@code errorCode} (RFC 9113 section 6.4), -1 when
     * the capture lost it. Reported before the frame's {@link #onFrame}.
     */
    void onReset(Side side, int stream, long errorCode);

    /**
     * The side's bytes broke the frame layer: the direction resynchronises after a {@link H2Problem#BAD_FRAME} or a
     * {@link H2Problem#STREAM_GAP}; the others leave the framing as it is.
     */
    void onProblem(Side side, H2Problem problem);
}
