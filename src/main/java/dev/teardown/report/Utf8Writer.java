package dev.teardown.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A buffered UTF-8 writer for output files whose text is nearly all ASCII (rows, JSON lines, the timeline): each
 * String is encoded whole by the JDK, which copies an ASCII String's bytes at once, instead of being copied into
 * chars and encoded char by char as {@code BufferedWriter} over {@code OutputStreamWriter} does. A lone surrogate,
 * which no output of teardown holds, is written as {@code ?}. Memory: one buffer of 64 KiB.
 */
public final class Utf8Writer extends Writer implements Utf8Bytes {
    private static final int SIZE = 1 << 16;
    private final OutputStream out;
    private final byte[] buf = new byte[SIZE];
    private int count;

    /** Writes into {@code out}, which it closes when closed. */
    public Utf8Writer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        byte[] b = (off == 0 && len == s.length() ? s : s.substring(off, off + len)).getBytes(StandardCharsets.UTF_8);
        writeUtf8(b, 0, b.length);
    }

    @Override
    public void writeUtf8(byte[] b, int off, int len) throws IOException {
        if (len > SIZE - count) {
            flushBuffer();
            if (len > SIZE) {
                out.write(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void write(char[] c, int off, int len) throws IOException {
        write(new String(c, off, len), 0, len);
    }

    @Override
    public void write(int c) throws IOException {
        write(String.valueOf((char) c), 0, 1);
    }

    private void flushBuffer() throws IOException {
        if (count > 0) out.write(buf, 0, count);
        count = 0;
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();
        }
    }
}
