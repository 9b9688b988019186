package dev.teardown.hostile;

import java.util.Arrays;

/**
 * Writes a classic pcap capture (little-endian, nanosecond magic, Ethernet) packet by packet into memory, fast
 * enough for millions of packets: each TCP/IP packet is laid out by offset, with no object per packet.
 */
public final class PcapBuilder {
    private static final int ETHERNET = 1;
    private static final int RECORD_HEADER = 16;
    private static final int ETHERNET_HEADER = 14;

    private byte[] buf;
    private int size;
    private long packets;

    /** A capture with the file header written; {@code expectedPackets} only sizes the first buffer. */
    public PcapBuilder(int expectedPackets) {
        buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, 24 + 96L * Math.max(1, expectedPackets))];
        u32(0xa1b23c4d);
        u16(2);
        u16(4);
        u32(0);
        u32(0);
        u32(262_144);
        u32(ETHERNET);
    }

    /** One endpoint of a packet: a 4- or 16-byte address and a port. */
    public record Endpoint(byte[] address, int port) {
        public Endpoint {
            if (address.length != 4 && address.length != 16) {
                throw new IllegalArgumentException("an address has 4 or 16 bytes");
            }
        }

        /** The same address with another port. */
        public Endpoint port(int p) {
            return new Endpoint(address, p);
        }

        /** An IPv4 endpoint from four octets. */
        public static Endpoint v4(int a, int b, int c, int d, int port) {
            return new Endpoint(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, port);
        }

        /** An IPv4 endpoint from a 32-bit address. */
        public static Endpoint v4(int address, int port) {
            return v4(address >>> 24, address >>> 16 & 0xff, address >>> 8 & 0xff, address & 0xff, port);
        }

        /** An IPv6 endpoint from its high and low 64 bits. */
        public static Endpoint v6(long hi, long lo, int port) {
            byte[] a = new byte[16];
            for (int i = 0; i < 8; i++) {
                a[i] = (byte) (hi >>> (56 - 8 * i));
                a[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
            return new Endpoint(a, port);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint e && e.port == port && Arrays.equals(e.address, address);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address) * 31 + port;
        }

        @Override
        public String toString() {
            return Arrays.toString(address) + ":" + port;
        }
    }

    /** A TCP segment with no options and no payload. */
    public PcapBuilder tcp(long timeNanos, Endpoint src, Endpoint dst, int seq, int ack, int flags) {
        return tcp(timeNanos, src, dst, seq, ack, flags, NO_BYTES, NO_BYTES);
    }

    private static final byte[] NO_BYTES = new byte[0];

    /**
     * A TCP segment in an IPv4 or IPv6 packet in an Ethernet frame; {@code options} must fill whole 32-bit
     * words (pad with NOP or EOL) and may be up to 40 bytes.
     */
    public PcapBuilder tcp(long timeNanos, Endpoint src, Endpoint dst, int seq, int ack, int flags, byte[] options,
                           byte[] payload) {
        if (options.length % 4 != 0 || options.length > 40) {
            throw new IllegalArgumentException("TCP options fill whole words, at most 40 bytes");
        }
        if (src.address.length != dst.address.length) {
            throw new IllegalArgumentException("both ends use one IP version");
        }
        boolean v6 = src.address.length == 16;
        int tcpLength = 20 + options.length + payload.length;
        int ipHeader = v6 ? 40 : 20;
        int frameLength = ETHERNET_HEADER + ipHeader + tcpLength;
        record(timeNanos, frameLength, frameLength);
        // Ethernet: destination 02:..:02, source 02:..:01, ethertype.
        byte[] b = buf;
        int p = size;
        b[p] = 2; b[p + 5] = 2; b[p + 6] = 2; b[p + 11] = 1;
        b[p + 12] = (byte) (v6 ? 0x86 : 0x08);
        b[p + 13] = (byte) (v6 ? 0xdd : 0x00);
        p += ETHERNET_HEADER;
        if (v6) {
            b[p] = 0x60;
            put16(b, p + 4, tcpLength);
            b[p + 6] = 6;
            b[p + 7] = 64;
            System.arraycopy(src.address, 0, b, p + 8, 16);
            System.arraycopy(dst.address, 0, b, p + 24, 16);
        } else {
            b[p] = 0x45;
            put16(b, p + 2, 20 + tcpLength);
            b[p + 6] = 0x40; // DF
            b[p + 8] = 64;
            b[p + 9] = 6;
            System.arraycopy(src.address, 0, b, p + 12, 4);
            System.arraycopy(dst.address, 0, b, p + 16, 4);
        }
        p += ipHeader;
        put16(b, p, src.port);
        put16(b, p + 2, dst.port);
        put32(b, p + 4, seq);
        put32(b, p + 8, ack);
        b[p + 12] = (byte) ((20 + options.length) / 4 << 4);
        b[p + 13] = (byte) flags;
        put16(b, p + 14, 64240);
        System.arraycopy(options, 0, b, p + 20, options.length);
        System.arraycopy(payload, 0, b, p + 20 + options.length, payload.length);
        size += frameLength;
        return this;
    }

    /** A record holding {@code frame} as given: any bytes, with a chosen original length. */
    public PcapBuilder raw(long timeNanos, byte[] frame, int originalLength) {
        record(timeNanos, frame.length, originalLength);
        System.arraycopy(frame, 0, buf, size, frame.length);
        size += frame.length;
        return this;
    }

    /**
     * A record header for {@code capturedLength} bytes to follow; the time is split into the 32-bit seconds
     * and nanoseconds fields of the file format (seconds past 2106 or before 1970 cannot be written).
     */
    private void record(long timeNanos, int capturedLength, int originalLength) {
        if (timeNanos < 0 || timeNanos / 1_000_000_000L > 0xffff_ffffL) {
            throw new IllegalArgumentException("classic pcap holds unsigned 32-bit seconds: " + timeNanos);
        }
        ensure(RECORD_HEADER + capturedLength);
        u32(timeNanos / 1_000_000_000L);
        u32(timeNanos % 1_000_000_000L);
        u32(capturedLength);
        u32(originalLength);
        ensure(capturedLength);
        Arrays.fill(buf, size, size + capturedLength, (byte) 0);
        packets++;
    }

    /** Packets written so far. */
    public long packets() {
        return packets;
    }

    /** The capture as written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * buf.length, size + (long) more)));
        }
    }

    private void u16(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
    }

    private void u32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) buf[size++] = (byte) (v >>> (8 * i));
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
