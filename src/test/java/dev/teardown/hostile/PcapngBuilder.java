package dev.teardown.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a little-endian pcapng capture: one section, Ethernet interfaces whose timestamp resolution and
 * offset are chosen freely (so times before 1970 or past the 64-bit nanosecond range can be written), and
 * enhanced packet blocks holding frames taken from a {@link PcapBuilder} capture.
 */
public final class PcapngBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PcapngBuilder() {
        ByteBuffer body = body(16);
        body.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1L);
        block(0x0a0d0d0a, body);
    }

    /**
     * An interface description block for Ethernet.
     *
     * @param tsresol the {@code if_tsresol} byte (high bit: base 2), or -1 for the default microseconds
     * @param tsoffsetSeconds the {@code if_tsoffset} seconds added to every timestamp (signed), or null for none
     */
    public PcapngBuilder iface(int tsresol, Long tsoffsetSeconds) {
        ByteBuffer body = body(8 + 8 + 16 + 4);
        body.putShort((short) 1).putShort((short) 0).putInt(0);
        if (tsresol >= 0) body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        if (tsoffsetSeconds != null) body.putShort((short) 14).putShort((short) 8).putLong(tsoffsetSeconds);
        body.putShort((short) 0).putShort((short) 0);
        return block(1, body);
    }

    /** An enhanced packet block on interface {@code interfaceId} with an unsigned 64-bit tick count. */
    public PcapngBuilder packet(int interfaceId, long ticks, byte[] frame) {
        int padded = (frame.length + 3) & ~3;
        ByteBuffer body = body(20 + padded);
        body.putInt(interfaceId).putInt((int) (ticks >>> 32)).putInt((int) ticks).putInt(frame.length)
            .putInt(frame.length).put(frame);
        body.position(20 + padded);
        return block(6, body);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    /**
     * The frames of a classic pcap capture written by {@link PcapBuilder} (16-byte record headers after a
     * 24-byte file header), in order.
     */
    public static java.util.List<byte[]> framesOf(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        int p = 24;
        while (p + 16 <= pcap.length) {
            int length = b.getInt(p + 8);
            frames.add(java.util.Arrays.copyOfRange(pcap, p + 16, p + 16 + length));
            p += 16 + length;
        }
        return frames;
    }

    private static ByteBuffer body(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private PcapngBuilder block(int type, ByteBuffer body) {
        int length = 12 + body.position();
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(length).put(body.array(), 0, body.position()).putInt(length);
        out.writeBytes(b.array());
        return this;
    }
}
