package dev.teardown.http;

import dev.teardown.capture.PacketTime;
import dev.teardown.h2.Preface;
import dev.teardown.stream.StreamSink;
import dev.teardown.teardown.Side;

/**
 * An incremental HTTP/1.x decoder for one direction of a connection, in the manner of Netty's
 * {@code HttpObjectDecoder}: it parses heads line by line, skips bodies by length without copying, and on
 * malformed input records the problem and waits for the next message start instead of throwing.
 *
 * <p>A line that ends inside the chunk being decoded is parsed straight from the caller's array; only a
 * line split across segments is copied, into a buffer of at most {@link HttpLimits#maxLineBytes()} bytes.
 * After a gap or a bad message the decoder resumes at the first delivered chunk that
 * {@linkplain HeadParser#startsMessage starts like a message}: in practice the next segment that begins one.
 */
final class MessageDecoder implements StreamSink {
    enum State {
        /** Between messages, waiting for a start line (empty lines are skipped, RFC 9112 section 2.2). */
        START,
        HEADERS,
        /** Content-Length body bytes remain. */
        BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        /** The CRLF after a chunk's data. */
        CHUNK_END,
        TRAILERS,
        /** A body that ends when the server closes. */
        UNTIL_CLOSE,
        /** Lost: waiting for a chunk that starts like a message. */
        RESYNC,
        /** The connection switched to HTTP/2: every byte goes to the tunnel's sink. */
        TUNNEL,
        /** Done for good: not HTTP, or the connection switched protocols. */
        STOPPED
    }

    /** RFC 9112 section 2.2 asks to ignore at least one empty line before a request; more is garbage. */
    private static final int MAX_EMPTY_LINES = 4;

    private final Side side;
    private final HttpLimits limits;
    /** The conversation told what is parsed; set again when a pooled decoder is reused ({@link #reset}). */
    private MessageListener listener;
    private final Head head;
    private State state;
    /** A line split across chunks, so far; one byte of slack for the CR of a CRLF that has not arrived yet. */
    private final SplitLine split;
    private int headBytes;
    private int emptyLines;
    private long remaining;
    /** Whether the next data are the side's first bytes, still to be recognised as HTTP or not. */
    private boolean firstBytes;
    /** Whether a failure before any start line parsed means "not HTTP": the stream start was seen. */
    private boolean streamStart;
    private boolean parsedStartLine;
    /** Whether the side's first bytes began strictly like a message start (method and target, or HTTP/1.x NNN). */
    private boolean startedLikeAMessage;
    private long lastBodyNanos;
    /** Where the bytes go once the connection switched to HTTP/2, from the end of the message under way; or null. */
    private Tunnel tunnel;
    /** The head lines parsed ahead from the start of the segment being delivered, if any ({@link #offer}). */
    private HeadScan offered;
    /** Scans taken so far (for tests). */
    private long scansTaken;

    MessageDecoder(Side side, HttpLimits limits, MessageListener listener) {
        this.side = side;
        this.limits = limits;
        this.head = new Head(limits.maxValueChars());
        this.split = new SplitLine(limits.maxLineBytes() + 1);
        reset(listener);
    }

    /** As new, reporting to {@code listener}: in the constructor, and for a pooled decoder's next conversation. */
    void reset(MessageListener listener) {
        this.listener = listener;
        head.reset();
        state = State.START;
        split.reset();
        headBytes = 0;
        emptyLines = 0;
        remaining = 0;
        firstBytes = true;
        streamStart = true;
        parsedStartLine = false;
        startedLikeAMessage = false;
        lastBodyNanos = PacketTime.UNSET;
        tunnel = null;
        offered = null;
    }

    /**
     * {@code scan} holds the head lines parsed ahead from the start of the segment about to be delivered (null: none):
     * taken if that segment's bytes arrive whole while this decoder waits for a message of the scan's side.
     */
    void offer(HeadScan scan) {
        offered = scan;
    }

