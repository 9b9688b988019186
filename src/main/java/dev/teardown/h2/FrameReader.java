package dev.teardown.h2;

import dev.teardown.stream.LengthFramedReader;
import dev.teardown.teardown.Side;

/**
 * One direction's HTTP/2 frame layer (RFC 9113 section 4), framed incrementally from the direction's in-order byte
 * stream: the client's 24-byte connection preface first, then 9-byte frame headers (24-bit length, type, flags,
 * reserved bit and 31-bit stream id) and payloads skipped by length without copying; frames may span segments and
 * segments may hold many frames.
 *
 * <p>Of the payloads only a few bytes are read, as they pass: SETTINGS parameters (6 bytes each: a peer's
 * {@code SETTINGS_MAX_FRAME_SIZE} raises the length this direction may use), a GOAWAY's first 8 bytes (last stream
 * id, error code), a RST_STREAM's error code, and the Pad Length of a padded frame, checked against the payload
 * (RFC 9113 sections 6.1, 6.2, 6.6). A header block must go on in CONTINUATION frames of its own stream until one
 * ends it (section 6.10). Both are counted as problems; the framing goes on, as it is intact. Headers are
 * HPACK-compressed (RFC 7541) and not decoded. Memory: a few fields.
 *
 * <p>The framing and its resynchronisation are {@link LengthFramedReader}'s: a header no HTTP/2 sender writes
 * ({@link #validHeader}), a preface that is not one, and a hole in the capture outside a payload make the direction
 * wait for a delivered chunk that starts with a plausible frame header ({@link #plausibleAt}); a hole inside a payload
 * of known length keeps the framing. Bytes sent while lost are not frames: they are not reported.
 */
final class FrameReader extends LengthFramedReader {
    static final int HEADER = 9;
    /** RFC 9113 section 6.5.2: SETTINGS_MAX_FRAME_SIZE starts at 2^14 and may be raised to 2^24 - 1. */
    static final int DEFAULT_MAX_FRAME = 1 << 14;
    static final int LARGEST_MAX_FRAME = (1 << 24) - 1;
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int PRIORITY = 2;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PUSH_PROMISE = 5;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;
    /** END_STREAM on DATA and HEADERS; ACK on SETTINGS and PING (RFC 9113 section 6). */
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    /** PADDED on DATA, HEADERS, PUSH_PROMISE: a Pad Length byte leads the payload (RFC 9113 sections 6.1, 6.2, 6.6). */
    static final int PADDED = 0x8;
    /** PRIORITY on HEADERS: 5 bytes of stream dependency and weight follow the Pad Length (RFC 9113 section 6.2). */
    static final int PRIORITY_FLAG = 0x20;
    /** END_HEADERS on HEADERS, PUSH_PROMISE and CONTINUATION: the header block ends with this frame (section 6.10). */
    static final int END_HEADERS = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 5;
    /** The flags each known type defines (RFC 9113 section 6), indexed by type: a resynchronisation wants no other. */
    private static final int[] DEFINED_FLAGS = {0x09, 0x2d, 0, 0, 0x01, 0x0c, 0x01, 0, 0, 0x04};

    private final Side side;
    private final FrameListener listener;
    private int prefaceBytes;
    /** The current frame's header fields (RFC 9113 section 4.1). */
    private int type;
    private int flags;
    private int stream;
    private int length;
    /** The longest frame this direction may send: the peer's SETTINGS_MAX_FRAME_SIZE, at least the default. */
    private int maxFrame = DEFAULT_MAX_FRAME;
    /** The payload bytes read of a SETTINGS parameter or a GOAWAY, big-endian, and how many (-1: lost to a gap). */
    private long word;
    private int wordBytes;
    private int goawayStream;
    private long goawayError;
    /** Whether the next frame is the direction's first: it must be SETTINGS. Unknown once the direction was lost. */
    private boolean firstFrame = true;
    /**
     * The stream whose header block is still open (its last frame lacked END_HEADERS), 0 for none, or -1 when not
     * known: after the direction was lost, until its next frame.
     */
    private int headerBlock;
    /** The payload bytes after the Pad Length that the current frame's other fields take, or -1 when not padded. */
    private int padFixed = -1;

