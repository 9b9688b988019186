package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;

/**
 * Zeek's connection history string: one letter per event kind, upper case for the client, lower case for
 * the server.
 *
 * <p>Letters are recorded once per side, except that s, h, f and r repeat when the sequence number
 * differs, and t and w repeat on a logarithmic scale (the 1st, 10th, 100th ... occurrence), as Zeek's
 * conn.log documents. Within one packet the order is q, s/h, a, d, t, w, f, r.
 */
final class History {
    private static final String LETTERS = "shadfrtwq^";
    private static final int S = 0, H = 1, A = 2, D = 3, F = 4, R = 5, T = 6, W = 7, Q = 8;

    private final StringBuilder text = new StringBuilder(12);
    private final int[] seenMask = new int[2];
    /** Last sequence number recorded per side for s, h, f, r (indexes S, H, F, R). */
    private final int[][] lastSeq = new int[2][R + 1];
    private final long[][] counts = new long[2][W + 1];

    void flipped() {
        text.append('^');
    }

    /** Records the letters for one segment sent by {@code side}; {@code retransmission} marks resent payload. */
    void record(Side side, TcpSegment seg, boolean retransmission) {
        boolean syn = seg.has(TcpSegment.SYN);
        boolean fin = seg.has(TcpSegment.FIN);
        boolean rst = seg.has(TcpSegment.RST);
        if (syn && (fin || rst)) once(side, Q);
        if (syn) bySeq(side, seg.has(TcpSegment.ACK) ? H : S, seg.seq);
        if (seg.has(TcpSegment.ACK) && !syn && !fin && !rst && seg.payloadLength == 0) once(side, A);
        if (seg.payloadLength > 0) once(side, D);
        if (retransmission) logScale(side, T);
        if (seg.window == 0 && !syn && !rst) logScale(side, W);
        if (fin) bySeq(side, F, seg.seq + seg.payloadLength);
        if (rst) bySeq(side, R, seg.seq);
    }

    private void once(Side side, int letter) {
        int bit = 1 << letter;
        if ((seenMask[side.ordinal()] & bit) == 0) {
            seenMask[side.ordinal()] |= bit;
            append(side, letter);
        }
    }

    private void bySeq(Side side, int letter, int seq) {
        int i = side.ordinal();
        int bit = 1 << letter;
        if ((seenMask[i] & bit) == 0 || lastSeq[i][letter] != seq) {
            seenMask[i] |= bit;
            lastSeq[i][letter] = seq;
            append(side, letter);
        }
    }

    private void logScale(Side side, int letter) {
        long n = ++counts[side.ordinal()][letter];
        // Record at 1, 10, 100, ...: n is a power of ten.
        long p = 1;
        while (p < n) p *= 10;
        if (p == n) append(side, letter);
    }

    private void append(Side side, int letter) {
        char c = LETTERS.charAt(letter);
        text.append(side == Side.CLIENT ? Character.toUpperCase(c) : c);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