    @Override
    public void begin(boolean start) {
        if (state == State.TUNNEL) {
            tunnel.begin(start); // switched before this side sent anything
            return;
        }
        streamStart = start;
        firstBytes = start;
        if (!start) state = State.RESYNC;
    }

    @Override
    public void data(byte[] b, int off, int len, long t) {
        if (state == State.STOPPED) return;
        int end = off + len;
        if (state == State.TUNNEL) {
            tunnel.data(b, off, end, t);
            return;
        }
        if (firstBytes) {
            firstBytes = false;
            if (!HeadParser.plausibleFirstBytes(side, b, off, end)) {
                if (side == Side.SERVER && Preface.serverStart(b, off, end) && listener.onH2(side)) {
                    tunnel.data(b, off, end, t); // the server's SETTINGS came first: HTTP/2 from its first byte
                    return;
                }
                notHttp(HeadParser.tlsHandshakeStart(b, off, end));
                return;
            }
            startedLikeAMessage = HeadParser.startsMessage(side, b, off, end);
        }
        if (state == State.RESYNC) {
            if (!parsedStartLine && HeadParser.tlsRecord(b, off, end)) {
                // Joined midway (or lost the start) and nothing parsed yet: a TLS record is no HTTP/1.x.
                notHttp(true);
                return;
            }
            if (!HeadParser.startsMessage(side, b, off, end)) return;
            state = State.START;
            split.length = 0;
            headBytes = 0;
            emptyLines = 0;
        }
        int p = off;
        HeadScan scan = offered;
        if (scan != null) {
            offered = null;
            // Parsed under this decoder's limits (a reading thread's scans use the defaults, as the trackers do).
            if (state == State.START && split.length == 0 && headBytes == 0 && emptyLines == 0 && scan.side == side
                    && scan.limits == limits && scan.of(b, off, len)) {
                p = take(scan, off, t);
            }
        }
        while (p < end) {
            switch (state) {
                case START, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> p = line(b, p, end, t);
                case BODY, CHUNK_DATA -> p = skip(p, end, t);
                case UNTIL_CLOSE -> {
                    lastBodyNanos = t;
                    p = end;
                }
                case TUNNEL -> p = tunnel.data(b, p, end, t);
                case RESYNC, STOPPED -> p = end;
            }
        }
    }

    /**
     * The lines {@code scan} parsed from {@code off}, as {@link #line} would have parsed them one by one from a message
     * start: the same head, bytes counted and state, the head ended if the scan saw its empty
     * line. Returns where parsing goes on.
     */
    private int take(HeadScan scan, int off, long t) {
        // Copied, not exchanged: the scan's head stays on the reading thread's core, this one on the analysing one's,
        // so each thread writes only lines it already holds (an exchange measured 1.5x the reading thread's CPU).
        head.copyFrom(scan.head);
        scansTaken++;
        headBytes = scan.consumed;
        parsedStartLine = true;
        state = State.HEADERS;
        if (scan.complete) headDone(t);
        return off + scan.consumed;
    }

    /**
     * The connection switched to HTTP/2: this direction's bytes go to {@code sink} from the end of the message under
     * way (at once between messages; the 101's own head, a request's body first). A direction that was lost hands
     * its bytes on lost.
     */
    void tunnelTo(StreamSink sink) {
        if (state == State.STOPPED) return;
        tunnel = new Tunnel(sink, state != State.RESYNC);
        if (state == State.RESYNC || (state == State.START && split.length == 0)) state = State.TUNNEL;
        firstBytes = false;
    }

    @Override
    public void gap(long len, long t) {
        if (state == State.TUNNEL) {
            tunnel.gap(len, t);
            return;
        }
        firstBytes = false;
        if (!parsedStartLine) streamStart = false; // the first bytes were lost: no telling "not HTTP" any more
        if (state == State.STOPPED) return;
        listener.onAnomaly(side, HttpAnomaly.STREAM_GAP);
        switch (state) {
            case BODY, CHUNK_DATA -> {
                // A gap inside a body of known length costs nothing: framing is still known.
                if (len <= remaining) {
                    remaining -= len;
                    if (remaining == 0) bodyDone(t);
                    return;
                }
                loseSync();
            }
            case UNTIL_CLOSE, RESYNC -> { }
            default -> loseSync();
        }
    }

