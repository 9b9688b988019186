package dev.teardown.h2;

/** What went wrong in one direction of an HTTP/2 connection's frame layer; counted, never thrown. */
public enum H2Problem {
    /** Bytes of the direction were never captured outside a frame payload: the direction resynchronised. */
    STREAM_GAP,
    /**
     * A frame header no HTTP/2 sender writes (a length over the receiver's limit, a length or stream id its type
     * forbids, a first frame that is no SETTINGS), or a client preface that was not one: the direction resynchronised.
     */
    BAD_FRAME,
    /**
     * A header block not continued as RFC 9113 section 6.10 requires: another frame, or a CONTINUATION of another
     * stream, before the block's END_HEADERS, or a CONTINUATION with no block open (a PROTOCOL_ERROR).
     */
    BAD_CONTINUATION,
    /**
     * A Pad Length as long as the payload left after the frame's other fields, or longer (RFC 9113 sections 6.1,
     * 6.2, 6.6).
     */
    BAD_PADDING
}
