package dev.teardown.report;

import java.io.IOException;

/** A writer that also takes text already encoded as UTF-8, so a line built as bytes is not decoded and encoded again. */
public interface Utf8Bytes {
    /** Writes {@code len} bytes of UTF-8 text from {@code b}, from {@code off}. */
    void writeUtf8(byte[] b, int off, int len) throws IOException;
}