    private void loseSync() {
        state = State.RESYNC;
        split.length = 0;
        listener.onLostSync(side);
    }

    /** Consumes up to and including the next LF, or buffers the rest of the chunk when there is none. */
    private int line(byte[] b, int p, int end, long t) {
        if (state == State.HEADERS && split.length == 0) {
            // Most lines of a head are plain fields that end inside the chunk: one pass finds the end of the line
            // and checks it, instead of a pass for the LF and more for the name and the value.
            long found = HeadParser.plainField(b, p, end);
            if (found >= 0) return field(b, p, (int) (found >>> 32), (int) found, end);
        }
        int lf = p;
        while (lf < end && b[lf] != '\n') lf++;
        int chunk = lf - p;
        boolean complete = lf < end;
        boolean inHead = state == State.START || state == State.HEADERS || state == State.TRAILERS;
        if (inHead) {
            headBytes += complete ? chunk + 1 : chunk;
            if (headBytes > limits.maxHeadBytes()) {
                bad(Problem.HEAD_TOO_LARGE);
                return end;
            }
        }
        byte[] src = b;
        int from = p;
        int to = lf;
        if (!complete || split.length > 0) {
            if (!split.append(b, p, chunk)) {
                bad(Problem.LINE_TOO_LONG);
                return end;
            }
            if (!complete) return end;
            src = split.bytes;
            from = 0;
            to = split.length;
            split.taken(); // parsed below from src
        }
        if (state == State.START && side == Side.CLIENT && streamStart && !parsedStartLine && emptyLines == 0
                && Preface.firstLine(src, from, to) && listener.onH2(side)) {
            // RFC 9113 section 3.4: HTTP/2 with prior knowledge; the preface's first line goes to HTTP/2 as well.
            byte[] first = Preface.firstLineBytes();
            tunnel.data(first, 0, first.length, t);
            return lf + 1;
        }
        if (to > from && src[to - 1] == '\r') to--; // CRLF; a bare LF is accepted (RFC 9112 section 2.2)
        if (to - from > limits.maxLineBytes()) {
            bad(Problem.LINE_TOO_LONG);
            return end;
        }
        onLine(src, from, to, t);
        return state == State.RESYNC || state == State.STOPPED ? end : lf + 1;
    }

    /**
     * A field line {@code b[p, lf]} (LF included) in which {@link HeadParser#plainField} found a name, its colon at
     * {@code colon}, and a value free of controls: the same checks, in the same order, as the general path in
     * {@link #line} and {@link HeadParser#field}, less the ones that scan already passed.
     */
    private int field(byte[] b, int p, int colon, int lf, int end) {
        headBytes += lf - p + 1;
        if (headBytes > limits.maxHeadBytes()) {
            bad(Problem.HEAD_TOO_LARGE);
            return end;
        }
        int to = b[lf - 1] == '\r' ? lf - 1 : lf;
        if (to - p > limits.maxLineBytes()) {
            bad(Problem.LINE_TOO_LONG);
            return end;
        }
        Problem problem = HeadParser.plainFieldValue(b, p, colon, to, head);
        if (problem == null) return lf + 1;
        bad(problem);
        return end;
    }

