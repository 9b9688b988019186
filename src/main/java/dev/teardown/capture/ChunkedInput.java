package dev.teardown.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A byte stream read in large chunks into one reusable buffer, so that readers parse records in place.
 *
 * <p>The buffer only grows when a single record is larger than it, up to {@link #MAX_CAPACITY}; offsets
 * are longs because captures routinely pass 4 GB.
 */
final class ChunkedInput {
    /**
     * 256 KiB: a chunk the parser reads while it is still in the core's cache after the read copied it in (with
     * 1 MiB, the first look at each record header showed in profiles as a cache miss: 3.1% of a churn run's
     * samples against 2.4%).
     */
    static final int DEFAULT_CAPACITY = 1 << 18;
    /** The largest record any reader asks for: a pcapng block of 64 MiB. */
    static final int MAX_CAPACITY = 64 << 20;

    private final InputStream in;
    private final CountingStream file;
    private final String name;
    private byte[] buffer;
    private int pos;
    private int limit;
    private long bufferStart;
    private boolean endOfStream;
    private boolean cutShort;

    /** Reads {@code in} directly, counting the bytes taken from it. */
    ChunkedInput(InputStream in, String name, int initialCapacity) {
        this(counted(in), name, initialCapacity);
    }

    private ChunkedInput(CountingStream in, String name, int initialCapacity) {
        this(in, in, name, initialCapacity);
    }

    private static CountingStream counted(InputStream in) {
        return in instanceof CountingStream c ? c : new CountingStream(in);
    }

    /**
     * Reads {@code in}, a view (pushback, gunzip) of {@code file}, whose count is what {@link #fileBytesRead}
     * reports.
     */
    ChunkedInput(InputStream in, CountingStream file, String name, int initialCapacity) {
        this.in = in;
        this.file = file;
        this.name = name;
        this.buffer = new byte[Math.max(16, Math.min(initialCapacity, MAX_CAPACITY))];
    }

    /**
     * Makes at least {@code n} bytes available from {@link #pos()}, reading and compacting as needed.
     *
     * @return false when the stream ends first; {@link #available()} then tells how many bytes were left
     */
    boolean request(int n) throws IOException {
        return limit - pos >= n || fill(n);
    }

    private boolean fill(int n) throws IOException {
        if (n > MAX_CAPACITY) {
            throw new CaptureFormatException(name, offset(), "record of " + n + " bytes exceeds the reader's limit");
        }
        while (limit - pos < n && !endOfStream) {
            if (limit == buffer.length) {
                makeRoom(n);
            }
            int read = read(limit, buffer.length - limit);
            if (read < 0) {
                endOfStream = true;
            } else {
                limit += read;
            }
        }
        return limit - pos >= n;
    }

    /**
     * Frees space in a full buffer: moves the unread bytes to the front, or doubles the buffer when they are
     * the start of a record larger than it. Doubling as data arrive, rather than jumping to the record's
     * declared length, keeps a corrupt length in a small file from allocating 64 MiB.
     */
    private void makeRoom(int n) {
        int remaining = limit - pos;
        byte[] target = buffer;
        if (pos == 0 && n > buffer.length) {
            target = new byte[(int) Math.min(MAX_CAPACITY, 2L * buffer.length)];
        }
        System.arraycopy(buffer, pos, target, 0, remaining);
        bufferStart += pos;
        buffer = target;
        pos = 0;
        limit = remaining;
    }

    private int read(int off, int len) throws IOException {
        try {
            return in.read(buffer, off, len);
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off compressed stream this way; to the readers it is just a short file.
            cutShort = true;
            return -1;
        } catch (ZipException e) {
            throw new CaptureFormatException(name, bufferStart + limit, "corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    /** Skips up to {@code n} bytes without keeping them in the buffer; returns how many were skipped. */
    long discard(long n) throws IOException {
        long skipped = 0;
        while (skipped < n) {
            if (pos == limit && !fill(1)) {
                break;
            }
            int step = (int) Math.min(n - skipped, limit - pos);
            pos += step;
            skipped += step;
        }
        return skipped;
    }

    /** Consumes {@code n} bytes that {@link #request} made available. */
    void skip(int n) {
        pos += n;
    }

    /** The current buffer; it changes when the buffer is compacted or grown, so re-read it after {@link #request}. */
    byte[] buffer() { return buffer; }

    /** Index in {@link #buffer()} of the next unread byte. */
    int pos() { return pos; }

    /** Bytes buffered and not yet consumed. */
    int available() { return limit - pos; }

    /** Offset in the stream of the next unread byte. */
    long offset() { return bufferStart + pos; }

    /** Whether the underlying (compressed) stream itself ended early, not just the capture inside it. */
    boolean cutShort() { return cutShort; }

    String name() { return name; }

    /** Bytes taken from the file itself so far (compressed bytes for a gzip file): progress against its size. */
    long fileBytesRead() { return file.count(); }

    void close() throws IOException {
        in.close();
    }
}
