package dev.teardown.spark;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.FlowHash;
import dev.teardown.pipeline.PacketTimes;
import dev.teardown.pipeline.SegmentCodec;
import dev.teardown.pipeline.ShardInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import scala.Tuple2;

/**
 * The first step, one task per capture file: streams the file (pcap, pcapng, gzip, through Hadoop's file system)
 * and hands each TCP segment on, compact, keyed by its shard and position, as the task is asked for them; the file's
 * packet-time track and facts go to the work files. A file is never held in memory: one frame at a time.
 */
final class DecodeTask implements PairFlatMapFunction<InputFile, SegmentKey, byte[]> {
    private static final long serialVersionUID = 1L;
    private final WorkFiles work;
    private final long hashKey;
    private final int shards;
    private final int payloadCap;

    DecodeTask(WorkFiles work, long hashKey, int shards, int payloadCap) {
        this.work = work;
        this.hashKey = hashKey;
        this.shards = shards;
        this.payloadCap = payloadCap;
    }

    @Override
    public Iterator<Tuple2<SegmentKey, byte[]>> call(InputFile file) throws IOException {
        Path path = new Path(file.uri());
        PacketSource source = CaptureFiles.open(path.getFileSystem(work.conf()).open(path), file.name());
        DataOutputStream track = work.create(work.track(file.number()));
        TaskContext task = TaskContext.get();
        if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> closeQuietly(source));
        ShardInput.Reader reader = new ShardInput.Reader(source, file.number(), FlowHash.keyed(hashKey), shards,
            new PacketTimes.Writer(track));
        return new Iterator<>() {
            private boolean ready;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (ready) return true;
                if (ended) return false;
                try {
                    if (reader.next()) return ready = true;
                    ended = true;
                    track.close();
                    try (DataOutputStream facts = work.create(work.facts(file.number()))) {
                        reader.facts().write(facts);
                    }
                    source.close();
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Tuple2<SegmentKey, byte[]> next() {
                if (!hasNext()) throw new NoSuchElementException();
                ready = false;
                return new Tuple2<>(new SegmentKey(reader.shard(), reader.position()),
                    SegmentCodec.encode(reader.segment(), payloadCap));
            }
        };
    }

    private static void closeQuietly(PacketSource source) {
        try {
            source.close();
        } catch (IOException e) {
            // Closing after the task: nothing more is read from it.
        }
    }
}