    /** A reader for {@code side}; the client's begins with the connection preface. */
    FrameReader(Side side, FrameListener listener) {
        super(HEADER, side == Side.CLIENT);
        this.side = side;
        this.listener = listener;
    }

    /** The peer allowed frames up to {@code size} bytes (its SETTINGS_MAX_FRAME_SIZE, within the RFC's range). */
    void allow(long size) {
        if (size > maxFrame && size <= LARGEST_MAX_FRAME) maxFrame = (int) size;
    }

    /** Lost: the first-frame rule no longer applies, and whether a header block was open is not known. */
    @Override
    protected void lost() {
        firstFrame = false;
        headerBlock = -1;
    }

    @Override
    protected int prefix(byte[] b, int p, int end) {
        while (p < end && prefaceBytes < Preface.CLIENT.length) {
            if (b[p] != Preface.CLIENT[prefaceBytes]) {
                lose();
                listener.onProblem(side, H2Problem.BAD_FRAME);
                return end;
            }
            p++;
            prefaceBytes++;
        }
        if (prefaceBytes == Preface.CLIENT.length) {
            prefixDone();
            listener.onPreface(side);
        }
        return p;
    }

    @Override
    protected int header(byte[] h, int at) {
        length = (h[at] & 0xff) << 16 | (h[at + 1] & 0xff) << 8 | (h[at + 2] & 0xff);
        type = h[at + 3] & 0xff;
        flags = h[at + 4] & 0xff;
        stream = streamId(h, at + 5); // RFC 9113 section 4.1: the reserved bit is ignored on receipt
        if (!validHeader(type, flags, stream, length, maxFrame) || (firstFrame && type != SETTINGS)) return -1;
        firstFrame = false;
        headerBlock(type, flags, stream);
        word = 0;
        wordBytes = 0;
        goawayStream = -1;
        goawayError = -1;
        padFixed = (flags & PADDED) == 0 ? -1 : switch (type) {
            case DATA -> 0;
            case HEADERS -> (flags & PRIORITY_FLAG) != 0 ? 5 : 0;
            case PUSH_PROMISE -> 4; // the promised stream id
            default -> -1;
        };
        return length;
    }

    /**
     * RFC 9113 section 6.10: after a HEADERS, PUSH_PROMISE or CONTINUATION frame without END_HEADERS, the next frame
     * must be a CONTINUATION of the same stream; a CONTINUATION anywhere else is as wrong (a PROTOCOL_ERROR).
     */
    private void headerBlock(int type, int flags, int stream) {
        boolean continuation = type == CONTINUATION;
        if (headerBlock > 0 ? !continuation || stream != headerBlock : headerBlock == 0 && continuation) {
            listener.onProblem(side, H2Problem.BAD_CONTINUATION);
        }
        boolean opensOrGoesOn = type == HEADERS || type == PUSH_PROMISE || continuation;
        headerBlock = opensOrGoesOn && (flags & END_HEADERS) == 0 ? stream : 0;
    }

    @Override
    protected void body(byte[] b, int p, int n) {
        if (n == 0) return;
        if (padFixed >= 0) {
            // The Pad Length, the payload's first byte: the padding must fit in what the other fields leave (RFC 9113
            // section 6.1: "the length of the frame payload or greater" is a PROTOCOL_ERROR; 6.2 and 6.6 alike).
            if ((b[p] & 0xff) > length - 1 - padFixed) listener.onProblem(side, H2Problem.BAD_PADDING);
            padFixed = -1;
        }
        if (wordBytes >= 0 && (type == SETTINGS || type == GOAWAY || type == RST_STREAM)) payload(b, p, n);
    }

