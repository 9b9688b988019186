package dev.teardown.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files the steps of a run hand each other, under {@code OUTPUT/_work} (deleted at the end): per input file its
 * packet-time track and facts, per shard its log. Each is written under a temporary name and renamed when complete,
 * so a task run twice (a retry, a speculative copy) leaves one whole file; both write the same bytes.
 */
final class WorkFiles implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int BUFFER = 1 << 16;
    private final String root;
    private final HadoopConf conf;

    WorkFiles(String output, HadoopConf conf) {
        this.root = new Path(output, "_work").toString();
        this.conf = conf;
    }

    Path root() {
        return new Path(root);
    }

    Path track(int file) {
        return new Path(root, "tracks/" + file);
    }

    Path facts(int file) {
        return new Path(root, "facts/" + file);
    }

    Path log(int shard) {
        return new Path(root, "logs/" + shard);
    }

    org.apache.hadoop.conf.Configuration conf() {
        return conf.get();
    }

    FileSystem fs() throws IOException {
        return root().getFileSystem(conf.get());
    }

    /** A stream to {@code p} that appears under that name only once closed. */
    DataOutputStream create(Path p) throws IOException {
        FileSystem fs = fs();
        Path temporary = new Path(p.getParent(), "." + p.getName() + "." + java.util.UUID.randomUUID());
        return new DataOutputStream(new BufferedOutputStream(fs.create(temporary, true), BUFFER)) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                super.close();
                fs.delete(p, false);
                if (!fs.rename(temporary, p)) throw new IOException("could not rename " + temporary + " to " + p);
            }
        };
    }

    DataInputStream open(Path p) throws IOException {
        return new DataInputStream(new BufferedInputStream(fs().open(p), BUFFER));
    }
}