    private void onLine(byte[] b, int from, int to, long t) {
        boolean empty = from == to;
        boolean folded = !empty && Chars.ws(b[from]);
        switch (state) {
            case START -> {
                if (empty) {
                    if (++emptyLines > MAX_EMPTY_LINES) bad(Problem.TOO_MANY_EMPTY_LINES);
                    return;
                }
                head.reset();
                Problem p = side == Side.CLIENT ? HeadParser.requestLine(b, from, to, head)
                    : HeadParser.statusLine(b, from, to, head);
                if (p != null) {
                    bad(p);
                    return;
                }
                parsedStartLine = true;
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (empty) {
                    headDone(t);
                    return;
                }
                Problem p = folded ? HeadParser.continuation(b, from, to, head) : HeadParser.field(b, from, to, head, true);
                if (p != null) bad(p);
            }
            case CHUNK_SIZE -> {
                long size = HeadParser.chunkSize(b, from, to);
                if (size < 0) {
                    bad(Problem.BAD_CHUNK_SIZE);
                } else if (size == 0) {
                    state = State.TRAILERS;
                    headBytes = 0;
                    head.lastField = null;
                } else {
                    remaining = size;
                    state = State.CHUNK_DATA;
                }
            }
            case CHUNK_END -> {
                if (empty) state = State.CHUNK_SIZE;
                else bad(Problem.BAD_CHUNK_END);
            }
            case TRAILERS -> {
                if (empty) {
                    messageDone(t);
                    return;
                }
                Problem p = folded ? HeadParser.continuation(b, from, to, head) : HeadParser.field(b, from, to, head, false);
                if (p != null) bad(p);
            }
            default -> { }
        }
    }

    private void headDone(long t) {
        Body body = listener.onHead(side, head, t);
        switch (body) {
            case NONE -> messageDone(t);
            case LENGTH -> {
                remaining = head.contentLength;
                if (remaining == 0) messageDone(t);
                else state = State.BODY;
            }
            case CHUNKED -> state = State.CHUNK_SIZE;
            case UNTIL_CLOSE -> {
                state = State.UNTIL_CLOSE;
                lastBodyNanos = t;
            }
            case TUNNEL -> {
                messageDone(t);
                if (state != State.TUNNEL) state = State.STOPPED;
            }
            case INVALID -> bad(Problem.BAD_TRANSFER_CODING);
        }
    }

    private int skip(int p, int end, long t) {
        int n = (int) Math.min(remaining, end - p);
        remaining -= n;
        if (remaining == 0) bodyDone(t);
        return p + n;
    }

    private void bodyDone(long t) {
        if (state == State.BODY) messageDone(t);
        else state = State.CHUNK_END;
    }

    private void messageDone(long t) {
        state = State.START;
        headBytes = 0;
        emptyLines = 0;
        listener.onMessageEnd(side, t);
        if (tunnel != null) state = State.TUNNEL;
    }

    private void bad(Problem p) {
        split.length = 0;
        boolean oversize = p == Problem.LINE_TOO_LONG || p == Problem.HEAD_TOO_LARGE;
        if (streamStart && !parsedStartLine && !(oversize && startedLikeAMessage)) {
            // RFC 9112 section 2.2 asks for a start line first: the side's first line failing means not HTTP.
            // A first line that began like a request or status line and only outgrew our limits is HTTP
            // (a 1 MB URL is an attack on servers, not another protocol): count it like any later line.
            notHttp(false);
            return;
        }
        listener.onAnomaly(side, p.anomaly());
        loseSync();
    }

    private void notHttp(boolean tlsLike) {
        state = State.STOPPED;
        listener.onNotHttp(side, tlsLike);
    }

    /** Stops for good: the connection left HTTP. */
    void stop() {
        state = State.STOPPED;
        split.release();
    }

    /**
     * The side closed: a body running until the close is complete (RFC 9112 section 6.3 rule 8), ending at
     * its last byte.
     */
    void closed() {
        if (state == State.UNTIL_CLOSE) messageDone(lastBodyNanos);
    }

    /** Whether a message is under way: part of a head, or a body still short of its length. */
    boolean inMessage() {
        return switch (state) {
            case START -> split.length > 0;
            case HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE -> true;
            case RESYNC, STOPPED, TUNNEL -> false;
        };
    }

    /** How many scans this decoder took ({@link #offer}), for tests. */
    long scansTaken() {
        return scansTaken;
    }

    /** Whether a start line of this direction ever parsed: it spoke HTTP/1.x. */
    boolean parsedStartLine() {
        return parsedStartLine;
    }
}
