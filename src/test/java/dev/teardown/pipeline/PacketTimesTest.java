package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A file's packet-time track reads back every frame's time, TCP or not, and its position, in a few bytes a frame. */
class PacketTimesTest {
    private record Entry(long nanos, boolean tcp) {}

    private static byte[] write(List<Entry> frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PacketTimes.Writer w = new PacketTimes.Writer(bytes);
        for (Entry e : frames) w.frame(e.nanos(), e.tcp());
        w.end();
        return bytes.toByteArray();
    }

    private static List<Entry> read(byte[] track, int file) throws IOException {
        PacketTimes.Reader r = new PacketTimes.Reader(new ByteArrayInputStream(track), file);
        List<Entry> frames = new ArrayList<>();
        long frame = 0;
        while (r.next()) {
            assertEquals(PacketTimes.position(file, ++frame), r.position());
            frames.add(new Entry(r.nanos(), r.tcp()));
        }
        assertFalse(r.next(), "stays at the end");
        return frames;
    }

    @Test
    void everyFrameComesBackWithItsTimeAndKindInOrder() throws IOException {
        Random random = new Random(9);
        List<Entry> frames = new ArrayList<>();
        long t = 1_700_000_000_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            t += random.nextInt(200_000) - 20_000; // mostly forward, sometimes back (a capture's reordering)
            frames.add(new Entry(t, random.nextInt(10) != 0));
        }
        byte[] track = write(frames);
        assertEquals(frames, read(track, 3));
        assertTrue(track.length < 4 * frames.size(), "a few bytes a frame: " + track.length);
    }

    @Test
    void framesThatAreNotTcpAtTheStartAtTheEndAndAloneAreKept() throws IOException {
        List<Entry> frames = List.of(new Entry(5, false), new Entry(6, false), new Entry(7, true), new Entry(8, false));
        assertEquals(frames, read(write(frames), 0));
        List<Entry> noTcp = List.of(new Entry(1, false), new Entry(2, false));
        assertEquals(noTcp, read(write(noTcp), 0));
        assertEquals(List.of(), read(write(List.of()), 0));
    }

    @Test
    void timesAtTheEndsOfTheRangeTeardownHoldsSurviveTheirDifference() throws IOException {
        List<Entry> frames = List.of(new Entry(PacketTime.MIN, true), new Entry(PacketTime.MAX, true),
            new Entry(PacketTime.MIN, false), new Entry(0, true));
        assertEquals(frames, read(write(frames), 0));
    }

    @Test
    void positionsOrderFilesThenFramesAndRefuseWhatDoesNotFit() {
        assertTrue(PacketTimes.position(0, PacketTimes.FILE_STRIDE - 1) < PacketTimes.position(1, 1));
        assertEquals(2_000_000_000_417L, PacketTimes.position(2, 417));
        assertThrows(IllegalArgumentException.class, () -> PacketTimes.position(0, 0));
        assertThrows(IllegalArgumentException.class, () -> PacketTimes.position(0, PacketTimes.FILE_STRIDE));
        assertThrows(IllegalArgumentException.class, () -> PacketTimes.position(PacketTimes.MAX_FILES, 1));
        assertTrue(4 * PacketTimes.position(PacketTimes.MAX_FILES - 1, PacketTimes.FILE_STRIDE - 1) + 2 > 0,
            "the merge's sort keys (4 x position + 2) fit in a long");
    }
}
