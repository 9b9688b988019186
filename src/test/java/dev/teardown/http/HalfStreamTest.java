package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.teardown.decode.TcpSegment;
import dev.teardown.stream.StreamSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream assembly: retransmissions, overlaps, reordering, holes, snapshot cuts and sequence wrap. */
class HalfStreamTest {

    /** Records the assembled stream as "text" and "[gap n]" pieces. */
    static final class Sink implements StreamSink {
        final List<String> pieces = new ArrayList<>();
        Boolean start;
        byte[] lastArray;

        @Override
        public void begin(boolean streamStart) {
            start = streamStart;
        }

        @Override
        public void data(byte[] b, int off, int len, long t) {
            lastArray = b;
            pieces.add(new String(b, off, len, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        @Override
        public void gap(long len, long t) {
            pieces.add("[gap " + len + "]");
        }

        String text() {
            return String.join("", pieces);
        }
    }

    private final Sink sink = new Sink();
    private final HalfStream stream = new HalfStream(sink, HttpLimits.defaults());
    private final TcpSegment seg = new TcpSegment();
    private final byte[] frame = new byte[2000];

    /** Sends {@code payload} at {@code seq}; the frame buffer is then overwritten, as the next packet would. */
    private void send(int seq, String payload) {
        send(seq, payload, payload.length());
    }

    private void send(int seq, String payload, int wire) {
        seg.seq = seq;
        seg.flags = TcpSegment.ACK;
        seg.payloadOffset = 40;
        seg.payloadLength = wire;
        seg.capturedPayloadLength = payload.length();
        byte[] p = HttpWire.ascii(payload);
        System.arraycopy(p, 0, frame, 40, p.length);
        seg.data = frame;
        stream.onSegment(seg, false);
        Arrays.fill(frame, (byte) '#');
    }

    @Test
    void inOrderDataIsPassedFromTheFrameBufferWithoutCopying() {
        stream.onSyn(99);
        send(100, "hello ");
        assertSame(frame, sink.lastArray);
        send(106, "world");
        assertEquals("hello world", sink.text());
        assertEquals(Boolean.TRUE, sink.start);
    }

    @Test
    void retransmissionsAreDroppedAndOverlapsDeliveredOnce() {
        stream.onSyn(99);
        send(100, "abcdef");
        send(100, "abcdef");
        send(103, "def");
        send(103, "defghi");
        send(95, "xxxxxabcdefghijk"); // starts before the stream: only "jk" is new
        assertEquals("abcdefghijk", sink.text());
    }

    @Test
    void outOfOrderSegmentsAreCopiedHeldAndDeliveredWhenTheHoleFills() {
        stream.onSyn(99);
        send(106, "world");
        send(111, "!");
        assertEquals(List.of(), sink.pieces);
        send(100, "hello ");
        assertEquals("hello world!", sink.text());
        assertEquals(List.of("hello ", "world", "!"), sink.pieces);
    }

    @Test
    void firstPayloadAfterTheSynWaitsForTheBytesBeforeIt() {
        stream.onSyn(-1); // ISN 0xffffffff: the data starts at 0
        send(5, "fghij");
        send(0, "abcde");
        assertEquals("abcdefghij", sink.text());
    }

    @Test
    void sequenceNumbersWrapAroundTwoToTheThirtyTwo() {
        int isn = 0xfffffff0;
        stream.onSyn(isn);
        send(isn + 1, "0123456789"); // 0xfffffff1 .. 0xfffffffa
        send(isn + 21, "KLMNO");      // 0x00000005: after the wrap, out of order
        send(isn + 11, "ABCDEFGHIJ"); // crosses the wrap
        send(isn + 11, "ABCDE");      // old data, though numerically larger than isn + 21
        assertEquals("0123456789ABCDEFGHIJKLMNO", sink.text());
    }

    @Test
    void holeBecomesAGapWhenHeldDataPassesTheBound() {
        HalfStream small = new HalfStream(sink, new HttpLimits(64, 64, 4, 2, 100, 16));
        seg.flags = TcpSegment.ACK;
        small.onSyn(0);
        for (int i = 0; i < 3; i++) {
            seg.seq = 11 + 5 * i;
            seg.payloadLength = 5;
            seg.capturedPayloadLength = 5;
            seg.payloadOffset = 0;
            seg.data = HttpWire.ascii("part" + i);
            small.onSegment(seg, false);
        }
        assertEquals("[gap 10]part0part1part2", sink.text());
    }

    @Test
    void holeThePeerHasAcknowledgedIsAGapAtOnce() {
        stream.onSyn(99);
        send(100, "abc");
        stream.onPeerAck(113); // the receiver got bytes up to 113; the capture has only 100..102
        send(108, "hijkl");
        assertEquals("abc[gap 5]hijkl", sink.text());
    }

    @Test
    void holeNotYetAcknowledgedWaits() {
        stream.onSyn(99);
        send(100, "abc");
        stream.onPeerAck(103);
        send(108, "ijkl");
        assertEquals("abc", sink.text());
        send(103, "defgh");
        assertEquals("abcdefghijkl", sink.text());
    }

    @Test
    void bytesCutByTheSnapshotLengthAreAGap() {
        stream.onSyn(99);
        send(100, "GET / HT", 1400);
        send(1500, "next");
        assertEquals("GET / HT[gap 1392]next", sink.text());
    }

    @Test
    void flushDeclaresTheRemainingHolesAndDeliversHeldData() {
        stream.onSyn(99);
        send(100, "a");
        send(110, "k");
        send(120, "u");
        stream.flush();
        assertEquals("a[gap 9]k[gap 9]u", sink.text());
    }

    @Test
    void streamWithoutSynStartsAtTheFirstPayloadAndSaysSo() {
        send(7000, "midway");
        send(7006, " on");
        assertEquals("midway on", sink.text());
        assertEquals(Boolean.FALSE, sink.start);
    }

    @Test
    void duplicateOutOfOrderSegmentIsHeldOnce() {
        stream.onSyn(99);
        send(105, "fgh");
        send(105, "fgh");
        send(104, "efghij");
        send(100, "abcd");
        assertEquals("abcdefghij", sink.text());
    }

    @Test
    void segmentsWithNoCapturedBytesAreWhollyGaps() {
        stream.onSyn(99);
        seg.flags = TcpSegment.ACK;
        seg.data = null;
        seg.payloadOffset = 0;
        seg.capturedPayloadLength = 0;
        seg.payloadLength = 10;
        seg.seq = 110; // out of order, and nothing to copy
        stream.onSegment(seg, false);
        seg.seq = 100;
        stream.onSegment(seg, false);
        assertEquals("[gap 10][gap 10]", sink.text());
    }
}
