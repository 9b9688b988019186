package dev.teardown.pipeline;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The packet-time track of a sharded run: every frame's time, in capture order, and whether it was a TCP segment,
 * written once per input file as it is decoded. Each shard walks the whole track, so that its connections expire at
 * exactly the packet where one thread's would (as each worker of a parallel analysis walks every batch), and the
 * merge walks it to tell the TIME_WAIT stage the time of every segment no shard recorded.
 *
 * <p>Format, per file: for each TCP frame, {@code 2k + 1} then the time deltas of the {@code k} other frames before
 * it and its own; at the end, {@code 2k} and the deltas of the {@code k} frames after the last TCP one. Counts are
 * unsigned and deltas (each from the frame before, wrapping) zigzag LEB128 varints: a busy capture with microsecond
 * stamps takes two or three bytes a frame. Both ends buffer the stream themselves (a byte at a time through a
 * synchronized stream cost more than the rest of a shard's walk). Memory: one buffer, nothing per frame.
 */
public final class PacketTimes {
    /** Positions of file {@code n} start at {@code n * FILE_STRIDE}: frame {@code i} (from 1) is {@code n * FILE_STRIDE + i}. */
    public static final long FILE_STRIDE = 1_000_000_000_000L;
    /**
     * Files a run may have: four times the largest position must fit in a long (the merge's sort keys are {@code 4
     * position + 0..2}).
     */
    public static final int MAX_FILES = 2_000_000;

    private PacketTimes() {}

    /** The position of frame {@code frame} (from 1) of file {@code file} (from 0): ordered as one capture. */
    public static long position(int file, long frame) {
        if (file < 0 || file >= MAX_FILES) throw new IllegalArgumentException("file number out of range: " + file);
        if (frame < 1 || frame >= FILE_STRIDE) throw new IllegalArgumentException("frame number out of range: " + frame);
        return file * FILE_STRIDE + frame;
    }

    /** Writes one file's track, frame by frame. */
    public static final class Writer {
        private final OutputStream out;
        private final byte[] buffer = new byte[BUFFER];
        private int used;
        private long previous;
        /** Times of the non-TCP frames since the last TCP one: written before the next TCP frame, or at the end. */
        private long[] waiting = new long[16];
        private int waitingCount;

        /** Writes to {@code out}, which it flushes at {@link #end} and never closes. */
        public Writer(OutputStream out) {
            this.out = out;
        }

        /** The next frame, at {@code nanos}; {@code tcp} when the decoder made a TCP segment of it. */
        public void frame(long nanos, boolean tcp) throws IOException {
            if (!tcp) {
                if (waitingCount == waiting.length) waiting = java.util.Arrays.copyOf(waiting, 2 * waitingCount);
                waiting[waitingCount++] = nanos;
                return;
            }
            flush(true);
            delta(nanos);
        }

        /** The file ended. */
        public void end() throws IOException {
            flush(false);
            out.write(buffer, 0, used);
            used = 0;
            out.flush();
        }

        private void flush(boolean tcpFollows) throws IOException {
            varint(2L * waitingCount + (tcpFollows ? 1 : 0));
            for (int i = 0; i < waitingCount; i++) delta(waiting[i]);
            waitingCount = 0;
        }

        private void delta(long nanos) throws IOException {
            long d = nanos - previous;
            varint((d << 1) ^ (d >> 63));
            previous = nanos;
        }

        private void varint(long v) throws IOException {
            if (used > BUFFER - 10) {
                out.write(buffer, 0, used);
                used = 0;
            }
            while ((v & ~0x7FL) != 0) {
                buffer[used++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[used++] = (byte) v;
        }
    }

    /** Reads one file's track frame by frame; allocates nothing per frame. */
    public static final class Reader {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        private int next;
        private int limit;
        private final int file;
        private long previous;
        private long frame;
        /** A group (non-TCP frames, then a TCP one unless it is the last group) was begun and not finished. */
        private boolean inGroup;
        private long pending;
        private boolean tcpEndsGroup;
        private boolean ended;
        private long nanos;
        private boolean tcp;

        /** Reads file {@code file}'s track from {@code in}, which it never closes. */
        public Reader(InputStream in, int file) {
            this.in = in;
            this.file = file;
        }

        /** Moves to the next frame; false at the end of the file. */
        public boolean next() throws IOException {
            if (ended) return false;
            if (!inGroup) {
                long head = readVarint();
                pending = head >>> 1;
                tcpEndsGroup = (head & 1) != 0;
                inGroup = true;
            }
            if (pending > 0) {
                pending--;
                tcp = false;
            } else if (tcpEndsGroup) {
                tcp = true;
                inGroup = false;
            } else {
                ended = true;
                return false;
            }
            long z = readVarint();
            nanos = previous + ((z >>> 1) ^ -(z & 1));
            previous = nanos;
            frame++;
            return true;
        }

        /** The frame's time. */
        public long nanos() { return nanos; }

        /** Whether the frame was a TCP segment. */
        public boolean tcp() { return tcp; }

        /** The frame's position in the whole input ({@link PacketTimes#position}). */
        public long position() { return file * FILE_STRIDE + frame; }

        private long readVarint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (next == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    next = 0;
                    if (limit <= 0) {
                        limit = 0;
                        throw new EOFException("packet-time track ends inside a frame");
                    }
                }
                int b = buffer[next++];
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new EOFException("packet-time track: a varint longer than 64 bits");
        }
    }

    private static final int BUFFER = 1 << 16;
}
