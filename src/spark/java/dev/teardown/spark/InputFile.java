package dev.teardown.spark;

import java.io.Serializable;

/**
 * One capture file of a run: {@code uri} as Hadoop names it ({@code file:/...}, {@code hdfs://...},
 * {@code s3a://...}); {@code name} as records and messages give it (the path alone on the local file system, as
 * {@code analyze} names a file given by its path; the whole URI elsewhere); {@code number} its place in the capture
 * (from 0) once the files are in order, -1 before. A class, not a record: Spark's Kryo serializer carries it.
 */
final class InputFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String uri;
    private final String name;
    private final int number;

    InputFile(String uri, String name, int number) {
        this.uri = uri;
        this.name = name;
        this.number = number;
    }

    String uri() { return uri; }

    String name() { return name; }

    int number() { return number; }

    InputFile numbered(int n) {
        return new InputFile(uri, name, n);
    }
}
