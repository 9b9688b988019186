package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;

/**
 * Zeek's connection history string: one letter per event kind, upper case for the client, lower case for
 * the server, recorded by the rules of Zeek's TCP analyzer ({@code update_history} and its callers).
 *
 * <p>Per segment, at most one of the flag letters: {@code i} FIN with RST, {@code q} SYN with FIN or RST (a
 * segment with several of SYN, FIN and RST gets no s, h, f or r), else {@code s}/{@code h} SYN without/with ACK,
 * {@code f} FIN, {@code r} RST, else {@code d} payload, else {@code a} a pure ACK; then {@code w} zero window,
 * then {@code t} retransmitted payload; then, for the peer, {@code g} for each hole the segment's ACK passes.
 * A segment whose checksum fails gets {@code c} and nothing else. Letters a, d, i and q are recorded once per
 * side; s/h (one slot for both), f and r again when the sequence number differs from the last of their kind;
 * c, g, t and w on a logarithmic scale, the 1st, 10th, 100th ... occurrence.
 *
 * <p>Unlike Zeek, the repeats of s, h, f and r are bounded: of the occurrences at a new sequence number,
 * counted per slot and side, the first ten are recorded and after them only the 100th, 1,000th ...
 * so a peer sending a million RSTs at distinct sequence numbers cannot make a cell of a million letters
 * that CSV readers refuse. A slot then takes at most 27 characters per side (10 + 10^2 .. 10^18).
 *
 * <p>Memory: a builder of a dozen characters, two small arrays and an int per connection, whatever the traffic
 * (a connection held in TIME_WAIT keeps its history for a minute, so the slots live in two flat arrays).
 */
final class History {
    /** Letters by index: the first {@link #SEQ_SLOTS} repeat by sequence number, the first {@link #COUNTED} counted. */
    private static final String LETTERS = "sfrtwcgadiqh";
    private static final int S = 0, F = 1, R = 2, T = 3, W = 4, C = 5, G = 6, A = 7, D = 8, I = 9, Q = 10, H = 11;
    /** Slots repeated by sequence number: SYN (s and h share it, as in Zeek), FIN, RST. */
    private static final int SEQ_SLOTS = R + 1;
    /** Slots with a count: the sequence slots, then t, w, c, g. */
    private static final int COUNTED = G + 1;
    /** Occurrences at a new sequence number recorded in full before the logarithmic scale takes over. */
    static final long EXACT_REPEATS = 10;

    private final StringBuilder text = new StringBuilder(12);
    /** Per side (16 bits each), a bit per slot already recorded once. */
    private int seenMask;
    /** Last sequence number seen per side for the SYN, FIN and RST slots, recorded or not. */
    private final int[] lastSeq = new int[2 * SEQ_SLOTS];
    /** Per side: occurrences at a new sequence number of the sequence slots; occurrences of t, w, c and g. */
    private final long[] counts = new long[2 * COUNTED];

    void flipped() {
        text.append('^');
    }

    /**
     * Records the letters for one segment sent by {@code side}, whose endpoint is {@code s} and peer's {@code r}
     * (their state before the segment); {@code retransmission} marks resent payload.
     */
    void record(Side side, TcpSegment seg, boolean retransmission, Endpoint s, Endpoint r) {
        boolean syn = seg.has(TcpSegment.SYN);
        boolean fin = seg.has(TcpSegment.FIN);
        boolean rst = seg.has(TcpSegment.RST);
        int controls = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (controls > 1) {
            once(side, fin && rst ? I : Q);
        } else if (syn) {
            bySeq(side, S, seg.has(TcpSegment.ACK) ? H : S, seg.seq);
        } else if (fin) {
            // A FIN's sequence number is the one after its payload.
            bySeq(side, F, F, seg.seq + seg.payloadLength);
        } else if (rst) {
            bySeq(side, R, R, seg.seq);
        } else if (seg.payloadLength > 0) {
            once(side, D);
        } else if (seg.has(TcpSegment.ACK)) {
            once(side, A);
        }
        // Zeek leaves out a zero window on a RST, from a side that was reset, and after the peer's FIN (a side
        // that will send nothing more needs no window).
        if (seg.window == 0 && !rst && !s.rstSeen && !(r.finSeen && !r.rstSeen)) logScale(side, W);
        if (retransmission) logScale(side, T);
    }

    /** The peer of {@code side} acknowledged {@code holes} holes in {@code side}'s bytes: bytes never captured. */
    void gaps(Side side, int holes) {
        for (int i = 0; i < holes; i++) logScale(side, G);
    }

    /** A segment from {@code side} failed its checksum: the receiver drops it, so it records nothing else. */
    void badChecksum(Side side) {
        logScale(side, C);
    }

    private void once(Side side, int letter) {
        int bit = 1 << (side.ordinal() * 16 + letter);
        if ((seenMask & bit) == 0) {
            seenMask |= bit;
            append(side, letter);
        }
    }

    private void bySeq(Side side, int slot, int letter, int seq) {
        int bit = 1 << (side.ordinal() * 16 + slot);
        int i = side.ordinal() * SEQ_SLOTS + slot;
        if ((seenMask & bit) == 0 || lastSeq[i] != seq) {
            seenMask |= bit;
            lastSeq[i] = seq;
            if (recordsSequenceRepeat(++counts[side.ordinal() * COUNTED + slot])) append(side, letter);
        }
    }

    private void logScale(Side side, int letter) {
        if (isPowerOfTen(++counts[side.ordinal() * COUNTED + letter])) append(side, letter);
    }

    /** Whether the {@code n}-th occurrence (1-based) of s, h, f or r at a new sequence number is recorded. */
    static boolean recordsSequenceRepeat(long n) {
        return n <= EXACT_REPEATS || isPowerOfTen(n);
    }

    /** Whether the {@code n}-th occurrence (1-based) of c, g, t or w is recorded: Zeek's 1, 10, 100 ... */
    static boolean isPowerOfTen(long n) {
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
