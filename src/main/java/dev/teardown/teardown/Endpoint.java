package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Seq;

/**
 * What one side of a connection has sent and the TCP state it is inferred to be in.
 *
 * <p>The connection moves both sides with the same code, passing the side: nothing here is written twice
 * for client and server.
 */
public final class Endpoint {
    final Side side;
    TcpState state = TcpState.NONE;
    long packets;
    long bytes;

    boolean synSeen;
    int isn;
    boolean seqKnown;
    /** Highest sequence number sent plus its length: what the peer should acknowledge next. */
    int seqEnd;
    /**
     * Once this side's SYN was seen: the end of the bytes it sent that the capture held without a hole, or that the
     * peer acknowledged (Zeek's reassembly point). The peer acknowledging past it means the tap missed bytes.
     */
    int frontier;
    /**
     * Blocks of bytes seen beyond a hole above {@link #frontier}, made when a segment first jumps ahead: element 0
     * counts them, then each block's start and end, in sequence order. At most {@link #MAX_BLOCKS}.
     */
    private int[] beyond;
    /** Blocks kept beyond a hole; past that the two closest merge (the hole between them is then never reported). */
    static final int MAX_BLOCKS = 4;

    boolean finSeen;
    /** Sequence number the FIN occupies; the peer acknowledges it with {@code finSeq + 1}. */
    int finSeq;
    long finNanos = PacketTime.UNSET;
    /** The ACK field the first FIN carried, valid when {@link #finCarriedAck}. */
    int finAck;
    boolean finCarriedAck;
    boolean finAcked;

    boolean rstSeen;
    long rstNanos = PacketTime.UNSET;

    /** This side has acknowledged the peer's latest FIN (reset when the peer retransmits it). */
    boolean ackedPeerFin;
    /** This side sent new data after the peer's FIN: a half-close. */
    boolean dataAfterPeerFin;

    /** When this side's TIME-WAIT began (its last restart), or {@link PacketTime#UNSET} if it never entered it. */
    long timeWaitStartNanos = PacketTime.UNSET;
    /** Whether this side's ACK of the peer's FIN that began TIME-WAIT was seen. */
    boolean timeWaitConfirmed;
    /**
     * Whether TIME-WAIT began with the peer's FIN (FIN-WAIT-2, or a FIN retransmitted into TIME-WAIT), so this
     * side's ACK of it marks the start; false when it began with the ACK of our own FIN (CLOSING).
     */
    boolean timeWaitFromPeerFin;
    /** When TIME-WAIT was cut short (a RST, or the tuple accepted a new SYN), or {@link PacketTime#UNSET}. */
    long timeWaitCutNanos = PacketTime.UNSET;

    /**
     * {@code FIN_WAIT_2} or {@code CLOSE_WAIT} once this side entered it, else {@code NONE}. A side enters at most
     * one of the two, once: CLOSE-WAIT means the peer's FIN came first, after which this side cannot be in
     * FIN-WAIT-1, the only way into FIN-WAIT-2.
     */
    TcpState halfClosed = TcpState.NONE;
    /** When this side entered {@link #halfClosed}, or {@link PacketTime#UNSET}. */
    long halfClosedStartNanos = PacketTime.UNSET;
    /** When it left it (the passive closer's FIN, or a RST), or {@link PacketTime#UNSET} while it lasts. */
    long halfClosedEndNanos = PacketTime.UNSET;
    /** Whether a RST, rather than a FIN, ended {@link #halfClosed}. */
    boolean halfClosedEndedByRst;

    /**
     * The newest TSval this side sent (RFC 7323 section 4.3: what its peer keeps as {@code ts_recent}; newest by
     * signed 32-bit order) and when it came, {@link PacketTime#UNSET} before any segment with timestamps. Kept
     * here, on the object every segment touches anyway, for the timestamp-clock accounting.
     */
    int tsRecent;
    long tsRecentNanos = PacketTime.UNSET;

    Endpoint(Side side) {
        this.side = side;
    }

    /** A segment from this side carried TSval {@code tsVal} at {@code nanos}. */
    void noteTimestamp(int tsVal, long nanos) {
        if (!PacketTime.isSet(tsRecentNanos) || tsVal - tsRecent >= 0) {
            tsRecent = tsVal;
            tsRecentNanos = nanos;
        }
    }

    /** This side's SYN, at {@code isn}, was seen: its bytes are followed from {@code isn + 1}. */
    void startBytes(int isn) {
        frontier = isn + 1;
        beyond = null;
    }