    @Override
    protected void bodyLost() {
        wordBytes = -1; // a parameter, GOAWAY or RST_STREAM field may be among the lost bytes
        padFixed = -1; // and so may the Pad Length
    }

    @Override
    protected void recordEnd(long t) {
        if (type == GOAWAY) listener.onGoaway(side, goawayStream, goawayError, t);
        if (type == RST_STREAM) listener.onReset(side, stream, wordBytes == 4 ? word & 0xffffffffL : -1);
        listener.onFrame(side, type, flags, stream, length, t);
    }

    @Override
    protected void trouble(Trouble trouble) {
        listener.onProblem(side, switch (trouble) {
            case GAP -> H2Problem.STREAM_GAP;
            case BAD_HEADER -> H2Problem.BAD_FRAME;
        });
    }

    /** SETTINGS parameters (uint16 id, uint32 value), GOAWAY's first 8 bytes and RST_STREAM's 4, as they pass. */
    private void payload(byte[] b, int p, int n) {
        for (int i = p; i < p + n; i++) {
            if (type == GOAWAY && wordBytes == 8) return; // the rest is debug data
            word = word << 8 | (b[i] & 0xff);
            wordBytes++;
            if (type == GOAWAY && wordBytes == 4) goawayStream = (int) word & 0x7fffffff;
            if (type == GOAWAY && wordBytes == 8) goawayError = word & 0xffffffffL;
            if (type == SETTINGS && wordBytes == 6) {
                listener.onSetting(side, (int) (word >>> 32) & 0xffff, word & 0xffffffffL);
                word = 0;
                wordBytes = 0;
            }
        }
    }

    /**
     * A header some HTTP/2 sender could have written (RFC 9113 section 4.2 and 6): a length within the receiver's
     * limit, and for the known types the stream id and length their section requires, a length long enough for the
     * fields the PADDED and PRIORITY flags add (section 4.2: a frame too small for its mandatory data is a
     * FRAME_SIZE_ERROR); flags a type does not define are ignored (section 4.1), and unknown types are extensions and
     * are allowed (section 5.5).
     */
    static boolean validHeader(int type, int flags, int stream, int length, int maxFrame) {
        if (length > maxFrame) return false;
        int pad = (flags & PADDED) != 0 ? 1 : 0;
        return switch (type) {
            case DATA -> stream != 0 && length >= pad;
            case HEADERS -> stream != 0 && length >= pad + ((flags & PRIORITY_FLAG) != 0 ? 5 : 0);
            case CONTINUATION -> stream != 0;
            case PRIORITY -> stream != 0 && length == 5;
            case RST_STREAM -> stream != 0 && length == 4;
            case SETTINGS -> stream == 0 && length % 6 == 0 && ((flags & ACK) == 0 || length == 0);
            case PUSH_PROMISE -> stream != 0 && length >= 4 + pad;
            case PING -> stream == 0 && length == 8;
            case GOAWAY -> stream == 0 && length >= 8;
            case WINDOW_UPDATE -> length == 4;
            default -> true;
        };
    }

    /**
     * Whether a lost direction may resume at the header at {@code b[at, at + 9)}: a valid header of a known type with
     * only the flags that type defines and the reserved bit clear. Stricter than {@link #validHeader}: payloads are
     * full of bytes.
     */
    @Override
    protected boolean plausibleAt(byte[] b, int at) {
        int len = (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
        int t = b[at + 3] & 0xff;
        int f = b[at + 4] & 0xff;
        if (t > CONTINUATION || (f & ~DEFINED_FLAGS[t]) != 0 || (b[at + 5] & 0x80) != 0) return false;
        return validHeader(t, f, streamId(b, at + 5), len, maxFrame);
    }

    /** The 31-bit stream id at {@code b[at, at + 4)}, its reserved bit dropped. */
    private static int streamId(byte[] b, int at) {
        return (b[at] & 0x7f) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
