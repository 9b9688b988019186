package dev.teardown.http;

import dev.teardown.decode.Seq;
import dev.teardown.decode.TcpSegment;
import dev.teardown.stream.StreamSink;
import java.util.Arrays;

/**
 * One direction's TCP payload turned into an in-order byte stream for a {@link StreamSink}.
 *
 * <p>In-order data is passed straight from the frame buffer, without copying. Retransmitted and overlapping
 * bytes are delivered once (sequence numbers compared wrap-safe, RFC 9293 section 3.4). A segment beyond
 * the next expected byte is copied and held, up to {@link HttpLimits#maxHeldSegments()} segments and
 * {@link HttpLimits#maxHeldBytes()} bytes; the hole before it is declared a gap when the bound is passed,
 * when the peer has already acknowledged past the hole (the receiver got bytes the capture missed), or when
 * the connection is finished. Bytes a snapshot length cut off are a gap too.
 */
final class HalfStream {
    private static final byte[] NOTHING = new byte[0];
    private final StreamSink sink;
    private final int maxHeldSegments;
    private final int maxHeldBytes;
    private boolean synSeen;
    private boolean started;
    /** The sequence number of the next byte the sink expects. */
    private int next;
    private boolean peerAckKnown;
    private int peerAck;

    private int held;
    private int heldBytes;
    private int[] heldSeq;
    private int[] heldWire;
    private byte[][] heldData;
    private long[] heldNanos;

    HalfStream(StreamSink sink, HttpLimits limits) {
        this.sink = sink;
        this.maxHeldSegments = limits.maxHeldSegments();
        this.maxHeldBytes = limits.maxHeldBytes();
    }

    /** The side's SYN: its data starts at {@code seq + 1} (RFC 9293 section 3.4). */
    void onSyn(int seq) {
        if (started || synSeen) return;
        synSeen = true;
        next = seq + 1;
    }

    boolean started() {
        return started;
    }

    /**
     * A segment of this direction carrying payload; {@code startWithoutSyn} says whether, when no SYN was
     * passed in, the first payload is still known to be the stream's start (the teardown stage saw the SYN).
     */
    void onSegment(TcpSegment seg, boolean startWithoutSyn) {
        int wire = seg.payloadLength;
        if (wire <= 0) return;
        int seq = seg.has(TcpSegment.SYN) ? seg.seq + 1 : seg.seq;
        if (!started) {
            started = true;
            if (!synSeen) next = seq;
            sink.begin(synSeen || startWithoutSyn);
        }
        long t = seg.timeNanos;
        int captured = captured(seg);
        if (Seq.le(seq + wire, next)) return; // every byte already delivered: a retransmission
        if (Seq.le(seq, next)) {
            deliver(seg.data, seg.payloadOffset, captured, seq, wire, t);
            drain(t);
        } else {
            hold(seg.data, seg.payloadOffset, captured, seq, wire, t);
        }
    }

    /** The peer acknowledged up to {@code ack}: a hole below it was received, so the capture lost it. */
    void onPeerAck(int ack) {
        if (!peerAckKnown || Seq.gt(ack, peerAck)) {
            peerAck = ack;
            peerAckKnown = true;
        }
        if (held > 0) settle();
    }

    /** The connection is finished: every hole before held data is a gap, and the held data is delivered. */
    void flush() {
        while (held > 0) forceGap();
    }

    /** As the constructor leaves it: the next conversation reuses this stream (and its sink). */
    void reset() {
        release();
        synSeen = false;
        started = false;
        next = 0;
        peerAckKnown = false;
        peerAck = 0;
    }

    /** Drops held data for good: the connection left HTTP. */
    void release() {
        held = 0;
        heldBytes = 0;
        heldSeq = null;
        heldWire = null;
        heldData = null;
        heldNanos = null;
    }

    /** Payload bytes present in the frame, at most the declared length, never beyond the buffer. */
    static int captured(TcpSegment seg) {
        if (seg.data == null || seg.payloadOffset < 0) return 0;
        int c = Math.min(seg.capturedPayloadLength, seg.payloadLength);
        return Math.max(0, Math.min(c, seg.data.length - seg.payloadOffset));
    }

    /** Delivers a segment that starts at or before {@link #next} and ends after it. */
    private void deliver(byte[] b, int off, int captured, int seq, int wire, long t) {
        int skip = next - seq;
        next = seq + wire;
        if (skip < captured) sink.data(b, off + skip, captured - skip, t);
        int missingFrom = Math.max(skip, captured);
        if (missingFrom < wire) sink.gap(wire - missingFrom, t); // cut by the snapshot length
    }

    private void hold(byte[] b, int off, int captured, int seq, int wire, long t) {
        if (heldSeq == null) {
            heldSeq = new int[maxHeldSegments + 1];
            heldWire = new int[maxHeldSegments + 1];
            heldData = new byte[maxHeldSegments + 1][];
            heldNanos = new long[maxHeldSegments + 1];
        }
        for (int i = 0; i < held; i++) {
            if (heldSeq[i] == seq && heldWire[i] >= wire) return; // the same out-of-order segment again
        }
        if (held == heldSeq.length) forceGap();
        heldSeq[held] = seq;
        heldWire[held] = wire;
        heldData[held] = captured == 0 ? NOTHING : Arrays.copyOfRange(b, off, off + captured);
        heldNanos[held] = t;
        held++;
        heldBytes += captured;
        settle();
    }

    /** Declares gaps while held data passes a bound or sits beyond a hole the peer has acknowledged. */
    private void settle() {
        while (held > 0 && (held > maxHeldSegments || heldBytes > maxHeldBytes || ackedPastHole())) forceGap();
    }

    private boolean ackedPastHole() {
        return peerAckKnown && Seq.gt(peerAck, next) && Seq.le(heldSeq[lowestHeld()], peerAck);
    }

    /**
     * Gives up on the hole before the lowest held segment: a gap, then whatever is now in order, each at its
     * own capture time (the receiver had those bytes then; only the capture missed the hole).
     */
    private void forceGap() {
        int i = lowestHeld();
        int lowest = heldSeq[i];
        long when = heldNanos[i];
        int missing = lowest - next;
        next = lowest;
        sink.gap(missing, when);
        drain(when);
    }

    private int lowestHeld() {
        int best = 0;
        for (int i = 1; i < held; i++) if (Seq.lt(heldSeq[i], heldSeq[best])) best = i;
        return best;
    }

    /**
     * Delivers held segments that the stream has reached, in order: complete at {@code t}, when the hole
     * before them filled, or at their own capture time if later.
     */
    private void drain(long t) {
        int i = 0;
        while (i < held) {
            if (Seq.gt(heldSeq[i], next)) {
                i++;
                continue;
            }
            int seq = heldSeq[i];
            int wire = heldWire[i];
            byte[] data = heldData[i];
            long when = Math.max(t, heldNanos[i]);
            remove(i);
            if (Seq.gt(seq + wire, next)) deliver(data, 0, data.length, seq, wire, when);
            i = 0; // next moved: look again from the start
        }
    }

    private void remove(int i) {
        heldBytes -= heldData[i].length;
        held--;
        heldSeq[i] = heldSeq[held];
        heldWire[i] = heldWire[held];
        heldData[i] = heldData[held];
        heldNanos[i] = heldNanos[held];
        heldData[held] = null;
    }
}
