package dev.teardown.fuzz;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * What every capture reader must hold to for any bytes at all: it ends, or fails with an I/O exception whose
 * message is one line; every frame lies inside its buffer; records advance; and work is bounded by the input.
 */
final class CaptureInvariants {
    private CaptureInvariants() {}

    /** The smallest record any supported format has: a pcapng block (type, length, length). */
    private static final int SMALLEST_RECORD = 12;

    /**
     * Reads {@code file} to its end as a capture, through a stream that hands over a few bytes per read so
     * that records straddle every refill, and checks every frame; returns the frames read, or -1 when the file
     * was refused with an {@link IOException}.
     */
    static long readChecked(byte[] file) {
        long frames = 0;
        try (PacketSource source = CaptureFiles.open(new Trickle(file), "fuzz.cap")) {
            Frame frame = new Frame();
            long lastRecord = -1;
            boolean compressed = file.length >= 2 && (file[0] & 0xff) == 0x1f && (file[1] & 0xff) == 0x8b;
            while (source.next(frame)) {
                frames++;
                check(frame.data() != null, "frame without a buffer");
                check(frame.offset() >= 0 && frame.capturedLength() >= 0
                        && frame.offset() <= frame.data().length - frame.capturedLength(),
                    "frame [" + frame.offset() + ", +" + frame.capturedLength() + ") outside its "
                        + frame.data().length + "-byte buffer");
                check(frame.originalLength() >= 0, "negative original length " + frame.originalLength());
                check(frame.linkType() >= 0 && frame.linkType() <= 0xffff, "link type " + frame.linkType());
                check(frame.recordOffset() > lastRecord, "record at " + frame.recordOffset() + " after one at " + lastRecord);
                lastRecord = frame.recordOffset();
                if (!compressed) {
                    check(frame.recordOffset() < file.length, "record offset " + frame.recordOffset()
                        + " past the end of a " + file.length + "-byte file");
                    check(frame.capturedLength() <= file.length, "frame longer than the file");
                    check(frames * SMALLEST_RECORD <= file.length, frames + " frames from " + file.length + " bytes");
                }
            }
            check(!source.next(frame), "next() returned true after the end");
            check(source.warnings() != null, "null warnings");
            for (String w : source.warnings()) oneLine(w);
        } catch (IOException e) {
            oneLine(e.getMessage());
            return -1;
        }
        return frames;
    }

    /** A message the CLI prints after {@code teardown: }: present, and one line. */
    static void oneLine(String message) {
        check(message != null && !message.isEmpty(), "empty message");
        check(message.indexOf('\n') < 0 && message.indexOf('\r') < 0, "message of several lines: " + message);
    }

    static void check(boolean condition, String what) {
        if (!condition) throw new AssertionError(what);
    }

    /** An in-memory stream that returns 1 to 61 bytes per read, in a fixed pattern, to split records anywhere. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;
        private int reads;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, data.length - pos), 1 + (reads++ * 7) % 61);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
