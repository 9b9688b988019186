package dev.teardown.pipeline;

import dev.teardown.decode.TcpSegment;
import java.nio.ByteBuffer;

/**
 * A decoded TCP segment as one compact byte array, to carry it between processes (a sharded run sends each segment
 * to the shard its connection belongs to): the header fields every stage reads, the tunnel layers, and the captured
 * payload, at most a given number of bytes of it.
 *
 * <p>Layout: ten longs (time, source and destination address, ports/window/flags/IP version/timestamp option,
 * sequence and acknowledgement numbers, timestamp values, payload and captured lengths, tunnel id), a byte of tunnel
 * depth and that many longs, then the captured payload. A payload cut by the cap reads as a snaplen does: the
 * segment's length stays, fewer bytes were captured.
 */
public final class SegmentCodec {
    private static final int FIXED = 10 * Long.BYTES + 1;

    private SegmentCodec() {}

    /** {@code s} as bytes, with at most {@code payloadCap} bytes of its captured payload. */
    public static byte[] encode(TcpSegment s, int payloadCap) {
        int captured = Math.min(s.capturedPayloadLength, Math.max(0, payloadCap));
        ByteBuffer b = ByteBuffer.allocate(FIXED + s.tunnelDepth * Long.BYTES + captured);
        b.putLong(s.timeNanos).putLong(s.srcHi).putLong(s.srcLo).putLong(s.dstHi).putLong(s.dstLo);
        b.putLong((long) s.srcPort << 48 | (long) s.dstPort << 32 | (long) s.window << 16 | s.flags << 8
            | s.ipVersion << 1 | (s.hasTimestamp ? 1 : 0));
        b.putLong((long) s.seq << 32 | (s.ack & 0xffff_ffffL));
        b.putLong((long) s.tsVal << 32 | (s.tsEcr & 0xffff_ffffL));
        b.putLong((long) s.payloadLength << 32 | captured);
        b.putLong(s.tunnelId);
        b.put((byte) s.tunnelDepth);
        for (int i = 0; i < s.tunnelDepth; i++) b.putLong(s.tunnelLayers[i]);
        b.put(s.data, s.payloadOffset, captured);
        return b.array();
    }

    /** Fills {@code s} from {@code bytes} ({@link #encode}); its payload points into {@code bytes}. */
    public static void decode(byte[] bytes, TcpSegment s) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        s.timeNanos = b.getLong();
        s.srcHi = b.getLong();
        s.srcLo = b.getLong();
        s.dstHi = b.getLong();
        s.dstLo = b.getLong();
        long bits = b.getLong();
        s.srcPort = (int) (bits >>> 48);
        s.dstPort = (int) (bits >>> 32) & 0xffff;
        s.window = (int) (bits >>> 16) & 0xffff;
        s.flags = (int) (bits >>> 8) & 0xff;
        s.ipVersion = (int) (bits >>> 1) & 0x7f;
        s.hasTimestamp = (bits & 1) != 0;
        long seqAck = b.getLong();
        s.seq = (int) (seqAck >>> 32);
        s.ack = (int) seqAck;
        long ts = b.getLong();
        s.tsVal = (int) (ts >>> 32);
        s.tsEcr = (int) ts;
        long lengths = b.getLong();
        s.payloadLength = (int) (lengths >>> 32);
        s.capturedPayloadLength = (int) lengths;
        s.tunnelId = b.getLong();
        s.tunnelDepth = b.get();
        for (int i = 0; i < s.tunnelDepth; i++) s.tunnelLayers[i] = b.getLong();
        s.data = bytes;
        s.payloadOffset = b.position();
    }
}
