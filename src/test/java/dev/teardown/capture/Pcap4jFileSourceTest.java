package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libpcap file source ({@code --reader pcap4j}) against the built-in readers, frame by frame on every sample
 * (bytes, time, lengths, link type), and on the files libpcap reads differently: cut short, gzip, missing.
 */
class Pcap4jFileSourceTest {
    private static final Path SAMPLES = Path.of("samples");

    @TestFactory
    Stream<DynamicTest> everyFrameOfEverySampleIsTheBuiltInReadersFrame() throws IOException {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            captures = walk.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                .toList();
        }
        assertTrue(captures.size() >= 30, "samples: " + captures.size());
        // libpcap allows one link type per file: this pcapng's two interfaces differ (samples/crafted/README.md).
        Path mixed = SAMPLES.resolve("crafted").resolve("two-sections.pcapng");
        // Each sample through both ways of taking libpcap's packets: pcap_next_ex called directly (the default),
        // and pcap4j's reads (the fallback where the direct call cannot be had).
        return captures.stream().filter(p -> !p.equals(mixed)).flatMap(p -> Stream.of(false, true).map(pcap4jOnly ->
            DynamicTest.dynamicTest(p + (pcap4jOnly ? " (through pcap4j)" : " (pcap_next_ex directly)"), () -> {
            long frames = 0;
            try (PacketSource builtIn = CaptureFiles.open(p); Pcap4jFileSource libpcap = Pcap4jFileSource.open(p, pcap4jOnly)) {
                assertEquals(!pcap4jOnly, libpcap.readsDirectly(), "which way libpcap's packets come");
                Frame a = new Frame();
                Frame b = new Frame();
                while (builtIn.next(a)) {
                    assertTrue(libpcap.next(b), "libpcap has frame " + frames);
                    String at = p + " frame " + frames;
                    assertArrayEquals(Arrays.copyOfRange(a.data(), a.offset(), a.offset() + a.capturedLength()),
                        Arrays.copyOfRange(b.data(), b.offset(), b.offset() + b.capturedLength()), at);
                    assertEquals(a.timeNanos(), b.timeNanos(), at + " time");
                    assertEquals(a.originalLength(), b.originalLength(), at + " length on the wire");
                    assertEquals(a.linkType(), b.linkType(), at + " link type");
                    frames++;
                }
                assertFalse(libpcap.next(b), "no frame more");
                assertEquals(pcap4jOnly ? 0 : frames, libpcap.packetsReadDirectly(), "frames taken with pcap_next_ex");
                assertEquals(builtIn.warnings(), libpcap.warnings());
                if (p.toString().endsWith(".pcap")) assertEquals(Files.size(p), libpcap.bytesRead(), "bytes read, pcap");
            }
            assertTrue(frames > 0);
        })));
    }

    @Test
    void aDirectReadAfterCloseIsRefusedBeforeLibpcapIsCalled() throws IOException {
        // pcap4j frees the pcap_t at close and gives its lock back: the direct reader must see the handle closed
        // under the lock, not call pcap_next_ex on freed memory.
        Pcap4jFileSource s = Pcap4jFileSource.open(SAMPLES.resolve("ab-keepalive.pcap"), false);
        assertTrue(s.readsDirectly());
        assertTrue(s.next(new Frame()));
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.next(new Frame()));
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
    }

    @Test
    void aFileCutInsideItsLastRecordEndsWithAWarningAfterTheCompleteOnesEitherWay(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(SAMPLES.resolve("ab-keepalive.pcap")), 3000));
        long builtInFrames = 0;
        try (PacketSource s = CaptureFiles.open(cut)) {
            Frame f = new Frame();
            while (s.next(f)) builtInFrames++;
        }
        for (boolean pcap4jOnly : new boolean[] {false, true}) {
            try (PacketSource s = Pcap4jFileSource.open(cut, pcap4jOnly)) {
                Frame f = new Frame();
                long frames = 0;
                while (s.next(f)) frames++;
                assertEquals(builtInFrames, frames);
                assertEquals(1, s.warnings().size(), "" + s.warnings());
                assertTrue(s.warnings().get(0).startsWith("capture ends inside a record (truncated file; libpcap: "),
                    s.warnings().get(0));
            }
        }
    }

    @Test
    void gzipIsRefusedWithTheWayOutAndAMissingFileIsNamed(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("x.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(SAMPLES.resolve("ipv6.pcap")));
        }
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> Pcap4jFileSource.open(gz));
        assertTrue(e.getMessage().startsWith(gz + ": libpcap: "), e.getMessage());
        assertTrue(e.getMessage().contains("gzip-compressed, which libpcap does not read"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> Pcap4jFileSource.open(dir.resolve("none.pcap")));
    }

    @Test
    void aPcapngWithTwoLinkTypesFailsWithLibpcapsWordsEitherWay() throws IOException {
        for (boolean pcap4jOnly : new boolean[] {false, true}) {
            try (PacketSource s = Pcap4jFileSource.open(SAMPLES.resolve("crafted").resolve("two-sections.pcapng"),
                    pcap4jOnly)) {
                CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> s.next(new Frame()));
                assertTrue(e.getMessage().contains("libpcap: ") && e.getMessage().contains("(after 0 packets)"),
                    e.getMessage());
                assertFalse(s.next(new Frame()), "and reads nothing after");
            }
        }
    }

    @Test
    void severalFilesAreReadOneAfterAnother() throws IOException {
        Path a = SAMPLES.resolve("ipv6.pcap");
        Path b = SAMPLES.resolve("half-close.pcap");
        long expected = 0;
        for (Path p : List.of(a, b)) {
            try (PacketSource s = CaptureFiles.open(p)) {
                Frame f = new Frame();
                while (s.next(f)) expected++;
            }
        }
        try (PacketSource s = Pcap4jFileSource.open(List.of(a, b))) {
            Frame f = new Frame();
            long frames = 0;
            String first = null;
            while (s.next(f)) {
                if (first == null) first = s.name();
                frames++;
            }
            assertEquals(expected, frames);
            assertEquals(a.toString(), first);
            assertEquals(b.toString(), s.name());
        }
    }
}
