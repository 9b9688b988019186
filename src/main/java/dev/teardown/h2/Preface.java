package dev.teardown.h2;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How an HTTP/2 connection announces itself in cleartext (RFC 9113 section 3.4): the client's 24-byte connection
 * preface, and the server's, a SETTINGS frame that must be the first frame it sends. The HTTP/1.x stage asks these
 * before it gives a connection up as not HTTP.
 */
public final class Preface {
    private Preface() {}

    /** The client connection preface, {@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}. */
    static final byte[] CLIENT = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of the preface's first line with its CR, without its LF: what a line parser holds when the LF comes. */
    private static final int FIRST_LINE_WITH_CR = 15;
    /** The first line with its CRLF, as the preface begins. */
    private static final byte[] FIRST_LINE = Arrays.copyOf(CLIENT, FIRST_LINE_WITH_CR + 1);

    /**
     * Whether the line {@code b[from, to)}, its CR kept and its LF not, is the preface's first line
     * {@code PRI * HTTP/2.0}: an HTTP/1.x parser's view of a client that speaks HTTP/2 with prior knowledge.
     */
    public static boolean firstLine(byte[] b, int from, int to) {
        if (to - from != FIRST_LINE_WITH_CR) return false;
        for (int i = 0; i < FIRST_LINE_WITH_CR; i++) if (b[from + i] != CLIENT[i]) return false;
        return true;
    }

    /** The preface's first line with its CRLF: what a line parser consumed before it handed the stream on. */
    public static byte[] firstLineBytes() {
        return FIRST_LINE.clone();
    }

    /**
     * Whether a server's first bytes {@code b[from, to)} may begin a SETTINGS frame that is not an ACK, as far as
     * they go: a length that is a multiple of 6 (RFC 9113 section 6.5), type 4, flags 0, stream 0. The frame reader
     * checks the whole frame again; this only decides whether to try.
     */
    public static boolean serverStart(byte[] b, int from, int to) {
        int n = Math.min(to - from, FrameReader.HEADER);
        if (n <= 0) return false;
        for (int i = 0; i < n; i++) {
            int v = b[from + i] & 0xff;
            boolean ok = switch (i) {
                case 0, 1, 2 -> true;
                case 3 -> v == FrameReader.SETTINGS;
                default -> v == 0;
            };
            if (!ok) return false;
        }
        if (n < 3) return true;
        int length = (b[from] & 0xff) << 16 | (b[from + 1] & 0xff) << 8 | (b[from + 2] & 0xff);
        return length % 6 == 0 && length <= FrameReader.DEFAULT_MAX_FRAME;
    }
}
