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
        return create(p, false);
    }

    /**
     * The same, zstd-compressed (level 1, the fastest) when {@code compressed}: the shards' logs, whose snapshots of
     * one connection after another repeat most of their bytes, shrink several times for little work.
     */
    DataOutputStream create(Path p, boolean compressed) throws IOException {
        FileSystem fs = fs();
        Path temporary = new Path(p.getParent(), "." + p.getName() + "." + java.util.UUID.randomUUID());
        java.io.OutputStream raw = fs.create(temporary, true);
        if (compressed) raw = new com.github.luben.zstd.ZstdOutputStream(raw, 1);
        return new DataOutputStream(new BufferedOutputStream(raw, BUFFER)) {
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
        return open(p, false);
    }

    /** Reads {@code p}, written by {@link #create(Path, boolean)} with the same {@code compressed}. */
    DataInputStream open(Path p, boolean compressed) throws IOException {
        java.io.InputStream raw = fs().open(p);
        if (compressed) raw = new com.github.luben.zstd.ZstdInputStream(raw);
        return new DataInputStream(new BufferedInputStream(raw, BUFFER));
    }
}
