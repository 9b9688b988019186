package dev.teardown.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tiny whole-file pcap/pcapng reader for tests, independent of the capture package so that the oracle test
 * checks the decoder alone. Reads classic pcap in either byte order and pcapng enhanced, simple and obsolete
 * packet blocks; fails loudly on anything odd.
 */
final class TestCaptureReader {
    private TestCaptureReader() {}

    /** One record: its interface's link type, its captured bytes, and its length on the wire. */
    record Record(int linkType, byte[] bytes, int originalLength) {}

    static List<Record> read(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
        if (in.remaining() < 4) {
            throw new IOException(path + ": too short for a capture file");
        }
        int magic = in.getInt(0);
        return magic == 0x0a0d0d0a ? pcapng(path, in) : pcap(path, in);
    }

    private static List<Record> pcap(Path path, ByteBuffer in) throws IOException {
        int magic = in.getInt(0);
        switch (magic) {
            case 0xa1b2c3d4, 0xa1b23c4d -> in.order(ByteOrder.BIG_ENDIAN);
            case 0xd4c3b2a1, 0x4d3cb2a1 -> in.order(ByteOrder.LITTLE_ENDIAN);
            default -> throw new IOException(path + ": unknown magic " + Integer.toHexString(magic));
        }
        int linkType = in.getInt(20) & 0xffff;
        in.position(24);
        List<Record> records = new ArrayList<>();
        while (in.remaining() >= 16) {
            in.getInt();
            in.getInt();
            int captured = in.getInt();
            int original = in.getInt();
            if (captured < 0 || captured > in.remaining()) {
                throw new IOException(path + ": record " + records.size() + " runs past the end");
            }
            byte[] bytes = new byte[captured];
            in.get(bytes);
            records.add(new Record(linkType, bytes, original));
        }
        return records;
    }

    private static List<Record> pcapng(Path path, ByteBuffer in) throws IOException {
        List<Record> records = new ArrayList<>();
        List<Integer> linkTypes = new ArrayList<>();
        int at = 0;
        while (in.limit() - at >= 12) {
            int type = in.getInt(at);
            if (type == 0x0a0d0d0a) {
                int byteOrderMagic = in.order(ByteOrder.BIG_ENDIAN).getInt(at + 8);
                in.order(byteOrderMagic == 0x1a2b3c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                linkTypes.clear(); // interface ids are per section
            }
            type = in.getInt(at);
            int length = in.getInt(at + 4);
            if (length < 12 || length > in.limit() - at) {
                throw new IOException(path + ": block at " + at + " has length " + length);
            }
            switch (type) {
                case 1 -> linkTypes.add(in.getShort(at + 8) & 0xffff);
                case 6 -> { // enhanced packet block
                    int captured = in.getInt(at + 20);
                    records.add(new Record(linkTypes.get(in.getInt(at + 8)),
                            Arrays.copyOfRange(in.array(), at + 28, at + 28 + captured), in.getInt(at + 24)));
                }
                case 3 -> { // simple packet block: interface 0, captured length bounded by the block
                    int original = in.getInt(at + 8);
                    int captured = Math.min(original, length - 16);
                    records.add(new Record(linkTypes.get(0),
                            Arrays.copyOfRange(in.array(), at + 12, at + 12 + captured), original));
                }
                case 2 -> { // obsolete packet block
                    int captured = in.getInt(at + 20);
                    records.add(new Record(linkTypes.get(in.getShort(at + 8) & 0xffff),
                            Arrays.copyOfRange(in.array(), at + 28, at + 28 + captured), in.getInt(at + 24)));
                }
                default -> { }
            }
            at += length;
        }
        return records;
    }
}
