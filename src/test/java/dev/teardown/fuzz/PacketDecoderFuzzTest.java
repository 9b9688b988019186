package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.Frame;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.DecodeTotals;
import dev.teardown.decode.TestSegments;
import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.Tunnel;
import dev.teardown.decode.TcpSegment;
import java.util.Arrays;

/**
 * The link/IP/TCP decoder on any frame bytes under every link type it knows (and one it does not). An input
 * is {@code [link type index][extra original length, 2 bytes big-endian][frame bytes...]}; seeds are frames
 * taken from the project's samples ({@code PacketDecoderFuzzTestInputs}).
 *
 * <p>Each frame is decoded twice: alone in an array of exactly its size, so that any read past its end
 * throws, and inside a larger buffer between other bytes, which must not change a single decoded field: the
 * decoder reads nothing outside the frame's window.
 */
class PacketDecoderFuzzTest {
    static final int[] LINK_TYPES = {
        LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.RAW, LinkTypes.IPV4,
        LinkTypes.IPV6, LinkTypes.NULL, LinkTypes.LOOP, LinkTypes.RAW_12, LinkTypes.RAW_14, 147,
        // Appended, so the seeds' indices above keep their meaning.
        LinkTypes.NFLOG, LinkTypes.PPP, LinkTypes.PPP_HDLC, LinkTypes.PPP_ETHER, LinkTypes.C_HDLC,
    };
    private static final long TIME = 1_700_000_000_123_456_789L;
    private static final int PREFIX = 7;
    private static final int SUFFIX = 64;

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyFrameDecodesWithinItsWindowIntoASaneSegment(byte[] input) {
        if (input.length < 3) return;
        int linkType = LINK_TYPES[(input[0] & 0xff) % LINK_TYPES.length];
        int extra = (input[1] & 0xff) << 8 | (input[2] & 0xff);
        byte[] bytes = Arrays.copyOfRange(input, 3, input.length);

        Frame alone = new Frame();
        alone.set(bytes, 0, bytes.length, bytes.length + extra, TIME, linkType, 0);
        Decoded a = decode(alone);

        byte[] padded = new byte[PREFIX + bytes.length + SUFFIX];
        Arrays.fill(padded, (byte) 0xa5);
        System.arraycopy(bytes, 0, padded, PREFIX, bytes.length);
        Frame inside = new Frame();
        inside.set(padded, PREFIX, bytes.length, bytes.length + extra, TIME, linkType, 0);
        Decoded b = decode(inside);
        check(a.equals(b.shifted(-PREFIX)), "bytes around the frame changed the decoding: " + a + " vs " + b);
    }

    /** Every field a decoding yields, with payload offsets relative to the buffer. */
    /** What the decoder counted, as text to compare (DecodeStats keeps per-reason counters only). */
    private static String counts(DecodeStats stats) {
        return "packets=" + stats.packets() + " tcp=" + stats.tcpSegments() + " skipped=" + DecodeTotals.skipped(stats)
            + " malformed=" + DecodeTotals.malformed(stats);
    }

    record Decoded(PacketDecoder.Result result, int ipVersion, long srcHi, long srcLo, long dstHi, long dstLo,
                   int srcPort, int dstPort, int seq, int ack, int flags, int window, int payloadLength,
                   int payloadOffset, int capturedPayloadLength, boolean hasTimestamp, int tsVal, int tsEcr,
                   long tunnelId, String tunnel, String stats) {
        Decoded shifted(int by) {
            return result != PacketDecoder.Result.TCP ? this : new Decoded(result, ipVersion, srcHi, srcLo, dstHi,
                dstLo, srcPort, dstPort, seq, ack, flags, window, payloadLength, payloadOffset + by,
                capturedPayloadLength, hasTimestamp, tsVal, tsEcr, tunnelId, tunnel, stats);
        }
    }

    private static Decoded decode(Frame frame) {
        DecodeStats stats = new DecodeStats();
        TcpSegment s = new TcpSegment();
        PacketDecoder.Result r = new PacketDecoder(stats).decode(frame, s);
        check(stats.packets() == 1, "one packet counted: " + stats);
        check(stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats) == 1,
            "each packet is TCP, skipped or malformed, once: " + stats);
        check((r == PacketDecoder.Result.TCP) == (stats.tcpSegments() == 1), r + " but " + stats);
        if (r != PacketDecoder.Result.TCP) {
            return new Decoded(r, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, "", counts(stats));
        }
        int start = frame.offset();
        int end = start + frame.capturedLength();
        check(s.ipVersion == 4 || s.ipVersion == 6, "IP version " + s.ipVersion);
        if (s.ipVersion == 4) {
            check(s.srcHi == 0 && s.dstHi == 0 && s.srcLo >>> 32 == 0 && s.dstLo >>> 32 == 0,
                "IPv4 addresses fit 32 bits");
        }
        check(s.srcPort >= 0 && s.srcPort <= 0xffff && s.dstPort >= 0 && s.dstPort <= 0xffff, "ports");
        check(s.flags >= 0 && s.flags <= 0xff && s.window >= 0 && s.window <= 0xffff, "flags and window");
        check(s.payloadLength >= 0, "payload length " + s.payloadLength);
        check(s.capturedPayloadLength >= 0 && s.capturedPayloadLength <= s.payloadLength,
            "captured payload " + s.capturedPayloadLength + " of " + s.payloadLength);
        check(s.payloadOffset >= start, "payload offset " + s.payloadOffset + " before the frame at " + start);
        check(s.capturedPayloadLength == 0 || s.payloadOffset + s.capturedPayloadLength <= end,
            "captured payload [" + s.payloadOffset + ", +" + s.capturedPayloadLength + ") past the frame end " + end);
        check(s.data == frame.data(), "the segment points into the frame's buffer");
        check(s.timeNanos == TIME, "time");
        check(TestSegments.sequenceLength(s) >= 0, "sequence length");
        check(s.tunnelDepth >= 0 && s.tunnelDepth <= Tunnel.MAX_DEPTH, "tunnel depth " + s.tunnelDepth);
        return new Decoded(r, s.ipVersion, s.srcHi, s.srcLo, s.dstHi, s.dstLo, s.srcPort, s.dstPort, s.seq, s.ack,
            s.flags, s.window, s.payloadLength, s.payloadOffset, s.capturedPayloadLength, s.hasTimestamp,
            s.hasTimestamp ? s.tsVal : 0, s.hasTimestamp ? s.tsEcr : 0, s.tunnelId, Tunnel.describe(s), counts(stats));
    }
}
