package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.FlowHash;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first step of a sharded run, for one input file, on its own: reads it frame by frame, decodes each frame as
 * one thread would, hands every TCP segment with its position to the shard {@link FlowHash} names (both directions
 * of a connection to one shard, as the threads of a parallel analysis), and writes every frame's time to the file's
 * {@link PacketTimes} track. Memory: one frame and one segment, whatever the file's size.
 */
public final class ShardInput {
    private ShardInput() {}

    /** Takes each TCP segment of the file: the shard it goes to, its position, and the segment (reused after). */
    @FunctionalInterface
    public interface Segments {
        void accept(int shard, long position, TcpSegment segment) throws IOException;
    }

    /**
     * What reading one file found, for the run's totals.
     *
     * @param frames frames read
     * @param decodeCounts the decoder's counts ({@link DecodeStats#counts})
     * @param warnings the reader's warnings (a capture cut short, timestamp problems), not yet named by file
     */
    public record FileFacts(long frames, long[] decodeCounts, List<String> warnings) {
        public FileFacts {
            decodeCounts = decodeCounts.clone();
            warnings = List.copyOf(warnings);
        }

        @Override
        public long[] decodeCounts() {
            return decodeCounts.clone();
        }

        /** Writes these facts to {@code out}. */
        public void write(DataOutput out) throws IOException {
            out.writeLong(frames);
            out.writeInt(decodeCounts.length);
            for (long c : decodeCounts) out.writeLong(c);
            out.writeInt(warnings.size());
            for (String w : warnings) out.writeUTF(w);
        }

        /** Reads facts {@link #write} wrote. */
        public static FileFacts read(DataInput in) throws IOException {
            long frames = in.readLong();
            long[] counts = new long[in.readInt()];
            for (int i = 0; i < counts.length; i++) counts[i] = in.readLong();
            int n = in.readInt();
            List<String> warnings = new ArrayList<>(n);
            for (int i = 0; i < n; i++) warnings.add(in.readUTF());
            return new FileFacts(frames, counts, warnings);
        }
    }

    /**
     * Reads {@code source}, file number {@code file} of the run, to its end: each TCP segment to {@code out} with the
     * shard of {@code shards} that {@code hash} gives it, every frame's time to {@code times}.
     */
    public static FileFacts read(PacketSource source, int file, FlowHash hash, int shards, Segments out,
                                 PacketTimes.Writer times) throws IOException {
        Reader r = new Reader(source, file, hash, shards, times);
        while (r.next()) out.accept(r.shard(), r.position(), r.segment());
        return r.facts();
    }

    /** The same, pulled one TCP segment at a time (a Spark task hands them on as it is asked for them). */
    public static final class Reader {
        private final PacketSource source;
        private final int file;
        private final FlowHash hash;
        private final int shards;
        private final PacketTimes.Writer times;
        private final DecodeStats stats = new DecodeStats();
        private final PacketDecoder decoder = new PacketDecoder(stats);
        private final TcpSegment segment = new TcpSegment();
        private final Frame frame = new Frame();
        private long index;
        private int shard;
        private boolean ended;

        /** Reads {@code source}, file {@code file}, for {@code shards} shards by {@code hash}; times to {@code times}. */
        public Reader(PacketSource source, int file, FlowHash hash, int shards, PacketTimes.Writer times) {
            if (shards < 1) throw new IllegalArgumentException("shards: " + shards);
            this.source = source;
            this.file = file;
            this.hash = hash;
            this.shards = shards;
            this.times = times;
        }

        /** Moves to the next TCP segment, writing the time of every frame up to it; false at the end of the file. */
        public boolean next() throws IOException {
            if (ended) return false;
            while (source.next(frame)) {
                index++;
                PacketTimes.position(file, index); // checks the frame number is in range
                boolean tcp = decoder.decode(frame, segment) == PacketDecoder.Result.TCP;
                times.frame(frame.timeNanos(), tcp);
                if (tcp) {
                    shard = hash.worker(segment, shards);
                    return true;
                }
            }
            times.end();
            ended = true;
            return false;
        }

        /** The segment's shard. */
        public int shard() { return shard; }

        /** The segment's position ({@link PacketTimes#position}). */
        public long position() { return file * PacketTimes.FILE_STRIDE + index; }

        /** The segment, valid until the next call of {@link #next}. */
        public TcpSegment segment() { return segment; }

        /** What reading found, once {@link #next} returned false. */
        public FileFacts facts() {
            if (!ended) throw new IllegalStateException("the file is still being read");
            return new FileFacts(index, stats.counts(), source.warnings());
        }
    }
}
