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
 * <p>Memory: one object per connection for the common history (up to {@link #PACKED} letters in a long, the SYN,
 * FIN and RST sequence numbers in fields); a builder for the letters after those and the repeat counts are made only
 * for a connection that needs them (a connection held in TIME_WAIT keeps its history for a minute).
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
    /** Symbols: a letter's index for the server, plus {@link #CLIENT} for the client; {@link #FLIP} for '^'. */
    private static final int CLIENT = 12;
    private static final int FLIP = 24;
    private static final int BITS = 5;
    /** Letters kept in {@link #packed}; the rest go to {@link #more}. */
    static final int PACKED = 12;

    /** The first {@link #PACKED} symbols, {@link #BITS} bits each, the first in the lowest bits. */
    private long packed;
    private int length;
    /** The letters after the first {@link #PACKED}, as text; null until there are any. */
    private StringBuilder more;
    /**
     * Per side (16 bits each), a bit per slot already recorded once: for s/h, f and r (their sequence slot), a, d, i
     * and q, and for t, w, c and g (counted once they repeat).
     */
    private int seenMask;
    /** Last sequence number seen per side for the SYN, FIN and RST slots, recorded or not (client, then server). */
    private int seqClientSyn, seqClientFin, seqClientRst, seqServerSyn, seqServerFin, seqServerRst;
    /**
     * Per side: occurrences at a new sequence number of the sequence slots; occurrences of t, w, c and g. Made at the
     * first repeat: until then a slot's count is 1 when its bit in {@link #seenMask} is set, else 0.
     */
    private long[] counts;

    void flipped() {
        add(FLIP);
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
        if ((seenMask & bit) == 0) {
            seenMask |= bit;
            setSeq(i, seq);
            append(side, letter); // the first occurrence is always recorded
        } else if (seq(i) != seq) {
            setSeq(i, seq);
            if (recordsSequenceRepeat(++counts()[side.ordinal() * COUNTED + slot])) append(side, letter);
        }
    }

    private void logScale(Side side, int letter) {
        int bit = 1 << (side.ordinal() * 16 + letter);
        if ((seenMask & bit) == 0) {
            seenMask |= bit;
            append(side, letter); // the 1st occurrence: a power of ten
        } else if (isPowerOfTen(++counts()[side.ordinal() * COUNTED + letter])) {
            append(side, letter);
        }
    }

    /** The counts, made at the first repeat with a 1 for every slot seen once so far. */
    private long[] counts() {
        if (counts == null) {
            counts = new long[2 * COUNTED];
            for (int side = 0; side < 2; side++) {
                for (int slot = 0; slot < COUNTED; slot++) {
                    if ((seenMask & 1 << (side * 16 + slot)) != 0) counts[side * COUNTED + slot] = 1;
                }
            }
        }
        return counts;
    }

    private int seq(int i) {
        return switch (i) {
            case 0 -> seqClientSyn;
            case 1 -> seqClientFin;
            case 2 -> seqClientRst;
            case 3 -> seqServerSyn;
            case 4 -> seqServerFin;
            default -> seqServerRst;
        };
    }

    private void setSeq(int i, int seq) {
        switch (i) {
            case 0 -> seqClientSyn = seq;
            case 1 -> seqClientFin = seq;
            case 2 -> seqClientRst = seq;
            case 3 -> seqServerSyn = seq;
            case 4 -> seqServerFin = seq;
            default -> seqServerRst = seq;
        }
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
        add(side == Side.CLIENT ? letter + CLIENT : letter);
    }

    private void add(int symbol) {
        if (length < PACKED) packed |= (long) symbol << (BITS * length);
        else {
            if (more == null) more = new StringBuilder(8);
            more.append(character(symbol));
        }
        length++;
    }

    private static char character(int symbol) {
        if (symbol == FLIP) return '^';
        char c = LETTERS.charAt(symbol % CLIENT);
        return symbol >= CLIENT ? Character.toUpperCase(c) : c;
    }

    /**
     * The texts of recent short histories (all in {@link #packed}), by their symbols: connections of one traffic shape
     * repeat a few histories ({@code ShADadFf}, ...), so a row's history is mostly a look-up, not a builder, an array
     * and a String per connection. Direct-mapped and shared by the threads: an entry is immutable (final fields, safe
     * to read through a race), a slot lost to another history only costs building the text again.
     */
    private static final ShortText[] SHORT_TEXTS = new ShortText[1024];

    private record ShortText(long packed, int length, String text) { }

    @Override
    public String toString() {
        if (more != null) return build();
        long h = (packed ^ length) * 0x9E3779B97F4A7C15L;
        int slot = (int) (h >>> 54); // the top 10 bits: SHORT_TEXTS.length is 1024
        ShortText t = SHORT_TEXTS[slot];
        if (t != null && t.packed == packed && t.length == length) return t.text;
        String text = build();
        SHORT_TEXTS[slot] = new ShortText(packed, length, text);
        return text;
    }

    /** The text built letter by letter (what {@link #toString} keeps in {@link #SHORT_TEXTS}). */
    String build() {
        int n = Math.min(length, PACKED);
        StringBuilder b = new StringBuilder(length);
        for (int k = 0; k < n; k++) b.append(character((int) (packed >>> (BITS * k)) & (1 << BITS) - 1));
        if (more != null) b.append(more);
        return b.toString();
    }
}
