package dev.teardown.http;

import dev.teardown.decode.TcpSegment;
import dev.teardown.h2.Preface;
import dev.teardown.teardown.Side;

/**
 * The lines of a message head parsed ahead from the start of one segment's payload, by a thread that knows nothing of
 * the segment's connection (a relay's reading thread), so that the thread analysing the connection takes them instead
 * of parsing them again when its decoder finds a message starting there.
 *
 * <p>Why: parsing head lines was about a seventh of the relay's analysing thread, the thread whose time is the run's,
 * while the reading thread had time to spare (profile in bench/README.md). The lines are parsed by the same
 * {@link HeadParser} calls, in the same order and under the same limits, as {@link MessageDecoder} makes from a
 * message start; anything else (an empty line first, a fold, a problem, the HTTP/2 preface) leaves the segment
 * unscanned, and the decoder parses it as it always did.
 */
public final class HeadScan {
    /** The limits the lines were parsed under: a decoder takes the scan only under the same ones. */
    final HttpLimits limits;
    /** The head as far as the lines scanned go; a decoder that takes the scan copies it ({@link MessageDecoder#take}). */
    final Head head;
    /** The side whose start line parsed: the client's for a request line, the server's for a status line. */
    Side side;
    /** The bytes scanned, which the decoder must be handed to take the scan: compared by identity and bounds. */
    byte[] array;
    int offset;
    int length;
    /** Bytes of whole lines parsed, from {@link #offset}: the start line, fields and, if {@link #complete}, the empty line. */
    int consumed;
    /** Whether the empty line that ends the head was among them. */
    boolean complete;

    public HeadScan(HttpLimits limits) {
        this.limits = limits;
        this.head = new Head(limits.maxValueChars());
    }

    /**
     * Parses the head lines that {@code seg}'s captured payload begins with, as a decoder between messages would;
     * returns whether there is anything to hand on (a start line parsed, with every later whole line). Allocates only
     * the head's text buffers, once.
     */
    public boolean scan(TcpSegment seg) {
        if (seg.has(TcpSegment.RST | TcpSegment.SYN)) return false;
        int len = HalfStream.captured(seg);
        if (len <= 0) return false;
        byte[] b = seg.data;
        int off = seg.payloadOffset;
        int end = off + len;
        side = b[off] == 'H' && end - off >= 5 && b[off + 1] == 'T' && b[off + 2] == 'T' && b[off + 3] == 'P'
            && b[off + 4] == '/' ? Side.SERVER : Side.CLIENT;
        int p = startLine(b, off, end);
        if (p < 0) return false;
        complete = false;
        while (p < end) {
            int next = fieldLine(b, p, off, end);
            if (next == -1) return false; // a problem, a fold or a limit: the decoder will say which
            if (next == -2) break; // a line that goes on in the next segment: the decoder buffers it
            p = next;
            if (complete) break;
        }
        array = b;
        offset = off;
        length = len;
        consumed = p - off;
        return true;
    }

    /** The start line at {@code off}, as {@link MessageDecoder}'s line() and onLine() in START; where it ends, or -1. */
    private int startLine(byte[] b, int off, int end) {
        int lf = off;
        while (lf < end && b[lf] != '\n') lf++;
        if (lf == end || lf + 1 - off > limits.maxHeadBytes()) return -1;
        if (Preface.firstLine(b, off, lf)) return -1; // HTTP/2 with prior knowledge: the decoder hands it on
        int to = lf > off && b[lf - 1] == '\r' ? lf - 1 : lf;
        if (to - off > limits.maxLineBytes() || to == off) return -1;
        head.reset();
        Problem p = side == Side.CLIENT ? HeadParser.requestLine(b, off, to, head) : HeadParser.statusLine(b, off, to, head);
        return p == null ? lf + 1 : -1;
    }

    /**
     * The field line (or the empty line) at {@code p}, as the decoder parses it in HEADERS: where it ends; -2 if it
     * does not end in the payload; -1 for anything the decoder would not simply take (a problem, a fold, a limit).
     */
    private int fieldLine(byte[] b, int p, int off, int end) {
        long found = HeadParser.plainField(b, p, end);
        if (found >= 0) {
            int colon = (int) (found >>> 32);
            int lf = (int) found;
            if (lf + 1 - off > limits.maxHeadBytes()) return -1;
            int to = b[lf - 1] == '\r' ? lf - 1 : lf;
            if (to - p > limits.maxLineBytes()) return -1;
            return HeadParser.plainFieldValue(b, p, colon, to, head) == null ? lf + 1 : -1;
        }
        int lf = p;
        while (lf < end && b[lf] != '\n') lf++;
        if (lf == end) return -2;
        if (lf + 1 - off > limits.maxHeadBytes()) return -1;
        int to = lf > p && b[lf - 1] == '\r' ? lf - 1 : lf;
        if (to - p > limits.maxLineBytes()) return -1;
        if (to == p) {
            complete = true;
            return lf + 1;
        }
        if (Chars.ws(b[p])) return -1; // obs-fold: rare, left to the decoder
        return HeadParser.field(b, p, to, head, true) == null ? lf + 1 : -1;
    }

    /** Whether this scan was made of exactly the bytes {@code b[off, off + len)}. */
    boolean of(byte[] b, int off, int len) {
        return array == b && offset == off && length == len;
    }
}
