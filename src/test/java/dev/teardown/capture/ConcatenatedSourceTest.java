package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static dev.teardown.capture.CaptureBuilder.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcatenatedSourceTest {
    private static final long T0 = 1_700_000_000L;

    private static byte[] capture(int firstSeed, int packets) {
        CaptureBuilder b = CaptureBuilder.pcap(false, false, 65535, 1);
        for (int i = 0; i < packets; i++) {
            b.record(T0 + firstSeed + i, 0, payload(40, firstSeed + i));
        }
        return b.toByteArray();
    }

    private static ConcatenatedSource.Opener part(String name, byte[] file) {
        return () -> CaptureFiles.open(new ByteArrayInputStream(file), name);
    }

    @Test
    void partsAreReadOneAfterAnotherAsOneStream() throws IOException {
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(
                part("a", capture(0, 2)), part("empty", capture(0, 0)), part("b", capture(2, 3))))) {
            List<Packet> packets = Captures.drain(source).packets();

            assertEquals(5, packets.size());
            for (int i = 0; i < 5; i++) {
                assertEquals((T0 + i) * 1_000_000_000L, packets.get(i).timeNanos());
            }
        }
    }

    @Test
    void aPartOlderThanThePartsBeforeItIsCountedInOneWarning() throws IOException {
        // The same file twice (a common slip with shell globs): every packet of the copy but the last (equal
        // times are not older) goes back in time.
        byte[] a = capture(0, 3);
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(part("a", a), part("a-copy", a),
                part("later", capture(10, 2))))) {
            Captures.drain(source);
            List<String> w = source.warnings();
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).startsWith("a-copy: 2 packets are older than the files before it (from 2023-11-14T22:13:20Z;"
                + " they end at 2023-11-14T22:13:22Z)"), w.get(0));
        }
    }

    @Test
    void partsThatFollowEachOtherInTimeGiveNoWarning() throws IOException {
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(part("a", capture(0, 3)), part("b", capture(2, 2))))) {
            Captures.drain(source);
            // b's first packet has a's last packet's time: equal is not older.
            assertEquals(List.of(), source.warnings());
        }
    }

    @Test
    void nameIsThePartBeingRead() throws IOException {
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(part("a", capture(0, 1)), part("b", capture(1, 1))))) {
            Frame frame = new Frame();
            assertEquals("a", source.name());
            source.next(frame);
            assertEquals("a", source.name());
            source.next(frame);
            assertEquals("b", source.name());
            source.next(frame);
            assertEquals("b", source.name());
        }
    }

    @Test
    void warningsOfEveryPartAreMergedWithTheirFileNames() throws IOException {
        byte[] cut = capture(0, 2);
        cut = Arrays.copyOf(cut, cut.length - 3);
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(part("a", cut), part("b", cut)))) {
            List<String> warnings = Captures.drain(source).warnings();

            String line = "capture ends inside a record at byte 80 (truncated file); 1 complete packets read";
            assertEquals(List.of("a: " + line, "b: " + line), warnings);
        }
    }

    @Test
    void eachPartIsOpenedOnlyWhenItsTurnComesAndClosedWhenItEnds() throws IOException {
        AtomicInteger opened = new AtomicInteger();
        List<String> closed = new ArrayList<>();
        List<ConcatenatedSource.Opener> parts = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            parts.add(() -> {
                opened.incrementAndGet();
                InputStream in = new ByteArrayInputStream(capture(0, 1)) {
                    @Override
                    public void close() {
                        closed.add(name);
                    }
                };
                return CaptureFiles.open(in, name);
            });
        }
        ConcatenatedSource source = new ConcatenatedSource(parts);
        Frame frame = new Frame();

        assertEquals(1, opened.get());
        assertTrue(source.next(frame));
        assertTrue(source.next(frame));
        assertEquals(2, opened.get());
        assertEquals(List.of("a"), closed);
        while (source.next(frame)) {
            // drain
        }
        source.close();
        assertEquals(List.of("a", "b", "c"), closed);
    }

    @Test
    void aFormatErrorInALaterPartNamesThatPart() throws IOException {
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(
                part("good", capture(0, 1)), part("bad", "garbage!".getBytes())))) {
            Frame frame = new Frame();
            assertTrue(source.next(frame));
            CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> source.next(frame));
            assertTrue(e.getMessage().startsWith("bad: at byte 0: "), e.getMessage());
        }
    }

    @Test
    void noPartsIsAUsageError() {
        assertThrows(IllegalArgumentException.class, () -> new ConcatenatedSource(List.of()));
    }

    @Test
    void bytesReadIsSummedOverTheParts() throws IOException {
        byte[] first = capture(0, 3);
        byte[] second = capture(10, 2);
        try (ConcatenatedSource source = new ConcatenatedSource(List.of(part("a", first), part("b", second)))) {
            Frame frame = new Frame();
            while (source.next(frame)) { }
            assertEquals(first.length + second.length, source.bytesRead());
        }
    }
}
