package dev.teardown.report;

import java.io.IOException;

/** Something that takes finished connections' records, in the order they are handed on. */
public interface RecordSink extends java.util.function.Consumer<FlowRecord>, java.io.Closeable {
    @Override
    default void close() throws IOException {}
}
