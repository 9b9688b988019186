package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.teardown.capture.CaptureBuilder.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PcapFileWriterTest {
    private static final int LINUX_SLL2 = 276;
    private static final int SNAPLEN = 262_144;
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * SECOND;

    @TempDir
    Path dir;

    /** Frames as a live capture gives them: odd lengths, a truncated one, times with every nanosecond digit. */
    private static List<Packet> livePackets() {
        return List.of(
                new Packet(payload(60, 1), 60, T0 + 123_456_789, LINUX_SLL2, 0),
                new Packet(payload(1514, 2), 1514, T0 + 999_999_999, LINUX_SLL2, 1),
                new Packet(payload(96, 3), 9000, T0 + SECOND + 1, LINUX_SLL2, 2),
                new Packet(payload(0, 4), 0, T0 + 2 * SECOND, LINUX_SLL2, 3));
    }

    private Path write(List<Packet> packets, boolean nanosecond) throws IOException {
        Path file = dir.resolve(nanosecond ? "nano.pcap" : "micro.pcap");
        Frame frame = new Frame();
        try (PcapFileWriter writer = new PcapFileWriter(file, LINUX_SLL2, SNAPLEN, nanosecond)) {
            for (Packet p : packets) {
                frame.set(p.data(), 0, p.data().length, p.originalLength(), p.timeNanos(), p.linkType(), 0);
                writer.write(frame);
            }
        }
        return file;
    }

    private static List<Packet> readBack(Path file) throws IOException {
        try (PacketSource source = CaptureFiles.open(file)) {
            return Captures.drain(source).packets();
        }
    }

    /** The frames as the file reader reports them: its record offsets, which live frames do not have. */
    private static List<Packet> atFileOffsets(List<Packet> packets, long nanosPerTick) {
        List<Packet> expected = new ArrayList<>();
        long offset = PcapReader.FILE_HEADER_LENGTH;
        for (Packet p : packets) {
            long time = p.timeNanos() / nanosPerTick * nanosPerTick;
            expected.add(new Packet(p.data(), p.originalLength(), time, p.linkType(), offset));
            offset += 16 + p.data().length;
        }
        return expected;
    }

    @Test
    void nanosecondFileReadsBackAsTheSameFramesToTheNanosecond() throws IOException {
        Path file = write(livePackets(), true);

        assertEquals(atFileOffsets(livePackets(), 1), readBack(file));
    }

    @Test
    void microsecondFileReadsBackAsTheSameFramesWithTimesTruncatedToTheMicrosecond() throws IOException {
        Path file = write(livePackets(), false);

        List<Packet> packets = readBack(file);
        assertEquals(atFileOffsets(livePackets(), 1000), packets);
        assertEquals(T0 + 999_999_000, packets.get(1).timeNanos());
    }

    @ParameterizedTest(name = "nanosecond: {0}")
    @ValueSource(booleans = {false, true})
    void headerIsLittleEndianVersion24WithTheMagicSnaplenAndLinkType(boolean nanosecond) throws IOException {
        byte[] header = Files.readAllBytes(write(List.of(), nanosecond));

        assertEquals(PcapReader.FILE_HEADER_LENGTH, header.length);
        int magic = nanosecond ? PcapReader.NANOSECOND_MAGIC : PcapReader.MICROSECOND_MAGIC;
        assertEquals(magic, Bytes.int32(header, 0, false));
        assertEquals(2, Bytes.uint16(header, 4, false));
        assertEquals(4, Bytes.uint16(header, 6, false));
        assertEquals(0, Bytes.int32(header, 8, false), "thiszone");
        assertEquals(0, Bytes.int32(header, 12, false), "sigfigs");
        assertEquals(SNAPLEN, Bytes.int32(header, 16, false));
        assertEquals(LINUX_SLL2, Bytes.int32(header, 20, false));
    }

    @Test
    void onlyTheFramesWindowOfASharedBufferIsWritten() throws IOException {
        byte[] buffer = payload(200, 7);
        Path file = dir.resolve("window.pcap");
        Frame frame = new Frame();
        frame.set(buffer, 50, 60, 60, T0, LINUX_SLL2, 0);
        try (PcapFileWriter writer = new PcapFileWriter(file, LINUX_SLL2, SNAPLEN, true)) {
            writer.write(frame);
        }

        byte[] expected = new byte[60];
        System.arraycopy(buffer, 50, expected, 0, 60);
        assertArrayEquals(expected, readBack(file).get(0).data());
    }

    @Test
    void flushMakesRecordsReadableWhileTheWriterStaysOpen() throws IOException {
        Path file = dir.resolve("open.pcap");
        Frame frame = new Frame();
        frame.set(payload(60, 1), 0, 60, 60, T0, LINUX_SLL2, 0);
        try (PcapFileWriter writer = new PcapFileWriter(file, LINUX_SLL2, SNAPLEN, true)) {
            writer.write(frame);
            writer.flush();

            assertEquals(1, readBack(file).size());
        }
    }

    @Test
    void aTimeBefore1970CannotBeWrittenAndSaysSo() throws IOException {
        Path file = dir.resolve("old.pcap");
        Frame frame = new Frame();
        frame.set(payload(60, 1), 0, 60, 60, -1, LINUX_SLL2, 0);
        try (PcapFileWriter writer = new PcapFileWriter(file, LINUX_SLL2, SNAPLEN, true)) {
            IOException e = assertThrows(IOException.class, () -> writer.write(frame));
            assertEquals(file + ": cannot write a packet time outside 1970..2106 to a pcap file", e.getMessage());
        }
    }

    @Test
    void closingTwiceIsHarmless() throws IOException {
        PcapFileWriter writer = new PcapFileWriter(dir.resolve("twice.pcap"), LINUX_SLL2, SNAPLEN, false);
        writer.close();
        writer.close();
    }
}
