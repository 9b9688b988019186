package dev.teardown.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a classic pcap file, byte for byte as captured, so that {@code analyze} reads back the same frames.
 *
 * <p>The file is little-endian, version 2.4, with the nanosecond magic ({@code a1b23c4d}) or the microsecond one
 * ({@code a1b2c3d4}); microsecond files truncate each time to the microsecond, as libpcap does.
 */
public final class PcapFileWriter implements Closeable {
    /** The files are little-endian, as libpcap writes them on x86 and ARM hosts. */
    private static final boolean BIG_ENDIAN_FILES = false;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final long MAX_UINT32 = 0xffff_ffffL;

    private final OutputStream out;
    private final String name;
    private final boolean nanosecond;
    private final byte[] header = new byte[PcapReader.RECORD_HEADER_LENGTH];
    private boolean closed;

    /** Creates or truncates {@code file} and writes the file header. */
    public PcapFileWriter(Path file, int linkType, int snaplen, boolean nanosecond) throws IOException {
        this(Files.newOutputStream(file), file.toString(), linkType, snaplen, nanosecond);
    }

    /** Writes to a stream, which the writer closes; {@code name} appears in messages. */
    PcapFileWriter(OutputStream stream, String name, int linkType, int snaplen, boolean nanosecond) throws IOException {
        this.out = new BufferedOutputStream(stream, BUFFER_BYTES);
        this.name = name;
        this.nanosecond = nanosecond;
        byte[] fileHeader = new byte[PcapReader.FILE_HEADER_LENGTH];
        int magic = nanosecond ? PcapReader.NANOSECOND_MAGIC : PcapReader.MICROSECOND_MAGIC;
        Bytes.putInt32(fileHeader, 0, magic, BIG_ENDIAN_FILES);
        fileHeader[4] = PcapReader.VERSION_MAJOR;
        fileHeader[6] = PcapReader.VERSION_MINOR;
        // Bytes 8..15 are thiszone and sigfigs, always zero.
        Bytes.putInt32(fileHeader, 16, snaplen, BIG_ENDIAN_FILES);
        Bytes.putInt32(fileHeader, 20, linkType, BIG_ENDIAN_FILES);
        try {
            out.write(fileHeader);
        } catch (IOException e) {
            out.close();
            throw e;
        }
    }

    /** Appends one record: the frame's time, captured and original lengths, and its captured bytes. */
    public void write(Frame frame) throws IOException {
        long seconds = Math.floorDiv(frame.timeNanos(), TimestampResolution.NANOS_PER_SECOND);
        long fractionNanos = Math.floorMod(frame.timeNanos(), TimestampResolution.NANOS_PER_SECOND);
        if (seconds < 0 || seconds > MAX_UINT32) {
            throw new IOException(name + ": cannot write a packet time outside 1970..2106 to a pcap file");
        }
        Bytes.putInt32(header, 0, (int) seconds, BIG_ENDIAN_FILES);
        long fraction = nanosecond ? fractionNanos : fractionNanos / TimestampResolution.NANOS_PER_MICROSECOND;
        Bytes.putInt32(header, 4, (int) fraction, BIG_ENDIAN_FILES);
        Bytes.putInt32(header, 8, frame.capturedLength(), BIG_ENDIAN_FILES);
        Bytes.putInt32(header, 12, frame.originalLength(), BIG_ENDIAN_FILES);
        out.write(header);
        out.write(frame.data(), frame.offset(), frame.capturedLength());
    }

    /** Pushes buffered records to the file, so that a reader sees everything written so far. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
