package dev.teardown.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads test captures to the end and keeps copies of what the frames showed. */
final class Captures {
    private Captures() {}

    /** A copy of one frame, safe to keep after the source moves on. */
    record Packet(byte[] data, int originalLength, long timeNanos, int linkType, long recordOffset) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && Arrays.equals(data, p.data) && originalLength == p.originalLength
                    && timeNanos == p.timeNanos && linkType == p.linkType && recordOffset == p.recordOffset;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + Long.hashCode(timeNanos);
        }
    }

    /** Everything a source gave: its packets and its warnings once it ended. */
    record Result(List<Packet> packets, List<String> warnings) {
        List<String> truncationWarnings() {
            return warnings.stream().filter(w -> w.contains("truncated file")).toList();
        }
    }

    static Result read(byte[] file) throws IOException {
        return read(file, ChunkedInput.DEFAULT_CAPACITY);
    }

    static Result read(byte[] file, int bufferCapacity) throws IOException {
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), "test.cap", bufferCapacity)) {
            return drain(source);
        }
    }

    static Result drain(PacketSource source) throws IOException {
        List<Packet> packets = new ArrayList<>();
        Frame frame = new Frame();
        while (source.next(frame)) {
            packets.add(copy(frame));
        }
        if (source.next(frame)) {
            throw new AssertionError("next() returned true after the end");
        }
        return new Result(packets, source.warnings());
    }

    /**
     * Cuts the capture at every byte offset and checks each cut reads as a killed tcpdump's file should:
     * a cut in the file header is a format error; any later cut gives every complete packet, and one
     * truncation warning unless it falls on a record boundary.
     */
    static void assertEveryTruncationReadsCompletePackets(CaptureBuilder capture, int bufferCapacity)
            throws IOException {
        byte[] full = capture.toByteArray();
        List<Packet> all = read(full, bufferCapacity).packets();
        assertEquals(capture.packetOffsets().size(), all.size());
        for (int cut = 0; cut <= full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            if (cut < capture.headerEnd()) {
                assertThrows(CaptureFormatException.class, () -> read(part, bufferCapacity), "cut at " + cut);
                continue;
            }
            Result result;
            try {
                result = read(part, bufferCapacity);
            } catch (Throwable t) {
                throw new AssertionError("cut at " + cut + " threw " + t, t);
            }
            final int at = cut;
            int complete = (int) capture.packetEnds().stream().filter(end -> end <= at).count();
            assertEquals(all.subList(0, complete), result.packets(), "packets for cut at " + cut);
            List<String> truncations = result.truncationWarnings();
            if (capture.boundaries().contains((long) cut)) {
                assertEquals(List.of(), truncations, "cut at " + cut + " is on a boundary");
            } else {
                long recordStart = capture.boundaries().stream().filter(b -> b < at).mapToLong(Long::longValue)
                        .max().orElseThrow();
                assertEquals(List.of(Truncation.insideRecord(recordStart, complete)), truncations, "cut at " + cut);
            }
        }
    }

    /** Asserts that reading fails with a format error whose message names {@code offset}. */
    /**
     * Flips 1 to 4 random bytes after the magic of {@code original}, 20,000 times, and reads each result: a
     * format error (IOException) is fine, any other exception fails the test with the trial number.
     */
    static void assertRandomCorruptionOnlyEverThrowsIOException(byte[] original, long seed) {
        java.util.Random random = new java.util.Random(seed);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] file = original.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                file[4 + random.nextInt(file.length - 4)] = (byte) random.nextInt(256);
            }
            try {
                read(file, 64);
            } catch (IOException expected) {
                // Format errors are the point; anything else escaping would fail the test.
            } catch (RuntimeException e) {
                throw new AssertionError("trial " + trial + " threw " + e, e);
            }
        }
    }

    static CaptureFormatException assertFormatErrorAt(byte[] file, long offset) {
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> read(file));
        assertTrue(e.getMessage().startsWith("test.cap: at byte " + offset + ": "), e.getMessage());
        return e;
    }

    static Packet copy(Frame frame) {
        byte[] data = Arrays.copyOfRange(frame.data(), frame.offset(), frame.offset() + frame.capturedLength());
        return new Packet(data, frame.originalLength(), frame.timeNanos(), frame.linkType(), frame.recordOffset());
    }
}
