package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;

/**
 * Zeek's connection history string: one letter per event kind, upper case for the client, lower case for
 * the server.
 *
 * <p>Letters are recorded once per side, except that s, h, f and r repeat when the sequence number
 * differs, and t and w repeat on a logarithmic scale (the 1st, 10th, 100th ... occurrence), as Zeek's
 * conn.log documents. Within one packet the order is q, s/h, a, d, t, w, f, r.
 *
 * <p>Unlike Zeek, the repeats of s, h, f and r are bounded: of the occurrences at a new sequence number,
 * counted per letter and side, the first ten are recorded and after them only the 100th, 1,000th ...
 * so a peer sending a million RSTs at distinct sequence numbers cannot make a cell of a million letters
 * that CSV readers refuse. A letter then takes at most 27 characters per side (10 + 10^2 .. 10^18).
 */
final class History {
    private static final String LETTERS = "shadfrtwq^";
    private static final int S = 0, H = 1, A = 2, D = 3, F = 4, R = 5, T = 6, W = 7, Q = 8;

    /**
     * Slots per side in {@link #lastSeq} and {@link #counts} (index {@code side * LETTER_SLOTS + letter}): a
     * connection held in TIME_WAIT keeps its history for a minute, so it is three objects, not a dozen.
     */
    private static final int LETTER_SLOTS = W + 1;
    private final StringBuilder text = new StringBuilder(12);
    /** Per side, a bit per letter already recorded once. */
    private int seenMask;
    /** Occurrences at a new sequence number recorded in full before the logarithmic scale takes over. */
    static final long EXACT_REPEATS = 10;

    /** Last sequence number seen per side for s, h, f, r (indexes S, H, F, R), recorded or not. */
    private final int[] lastSeq = new int[2 * LETTER_SLOTS];
    /** Per side: occurrences at a new sequence number of s, h, f, r; occurrences of t and w. */
    private final long[] counts = new long[2 * LETTER_SLOTS];

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
        int bit = 1 << (side.ordinal() * 16 + letter);
        if ((seenMask & bit) == 0) {
            seenMask |= bit;
            append(side, letter);
        }
    }

    private void bySeq(Side side, int letter, int seq) {
        int bit = 1 << (side.ordinal() * 16 + letter);
        int i = side.ordinal() * LETTER_SLOTS + letter;
        if ((seenMask & bit) == 0 || lastSeq[i] != seq) {
            seenMask |= bit;
            lastSeq[i] = seq;
            if (recordsSequenceRepeat(++counts[i])) append(side, letter);
        }
    }

    private void logScale(Side side, int letter) {
        if (isPowerOfTen(++counts[side.ordinal() * LETTER_SLOTS + letter])) append(side, letter);
    }

    /** Whether the {@code n}-th occurrence (1-based) of s, h, f or r at a new sequence number is recorded. */
    static boolean recordsSequenceRepeat(long n) {
        return n <= EXACT_REPEATS || isPowerOfTen(n);
    }

    private static boolean isPowerOfTen(long n) {
        long p = 1;
        while (p < n && p <= Long.MAX_VALUE / 10) p *= 10;
        return p == n;
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
