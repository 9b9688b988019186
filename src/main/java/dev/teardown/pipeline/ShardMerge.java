package dev.teardown.pipeline;

import dev.teardown.capture.ConcatenatedSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a sharded run, in one place: reads every shard's log ({@link ShardLog}) batch by batch alongside
 * the {@link PacketTimes} tracks, and merges them as the {@link Merger} merges the threads' outputs: the records in
 * the order one thread writes them, numbered 1, 2, 3 ..., to {@code sinks} (the summary), the TIME_WAIT stage told
 * what one thread tells it, in the same order, and the connections held at once counted across the shards. Then the
 * totals, as one thread's: the files' decoder counts added up, their warnings named by file as
 * {@link ConcatenatedSource} names them, the first and last packet.
 *
 * <p>Its work is one pass over the tracks (a few bytes a frame) and over the logs (the segments the stage is told:
 * those with payload, SYN, FIN or RST, or a side's first; and a record per connection). Memory: one batch with each
 * shard's output for it, the fixed fields of the connections begun and not yet written, and the stage's own.
 */
public final class ShardMerge {
    private ShardMerge() {}

    /**
     * Merges the shards' {@code logs} over {@code files} (their names, their facts and tracks, in order) into
     * {@code sinks} and {@code stage}, which is finished; returns the run's totals. {@code options} are the shards'.
     */
    public static CaptureTotals run(List<String> files, List<ShardInput.FileFacts> facts, ShardAnalysis.Tracks tracks,
                                    List<DataInput> logs, AnalyzeOptions options, List<? extends RecordSink> sinks,
                                    TimeWaitStage stage) throws IOException {
        int shards = logs.size();
        if (shards < 1 || shards > Byte.MAX_VALUE) throw new IllegalArgumentException("shards: " + shards);
        List<ShardLog.Reader> readers = new ArrayList<>(shards);
        for (DataInput log : logs) readers.add(new ShardLog.Reader(log, stage));
        Merger merger = new Merger(null, null, sinks, shards, new RunState(), stage);
        Batch batch = new Batch(shards);
        TcpSegment time = new TcpSegment();
        time.data = new byte[0];
        Overlaps overlaps = new Overlaps(files);
        long first = PacketTime.UNSET;
        long last = PacketTime.UNSET;
        for (int f = 0; f < files.size(); f++) {
            PacketTimes.Reader track = new PacketTimes.Reader(tracks.open(f), f);
            overlaps.fileStarted();
            while (track.next()) {
                long t = track.nanos();
                if (t < first || !PacketTime.isSet(first)) first = t;
                if (t > last) last = t;
                overlaps.frame(t);
                if (!track.tcp()) continue;
                time.timeNanos = t;
                batch.add(time, track.position(), 0);
                if (batch.count == Batch.SEGMENTS) merge(batch, readers, merger);
            }
            overlaps.fileEnded(f);
        }
        batch.last = true;
        merge(batch, readers, merger);

        long evictions = 0;
        for (DataInput log : logs) evictions += log.readLong();
        DecodeStats stats = new DecodeStats();
        for (ShardInput.FileFacts f : facts) stats.add(f.decodeCounts());
        List<String> warnings = files.size() == 1 ? facts.get(0).warnings() : overlaps.warnings(facts);
        return Pipeline.totals(stats, warnings, evictions, options.maxConnections(), stage.warnings(), merger.peak(),
            first, last);
    }

    private static void merge(Batch batch, List<ShardLog.Reader> readers, Merger merger) throws IOException {
        for (int k = 0; k < readers.size(); k++) readers.get(k).read(batch, batch.outputs[k]);
        merger.merge(batch);
        for (WorkerOutput o : batch.outputs) o.clear();
        batch.clear();
    }

    /**
     * The packets of each file older than the newest of the files before it, counted as {@link ConcatenatedSource}
     * counts them while it reads the files one after another, for the same warnings.
     */
    private static final class Overlaps {
        private final List<String> files;
        private final String[] warnings;
        private long earlierNewest = PacketTime.UNSET;
        private long newest;
        private long older;
        private long firstOlder;

        Overlaps(List<String> files) {
            this.files = files;
            this.warnings = new String[files.size()];
        }

        void fileStarted() {
            newest = PacketTime.UNSET;
            older = 0;
        }

        void frame(long t) {
            if (t > newest) newest = t;
            if (t < earlierNewest && older++ == 0) firstOlder = t;
        }

        void fileEnded(int f) {
            if (older > 0) warnings[f] = ConcatenatedSource.overlapWarning(files.get(f), older, firstOlder, earlierNewest);
            if (newest > earlierNewest) earlierNewest = newest;
        }

        /** Each file's reader warnings named by the file, then its overlap warning, file by file. */
        List<String> warnings(List<ShardInput.FileFacts> facts) {
            List<String> all = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                for (String w : facts.get(f).warnings()) all.add(files.get(f) + ": " + w);
                if (warnings[f] != null) all.add(warnings[f]);
            }
            return List.copyOf(all);
        }
    }
}
