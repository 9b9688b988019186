package dev.teardown.spark;

import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.ShardAnalysis;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The second step, one task per shard: the shard's segments, sorted by position, through {@link ShardAnalysis} (the
 * teardown, HTTP and TIME_WAIT-recording stages the threads run), walking every file's packet-time track alongside;
 * its records come out as rows a batch at a time, its log goes to the work files for the driver's merge. Memory: the
 * connections the shard holds and one batch (the shuffle spills the sorted segments to disk as it needs).
 */
final class ShardTask implements Function2<Integer, Iterator<Tuple2<SegmentKey, byte[]>>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final WorkFiles work;
    private final List<String> files;
    private final long timeWaitNanos;
    private final long idleNanos;
    private final int maxConnections;

    ShardTask(WorkFiles work, List<String> files, AnalyzeOptions options) {
        this.work = work;
        this.files = List.copyOf(files);
        this.timeWaitNanos = options.timeWaitNanos();
        this.idleNanos = options.idleTimeoutNanos();
        this.maxConnections = options.maxConnections();
    }

    @Override
    public Iterator<Row> call(Integer shard, Iterator<Tuple2<SegmentKey, byte[]>> segments) throws IOException {
        DataOutputStream log = work.create(work.log(shard), true);
        FlowRows rows = new FlowRows();
        ArrayDeque<Row> ready = new ArrayDeque<>();
        DataInputStream[] track = new DataInputStream[1];
        TaskContext task = TaskContext.get();
        if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> closeQuietly(track[0]));
        ShardAnalysis analysis = new ShardAnalysis(new AnalyzeOptions(timeWaitNanos, idleNanos, maxConnections), true,
            files, file -> {
                closeQuietly(track[0]);
                return track[0] = work.open(work.track(file));
            }, own(segments), log, r -> ready.add(rows.row(r)));
        return new Iterator<>() {
            private boolean done;

            @Override
            public boolean hasNext() {
                try {
                    while (ready.isEmpty() && !done) {
                        if (!analysis.step()) {
                            done = true;
                            log.close();
                            closeQuietly(track[0]);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return ready.poll();
            }
        };
    }

    private static ShardAnalysis.Segments own(Iterator<Tuple2<SegmentKey, byte[]>> segments) {
        return new ShardAnalysis.Segments() {
            private Tuple2<SegmentKey, byte[]> current;

            @Override
            public boolean next() {
                current = segments.hasNext() ? segments.next() : null;
                return current != null;
            }

            @Override
            public long position() {
                return current._1().position;
            }

            @Override
            public byte[] segment() {
                return current._2();
            }
        };
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            // A track read to its end, or a task that ended: nothing more comes from it.
        }
    }
}
