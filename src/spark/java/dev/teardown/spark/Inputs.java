package dev.teardown.spark;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.pipeline.PacketTimes;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The run's capture files: every file the given paths and globs match (a directory stands for the files in it), put
 * in capture order by a first, small job that reads each file's first packet. Ring files (tcpdump -C / -G) follow
 * each other in time, whatever their names sort as ({@code capture.pcap10} before {@code capture.pcap2}): ordered by
 * their first packet (then name), they are read as one capture, as {@code analyze} reads files given in that order.
 */
final class Inputs {
    /** Files whose first packet the driver reads itself: a job costs more than opening a few. */
    static final int DRIVER_FILES = 16;

    private Inputs() {}

    /** A file whose first packet could not be read: the message names the file and why. */
    static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** The files {@code patterns} match, each once, not yet in order; none matched is an {@link Unreadable}. */
    static List<InputFile> list(List<String> patterns, Configuration conf) throws IOException {
        List<InputFile> files = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String pattern : patterns) {
            Path p = new Path(pattern);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matched = fs.globStatus(p);
            if (matched == null || matched.length == 0) throw new Unreadable(pattern + ": no such file");
            for (FileStatus m : matched) {
                FileStatus[] inside = m.isDirectory() ? fs.listStatus(m.getPath()) : new FileStatus[] {m};
                for (FileStatus f : inside) {
                    if (!f.isFile() || f.getPath().getName().startsWith(".")) continue;
                    String uri = f.getPath().toString();
                    if (seen.add(uri)) files.add(new InputFile(uri, name(f.getPath()), -1));
                }
            }
        }
        if (files.isEmpty()) throw new Unreadable(String.join(", ", patterns) + ": no files");
        if (files.size() > PacketTimes.MAX_FILES) {
            throw new Unreadable(files.size() + " files: at most " + PacketTimes.MAX_FILES + " in one run");
        }
        return files;
    }

    /** A file's name in records and messages: the path alone on the local file system, else the whole URI. */
    static String name(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** {@code files} in capture order, numbered; a file that cannot be read is an {@link Unreadable}. */
    static List<InputFile> ordered(JavaSparkContext sc, List<InputFile> files, HadoopConf conf) throws Unreadable {
        // A few files are opened here; many by a job, a task per core.
        List<First> firsts = files.size() <= DRIVER_FILES ? files.stream().map(f -> First.of(f, conf)).toList()
            : sc.parallelize(files, Math.min(files.size(), sc.defaultParallelism())).map(f -> First.of(f, conf)).collect();
        for (First f : firsts) if (f.problem() != null) throw new Unreadable(f.problem());
        List<First> sorted = new ArrayList<>(firsts);
        // Files without packets last: they add nothing but their warnings.
        sorted.sort(Comparator.comparing((First f) -> !PacketTime.isSet(f.nanos()))
            .thenComparingLong(First::nanos).thenComparing(f -> f.file().name()));
        List<InputFile> numbered = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) numbered.add(sorted.get(i).file().numbered(i));
        return numbered;
    }

    /**
     * A file's first packet time ({@link PacketTime#UNSET} without packets), or why it cannot be read. A class, not a
     * record: Spark's Kryo serializer carries it back.
     */
    static final class First implements Serializable {
        private static final long serialVersionUID = 1L;
        private final InputFile file;
        private final long nanos;
        private final String problem;

        First(InputFile file, long nanos, String problem) {
            this.file = file;
            this.nanos = nanos;
            this.problem = problem;
        }

        InputFile file() { return file; }

        long nanos() { return nanos; }

        String problem() { return problem; }

        static First of(InputFile file, HadoopConf conf) {
            Path path = new Path(file.uri());
            try (PacketSource source = CaptureFiles.open(path.getFileSystem(conf.get()).open(path), file.name())) {
                Frame frame = new Frame();
                return new First(file, source.next(frame) ? frame.timeNanos() : PacketTime.UNSET, null);
            } catch (IOException e) {
                String m = e.getMessage();
                return new First(file, PacketTime.UNSET, m != null && m.startsWith(file.name()) ? m : file.name() + ": " + m);
            }
        }
    }
}
