package dev.teardown.capture;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The file's own byte stream with a count of the bytes taken from it, so progress is measured against the
 * file's size even when the capture inside is gzip-compressed.
 *
 * <p>It sits under the reader's buffer (1 MiB reads) or gzip's input buffer (64 KiB reads): one addition
 * per large read, nothing per packet.
 */
final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) count++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) count += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) count += skipped;
        return skipped;
    }

    /** Mark and reset would count bytes twice; nothing above this stream needs them. */
    @Override
    public boolean markSupported() {
        return false;
    }

    /** Bytes taken from the underlying stream so far. */
    long count() {
        return count;
    }
}
