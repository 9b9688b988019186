package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import dev.teardown.capture.Captures.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.teardown.capture.CaptureBuilder.gzip;
import static dev.teardown.capture.CaptureBuilder.payload;
import static dev.teardown.capture.Captures.assertFormatErrorAt;
import static dev.teardown.capture.Captures.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptureFilesTest {
    private static final long T0 = 1_700_000_000L;

    private static CaptureBuilder pcap() {
        return CaptureBuilder.pcap(false, false, 65535, 1)
                .record(T0, 1, payload(60, 1))
                .record(T0, 2, payload(1500, 2))
                .record(T0, 3, payload(70, 3));
    }

    private static CaptureBuilder pcapng() {
        return CaptureBuilder.pcapng(true)
                .iface(1).iface(101, 0, 9, null)
                .epb(0, T0 * 1_000_000, payload(60, 1))
                .epb(1, T0 * 1_000_000_000, payload(1500, 2))
                .section(false).iface(113)
                .epb(0, T0 * 1_000_000 + 5, payload(70, 3));
    }

    @Test
    void classicPcapIsRecognisedByItsMagicInEitherByteOrderAndPrecision() throws IOException {
        for (boolean big : new boolean[] {false, true}) {
            for (boolean nanos : new boolean[] {false, true}) {
                byte[] file = CaptureBuilder.pcap(big, nanos, 65535, 1).record(T0, 1, payload(20, 0)).toByteArray();
                try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), "x")) {
                    assertInstanceOf(PcapReader.class, source);
                    assertEquals(1, Captures.drain(source).packets().size());
                }
            }
        }
    }

    @Test
    void pcapngIsRecognisedByItsSectionHeader() throws IOException {
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(pcapng().toByteArray()), "x")) {
            assertInstanceOf(PcapngReader.class, source);
        }
    }

    @Test
    void gzipCompressedPcapReadsTheSameAsUncompressed() throws IOException {
        byte[] plain = pcap().toByteArray();

        assertEquals(read(plain), read(gzip(plain)));
        assertEquals(3, read(gzip(plain)).packets().size());
    }

    @Test
    void gzipCompressedPcapngReadsTheSameAsUncompressed() throws IOException {
        byte[] plain = pcapng().toByteArray();

        assertEquals(read(plain), read(gzip(plain)));
        assertEquals(3, read(gzip(plain)).packets().size());
    }

    @Test
    void gzipCutAtEveryByteGivesAPrefixOfThePacketsAndAWarningOrAFormatError() throws IOException {
        for (CaptureBuilder capture : List.of(pcap(), pcapng())) {
            List<Packet> all = read(capture.toByteArray()).packets();
            byte[] compressed = gzip(capture.toByteArray());
            for (int cut = 0; cut < compressed.length; cut++) {
                Result result;
                try {
                    result = read(Arrays.copyOf(compressed, cut), 64);
                } catch (CaptureFormatException expected) {
                    continue;
                } catch (Throwable t) {
                    throw new AssertionError("cut at " + cut + " threw " + t, t);
                }
                assertEquals(all.subList(0, result.packets().size()), result.packets(), "cut at " + cut);
                assertEquals(1, result.truncationWarnings().size(), "cut at " + cut + ": " + result.warnings());
            }
        }
    }

    @Test
    void corruptCompressedDataIsAFormatError() {
        byte[] compressed = gzip(pcap().toByteArray());
        for (int i = 12; i < compressed.length - 8; i += 7) {
            compressed[i] ^= 0x5a;
        }

        assertThrows(CaptureFormatException.class, () -> read(compressed));
    }

    @Test
    void gzipInsideGzipIsRefused() {
        CaptureFormatException e = assertFormatErrorAt(gzip(gzip(pcap().toByteArray())), 0);
        assertTrue(e.getMessage().contains("gzip inside gzip"), e.getMessage());
    }

    @Test
    void gzipOfSomethingElseNamesTheMagicFound() {
        CaptureFormatException e = assertFormatErrorAt(gzip("hello, world".getBytes()), 0);
        assertTrue(e.getMessage().contains("magic 0x68656c6c"), e.getMessage());
    }

    @Test
    void emptyFileIsAFormatErrorAtByteZero() {
        CaptureFormatException e = assertFormatErrorAt(new byte[0], 0);
        assertEquals("test.cap: at byte 0: empty file", e.getMessage());
    }

    @Test
    void unknownMagicIsAFormatErrorNamingTheMagic() {
        CaptureFormatException e = assertFormatErrorAt("GET / HTTP/1.1\r\n".getBytes(), 0);
        assertEquals("test.cap: at byte 0: not a pcap or pcapng file (magic 0x47455420)", e.getMessage());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 3})
    void fileShorterThanAMagicNumberIsAFormatError(int length) {
        assertFormatErrorAt(Arrays.copyOf(pcap().toByteArray(), length), 0);
    }

    @Test
    void zstdCompressedFileSaysHowToDecompressIt() {
        byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};

        CaptureFormatException e = assertFormatErrorAt(zstd, 0);
        assertTrue(e.getMessage().contains("zstd -d"), e.getMessage());
    }

    @Test
    void fileOnDiskIsRecognisedByContentNotByName(@TempDir Path dir) throws IOException {
        Path misnamed = dir.resolve("capture.txt");
        Files.write(misnamed, gzip(pcapng().toByteArray()));

        try (PacketSource source = CaptureFiles.open(misnamed)) {
            assertEquals(misnamed.toString(), source.name());
            Result result = Captures.drain(source);
            assertEquals(read(pcapng().toByteArray()), result);
        }
    }

    @Test
    void missingFileIsAnIOException(@TempDir Path dir) {
        assertThrows(IOException.class, () -> CaptureFiles.open(dir.resolve("absent.pcap")));
    }

    @Test
    void unreadableFileFailsWithTheFileNameInTheMessage(@TempDir Path dir) throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.pcap"), new byte[] {1, 2, 3, 4, 5});

        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureFiles.open(garbage));
        assertTrue(e.getMessage().startsWith(garbage + ": at byte 0: "), e.getMessage());
    }

    @Test
    void listOfFilesIsReadInTheOrderGiven(@TempDir Path dir) throws IOException {
        Path first = Files.write(dir.resolve("ring0"), pcap().toByteArray());
        Path second = Files.write(dir.resolve("ring1"), gzip(pcapng().toByteArray()));

        try (PacketSource source = CaptureFiles.open(List.of(first, second))) {
            Frame frame = new Frame();
            int packets = 0;
            while (source.next(frame)) {
                packets++;
            }
            assertEquals(6, packets);
            assertEquals(second.toString(), source.name());
        }
        try (PacketSource single = CaptureFiles.open(List.of(first))) {
            assertFalse(single instanceof ConcatenatedSource);
        }
    }

    /** Reads every packet and returns the bytes read the source reports at the end. */
    private static long bytesReadAtEnd(Path file) throws IOException {
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame frame = new Frame();
            long before = source.bytesRead();
            assertTrue(before <= Files.size(file), "not more than the file before reading: " + before);
            while (source.next(frame)) { }
            return source.bytesRead();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"samples/http10-server-close.pcap", "samples/pcapng.pcapng", "samples/crafted/two-sections.pcapng"})
    void bytesReadReachesTheFileSizeAtTheEndOfARealCapture(String sample) throws IOException {
        Path file = Path.of(sample);
        assertEquals(Files.size(file), bytesReadAtEnd(file));
    }

    @Test
    void bytesReadOfAGzipFileCountsTheCompressedBytesUpToTheFileSize(@TempDir Path dir) throws IOException {
        // A real sample gzip-compressed, as users keep captures: progress is against the size on disk.
        byte[] plain = Files.readAllBytes(Path.of("samples/http10-server-close.pcap"));
        Path file = Files.write(dir.resolve("capture.pcap.gz"), gzip(plain));
        assertTrue(Files.size(file) < plain.length, "the sample compresses");
        assertEquals(Files.size(file), bytesReadAtEnd(file));
    }

    @Test
    void bytesReadGrowsWhileABigCaptureIsRead(@TempDir Path dir) throws IOException {
        CaptureBuilder b = CaptureBuilder.pcap(false, false, 65535, 1);
        for (int i = 0; i < 3000; i++) b.record(T0 + i, 0, payload(1400, i));
        Path file = Files.write(dir.resolve("big.pcap"), b.toByteArray());
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame frame = new Frame();
            assertTrue(source.next(frame));
            long early = source.bytesRead();
            assertTrue(early > 0 && early < Files.size(file), "one buffer in, not the whole file: " + early);
            while (source.next(frame)) { }
            assertEquals(Files.size(file), source.bytesRead());
        }
    }
}
