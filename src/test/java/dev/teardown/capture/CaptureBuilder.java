package dev.teardown.capture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes pcap and pcapng captures byte by byte for tests, remembering where each record starts and ends. */
final class CaptureBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private boolean bigEndian;
    /** Offsets where a record (pcap) or block (pcapng) ends; a cut there is a clean end of file. */
    private final List<Long> boundaries = new ArrayList<>();
    /** Offset of each packet record, in file order. */
    private final List<Long> packetOffsets = new ArrayList<>();
    private final List<Long> packetEnds = new ArrayList<>();
    private long headerEnd;

    private CaptureBuilder(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    /** An empty writer, for block bodies and hand-made bytes. */
    static CaptureBuilder raw(boolean bigEndian) {
        return new CaptureBuilder(bigEndian);
    }

    // ---- classic pcap ----

    /** A pcap file header with the standard micro- or nanosecond magic. */
    static CaptureBuilder pcap(boolean bigEndian, boolean nanos, long snapLength, int linkTypeField) {
        return pcapWithMagic(bigEndian, nanos ? 0xa1b23c4d : 0xa1b2c3d4, snapLength, linkTypeField);
    }

    static CaptureBuilder pcapWithMagic(boolean bigEndian, int magic, long snapLength, int linkTypeField) {
        CaptureBuilder b = new CaptureBuilder(bigEndian);
        b.u32(magic).u16(2).u16(4).u32(0).u32(0).u32(snapLength).u32(linkTypeField);
        b.headerEnd = b.size();
        b.boundaries.add(b.size());
        return b;
    }

    /** A pcap record whose captured and original lengths are the data length. */
    CaptureBuilder record(long seconds, long fraction, byte[] data) {
        return record(seconds, fraction, data, data.length);
    }

    CaptureBuilder record(long seconds, long fraction, byte[] data, long originalLength) {
        return recordWithLengths(seconds, fraction, data, data.length, originalLength);
    }

    /** A pcap record whose captured-length field may lie about the data that follows. */
    CaptureBuilder recordWithLengths(long seconds, long fraction, byte[] data, long capturedLength, long originalLength) {
        packetOffsets.add(size());
        u32(seconds).u32(fraction).u32(capturedLength).u32(originalLength).bytes(data);
        return packetEnd();
    }

    /** A record of the "modified" pcap variant: eight more header bytes (ifindex, protocol, type, pad). */
    CaptureBuilder modifiedRecord(long seconds, long fraction, byte[] data) {
        packetOffsets.add(size());
        u32(seconds).u32(fraction).u32(data.length).u32(data.length).u32(7).u16(0x0800).u8(0).u8(0).bytes(data);
        return packetEnd();
    }

    // ---- pcapng ----

    /** A pcapng file starting with a section header block in the given byte order. */
    static CaptureBuilder pcapng(boolean bigEndian) {
        CaptureBuilder b = new CaptureBuilder(bigEndian);
        b.section(bigEndian);
        b.headerEnd = b.size();
        return b;
    }

    /** A section header block; it switches the byte order of everything after it. */
    CaptureBuilder section(boolean sectionBigEndian) {
        this.bigEndian = sectionBigEndian;
        CaptureBuilder body = body().u32(PcapngReader.BYTE_ORDER_MAGIC).u16(1).u16(0).u64(-1L);
        return block(PcapngReader.SECTION_HEADER_TYPE, body);
    }

    /** An interface description block; a null option is left out of the block. */
    CaptureBuilder iface(int linkType, long snapLength, Integer tsresol, Long tsoffset) {
        CaptureBuilder body = body().u16(linkType).u16(0).u32(snapLength);
        if (tsresol != null) {
            body.u16(9).u16(1).u8(tsresol).u8(0).u8(0).u8(0);
        }
        if (tsoffset != null) {
            body.u16(14).u16(8).u64(tsoffset);
        }
        if (tsresol != null || tsoffset != null) {
            body.u16(0).u16(0);
        }
        return block(1, body);
    }

    CaptureBuilder iface(int linkType) {
        return iface(linkType, 0, null, null);
    }

    /** An enhanced packet block. */
    CaptureBuilder epb(long interfaceId, long ticks, byte[] data) {
        return epb(interfaceId, ticks, data, data.length);
    }

    CaptureBuilder epb(long interfaceId, long ticks, byte[] data, long originalLength) {
        CaptureBuilder body = body().u32(interfaceId).u32(ticks >>> 32).u32(ticks & 0xffffffffL)
                .u32(data.length).u32(originalLength).bytes(data).pad4();
        return packetBlock(6, body);
    }

    /** A simple packet block holding {@code data} for a packet of {@code originalLength} bytes. */
    CaptureBuilder spb(byte[] data, long originalLength) {
        return packetBlock(3, body().u32(originalLength).bytes(data).pad4());
    }

    /** The obsolete packet block (type 2), with a 16-bit interface id and a drops counter. */
    CaptureBuilder obsoletePacket(int interfaceId, long ticks, byte[] data) {
        CaptureBuilder body = body().u16(interfaceId).u16(0).u32(ticks >>> 32).u32(ticks & 0xffffffffL)
                .u32(data.length).u32(data.length).bytes(data).pad4();
        return packetBlock(2, body);
    }

    /** Any block, with its lengths filled in; the body must be a multiple of 4 bytes. */
    CaptureBuilder block(int type, CaptureBuilder body) {
        byte[] content = body.toByteArray();
        long length = 12L + content.length;
        u32(type).u32(length).bytes(content).u32(length);
        boundaries.add(size());
        return this;
    }

    private CaptureBuilder packetBlock(int type, CaptureBuilder body) {
        packetOffsets.add(size());
        block(type, body);
        return packetEnd();
    }

    /** A fresh body writer in this section's byte order. */
    CaptureBuilder body() {
        return new CaptureBuilder(bigEndian);
    }

    // ---- raw writing ----

    CaptureBuilder u8(int v) {
        out.write(v);
        return this;
    }

    CaptureBuilder u16(int v) {
        if (bigEndian) {
            out.write(v >>> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >>> 8);
        }
        return this;
    }

    CaptureBuilder u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (bigEndian ? 24 - 8 * i : 8 * i)));
        }
        return this;
    }

    CaptureBuilder u64(long v) {
        return bigEndian ? u32(v >>> 32).u32(v) : u32(v).u32(v >>> 32);
    }

    CaptureBuilder bytes(byte[] data) {
        out.writeBytes(data);
        return this;
    }

    CaptureBuilder pad4() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
        return this;
    }

    private CaptureBuilder packetEnd() {
        packetEnds.add(size());
        boundaries.add(size());
        return this;
    }

    long size() { return out.size(); }

    byte[] toByteArray() { return out.toByteArray(); }

    List<Long> boundaries() { return boundaries; }

    List<Long> packetOffsets() { return packetOffsets; }

    List<Long> packetEnds() { return packetEnds; }

    /** Where the file header (pcap) or first section header block (pcapng) ends. */
    long headerEnd() { return headerEnd; }

    // ---- helpers ----

    /** {@code length} bytes of a recognisable pattern. */
    static byte[] payload(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (seed * 31 + i);
        }
        return data;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }
}