    /**
     * The capture held this side's bytes {@code [from, to)}: the frontier moves over them if they join it, else they
     * are kept as a block beyond a hole. Only once this side's SYN was seen.
     */
    void bytesSeen(int from, int to) {
        if (Seq.le(to, frontier)) return;
        if (Seq.le(from, frontier)) {
            frontier = to;
            absorbBlocks();
            return;
        }
        if (beyond == null) beyond = new int[1 + 2 * (MAX_BLOCKS + 1)];
        int n = beyond[0];
        // Insert in order of start, then merge what overlaps or touches.
        int at = n;
        while (at > 0 && Seq.gt(beyond[2 * at - 1], from)) {
            beyond[2 * at + 1] = beyond[2 * at - 1];
            beyond[2 * at + 2] = beyond[2 * at];
            at--;
        }
        beyond[2 * at + 1] = from;
        beyond[2 * at + 2] = to;
        beyond[0] = mergeBlocks(n + 1);
        if (beyond[0] > MAX_BLOCKS) mergeClosest();
    }

    /**
     * The peer acknowledged up to {@code ack}; returns how many holes in this side's bytes that acknowledgement
     * passes (Zeek counts a content gap per hole). The FIN's own sequence number is not a byte, so an
     * acknowledgement of the FIN counts up to the FIN. Only once this side's SYN was seen.
     */
    int acknowledged(int ack) {
        int upTo = finSeen && Seq.gt(ack, finSeq) ? finSeq : ack;
        if (Seq.le(upTo, frontier)) return 0;
        int holes = 0;
        int n = beyond == null ? 0 : beyond[0];
        int taken = 0;
        // Every block kept starts past the frontier, so a hole lies before each one the acknowledgement reaches.
        while (taken < n && Seq.lt(beyond[2 * taken + 1], upTo)) {
            holes++;
            int end = beyond[2 * taken + 2];
            if (Seq.gt(end, frontier)) frontier = end;
            taken++;
        }
        if (taken > 0) removeBlocks(taken);
        if (Seq.lt(frontier, upTo)) {
            holes++;
            frontier = upTo;
            absorbBlocks();
        }
        return holes;
    }

    /** Moves the frontier over the blocks it now reaches. */
    private void absorbBlocks() {
        if (beyond == null) return;
        int n = beyond[0];
        int taken = 0;
        while (taken < n && Seq.le(beyond[2 * taken + 1], frontier)) {
            int end = beyond[2 * taken + 2];
            if (Seq.gt(end, frontier)) frontier = end;
            taken++;
        }
        if (taken > 0) removeBlocks(taken);
    }

    private void removeBlocks(int taken) {
        int n = beyond[0];
        System.arraycopy(beyond, 1 + 2 * taken, beyond, 1, 2 * (n - taken));
        beyond[0] = n - taken;
    }

    /** Merges the blocks among the first {@code n} (sorted by start) that overlap or touch; returns how many stay. */
    private int mergeBlocks(int n) {
        int kept = 1;
        for (int i = 1; i < n; i++) {
            int start = beyond[2 * i + 1];
            int end = beyond[2 * i + 2];
            if (Seq.le(start, beyond[2 * kept])) {
                if (Seq.gt(end, beyond[2 * kept])) beyond[2 * kept] = end;
            } else {
                beyond[2 * kept + 1] = start;
                beyond[2 * kept + 2] = end;
                kept++;
            }
        }
        return kept;
    }

    /** One block too many: the two with the smallest hole between them become one. */
    private void mergeClosest() {
        int n = beyond[0];
        int best = 0;
        for (int i = 1; i < n - 1; i++) {
            if (beyond[2 * i + 3] - beyond[2 * i + 2] < beyond[2 * best + 3] - beyond[2 * best + 2]) best = i;
        }
        beyond[2 * best + 2] = beyond[2 * best + 4];
        System.arraycopy(beyond, 2 * best + 5, beyond, 2 * best + 3, 2 * (n - best - 2));
        beyond[0] = n - 1;
    }

    /** Applies one event at packet time {@code nanos}; returns the state before it. */
    TcpState apply(TcpEvent event, long nanos) {
        TcpState before = state;
        state = state.next(event);
        if (state != before) recordHalfClosed(before, nanos);
        if (state == TcpState.TIME_WAIT && before != TcpState.TIME_WAIT) {
            timeWaitStartNanos = nanos;
            timeWaitConfirmed = ackedPeerFin;
            timeWaitFromPeerFin = event == TcpEvent.RECV_FIN;
        }
        return before;
    }

    /** Notes entering or leaving FIN-WAIT-2 or CLOSE-WAIT, on the move from {@code before} to {@link #state}. */
    private void recordHalfClosed(TcpState before, long nanos) {
        if (state == TcpState.FIN_WAIT_2 || state == TcpState.CLOSE_WAIT) {
            halfClosed = state;
            halfClosedStartNanos = nanos;
        } else if (before == halfClosed && before != TcpState.NONE) {
            if (state == TcpState.CLOSING) {
                // Our FIN did not acknowledge the peer's: we sent it before the peer's FIN reached us, so we were
                // never in CLOSE-WAIT; the tap merely saw the peer's FIN first (crossed FINs, RFC 9293 section 3.6).
                forgetHalfClosed();
            } else {
                halfClosedEndNanos = nanos;
                halfClosedEndedByRst = state == TcpState.RESET;
            }
        }
    }

    /**
     * The FIN that just moved this side out of FIN-WAIT-2 also carried the ACK that moved it in: RFC 9293 section
     * 3.10.7.4, FIN-WAIT-1, "if our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT". The
     * side never waited in FIN-WAIT-2.
     */
    void skippedFinWait2() {
        if (halfClosed == TcpState.FIN_WAIT_2) forgetHalfClosed();
    }

    private void forgetHalfClosed() {
        halfClosed = TcpState.NONE;
        halfClosedStartNanos = PacketTime.UNSET;
        halfClosedEndNanos = PacketTime.UNSET;
        halfClosedEndedByRst = false;
    }

    /** The peer sent (or re-sent) its FIN: it needs acknowledging again; in TIME-WAIT the timer restarts. */
    void peerFinArrived(long nanos) {
        ackedPeerFin = false;
        if (state == TcpState.TIME_WAIT) {
            timeWaitStartNanos = nanos;
            timeWaitConfirmed = false;
            timeWaitFromPeerFin = true;
        }
    }

    /**
     * This side acknowledged the peer's FIN. When the peer's FIN is what put this side in TIME-WAIT
     * (FIN-WAIT-2, or a retransmitted FIN), that ACK is the moment the 2*MSL timer runs from (RFC 9293 section
     * 3.10.7.4). After crossed FINs the side entered TIME-WAIT from CLOSING on the ACK of its own FIN, and had
     * sent this ACK before, while CLOSING, however late the tap sees it: the start stays.
     */
    void ackedPeerFin(long nanos) {
        ackedPeerFin = true;
        if (state == TcpState.TIME_WAIT) {
            if (timeWaitFromPeerFin) timeWaitStartNanos = nanos;
            timeWaitConfirmed = true;
        }
    }

    /** Does {@code ack} acknowledge this side's FIN? */
    boolean finAckedBy(int ack) {
        return finSeen && Seq.ge(ack, finSeq + 1);
    }

    /** True if this side entered TIME-WAIT or, where the capture ends first, is on its way there. */
    boolean holdsTimeWait(boolean connectionReset) {
        return PacketTime.isSet(timeWaitStartNanos) || (!connectionReset && state.isActiveClosing());
    }

    /** When this side's TIME-WAIT began (its last restart), or {@link PacketTime#UNSET} if it never entered it. */
    public long timeWaitStartNanos() { return timeWaitStartNanos; }

    /** The newest TSval this side sent, by signed 32-bit order; meaningful once {@link #tsRecentNanos()} is set. */
    public int tsRecent() { return tsRecent; }

    /** When the newest TSval this side sent came, or {@link PacketTime#UNSET} if it sent no timestamps. */
    public long tsRecentNanos() { return tsRecentNanos; }

    /** When this side's TIME-WAIT ended or will end, given its length; {@link PacketTime#UNSET} if it never entered it. */
    public long timeWaitEndNanos(long timeWaitNanos) {
        return timeWaitEnd(timeWaitStartNanos, timeWaitCutNanos, timeWaitNanos);
    }

    /** The end of a TIME-WAIT begun at {@code startNanos} and cut at {@code cutNanos} (both may be UNSET). */
    static long timeWaitEnd(long startNanos, long cutNanos, long timeWaitNanos) {
        if (!PacketTime.isSet(startNanos)) return PacketTime.UNSET;
        long natural = startNanos + timeWaitNanos;
        return PacketTime.isSet(cutNanos) ? Math.min(natural, cutNanos) : natural;
    }

    public Side side() { return side; }

    /** Whether this side sent a FIN. */
    public boolean finSeen() { return finSeen; }

    /** When this side first sent a FIN, or {@link PacketTime#UNSET}. */
    public long finNanos() { return finNanos; }

    /** Whether this side sent a RST. */
    public boolean rstSeen() { return rstSeen; }

    /** When this side first sent a RST, or {@link PacketTime#UNSET}. */
    public long rstNanos() { return rstNanos; }

    public TcpState state() { return state; }

    public long packets() { return packets; }

    /** TCP payload bytes sent, retransmissions included. */
    public long bytes() { return bytes; }
}
