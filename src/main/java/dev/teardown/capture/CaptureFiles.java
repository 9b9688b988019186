package dev.teardown.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Opens capture files by their content, never their name: pcap, pcapng, and either of them gzip-compressed. */
public final class CaptureFiles {
    private static final int GZIP_INPUT_BUFFER = 1 << 16;
    /** The bytes that tell the formats apart: a magic number or block type, or gzip's two-byte signature. */
    private static final int HEAD_LENGTH = 4;
    /** The smallest read buffer for a small file; {@link ChunkedInput#DEFAULT_CAPACITY} for the rest. */
    private static final int SMALL_FILE_BUFFER = 4096;

    private CaptureFiles() {}

    /** Opens one capture file. */
    public static PacketSource open(Path path) throws IOException {
        InputStream in = Files.newInputStream(path);
        try {
            return open(in, path.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Opens several capture files to be read one after another, in the order given (one file is read directly). */
    public static PacketSource open(List<Path> paths) throws IOException {
        return paths.size() == 1 ? open(paths.get(0)) : ConcatenatedSource.ofFiles(paths);
    }

    /** Reads a capture from a stream; {@code name} appears in messages. The source closes the stream. */
    public static PacketSource open(InputStream in, String name) throws IOException {
        // A small file needs no megabyte buffer (zeroing it dominated reading a few kilobytes); the buffer
        // still grows for a record larger than it, and available() is only a hint (0 for pipes).
        long hint = in.available();
        int capacity = hint > 0 && hint < ChunkedInput.DEFAULT_CAPACITY
                ? (int) Math.max(SMALL_FILE_BUFFER, hint + 1) : ChunkedInput.DEFAULT_CAPACITY;
        return open(in, name, capacity);
    }

    /** As {@link #open(InputStream, String)} with a chosen initial buffer size, so tests can force buffer moves. */
    static PacketSource open(InputStream in, String name, int bufferCapacity) throws IOException {
        CountingStream file = new CountingStream(in);
        PushbackInputStream stream = new PushbackInputStream(file, HEAD_LENGTH);
        byte[] head = stream.readNBytes(HEAD_LENGTH);
        stream.unread(head);
        return switch (CaptureFormat.of(head)) {
            case PCAP -> new PcapReader(new ChunkedInput(stream, file, name, bufferCapacity));
            case PCAPNG -> new PcapngReader(new ChunkedInput(stream, file, name, bufferCapacity));
            case GZIP -> openDecompressed(gunzip(stream, name), file, name, bufferCapacity);
            case UNKNOWN -> throw new CaptureFormatException(name, 0, unknownFormatReason(head));
        };
    }

    private static PacketSource openDecompressed(PushbackInputStream stream, CountingStream file, String name,
                                                 int bufferCapacity)
            throws IOException {
        byte[] head;
        try {
            head = stream.readNBytes(HEAD_LENGTH);
        } catch (EOFException e) {
            throw new CaptureFormatException(name, 0, "compressed stream ends before the capture header (truncated file)");
        } catch (ZipException e) {
            throw new CaptureFormatException(name, 0, "corrupt gzip data (" + e.getMessage() + ")");
        }
        stream.unread(head);
        return switch (CaptureFormat.of(head)) {
            case PCAP -> new PcapReader(new ChunkedInput(stream, file, name, bufferCapacity));
            case PCAPNG -> new PcapngReader(new ChunkedInput(stream, file, name, bufferCapacity));
            // One level is what tools write; a second is a mistake, and refusing it bounds decompression work.
            case GZIP -> throw new CaptureFormatException(name, 0, "gzip inside gzip; decompress the file first");
            case UNKNOWN -> throw new CaptureFormatException(name, 0, unknownFormatReason(head) + " after gzip decompression");
        };
    }

    private static PushbackInputStream gunzip(InputStream compressed, String name) throws IOException {
        try {
            return new PushbackInputStream(new GZIPInputStream(compressed, GZIP_INPUT_BUFFER), HEAD_LENGTH);
        } catch (EOFException e) {
            throw new CaptureFormatException(name, 0, "file ends inside the gzip header (truncated file)");
        } catch (ZipException e) {
            throw new CaptureFormatException(name, 0, "bad gzip header (" + e.getMessage() + ")");
        }
    }

    private static String unknownFormatReason(byte[] head) {
        if (head.length == 0) {
            return "empty file";
        }
        if (head.length < HEAD_LENGTH) {
            return "file ends after " + head.length + " bytes, inside the capture header (truncated file)";
        }
        int magic = Bytes.int32(head, 0);
        String hint = switch (CompressionHint.of(magic)) {
            case ZSTD -> "; it is zstd-compressed: decompress it first (zstd -d)";
            case XZ -> "; it is xz-compressed: decompress it first (xz -d)";
            case BZIP2 -> "; it is bzip2-compressed: decompress it first (bunzip2)";
            case LZ4 -> "; it is lz4-compressed: decompress it first (lz4 -d)";
            case NONE -> "";
        };
        return String.format("not a pcap or pcapng file (magic 0x%08x)", magic) + hint;
    }

    /** The container formats told apart by their first four bytes. */
    private enum CaptureFormat {
        PCAP, PCAPNG, GZIP, UNKNOWN;

        static CaptureFormat of(byte[] head) {
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return GZIP;
            }
            if (head.length < HEAD_LENGTH) {
                return UNKNOWN;
            }
            int magic = Bytes.int32(head, 0);
            if (PcapReader.isMagic(magic) || PcapReader.isMagic(Integer.reverseBytes(magic))) {
                return PCAP;
            }
            // The block type reads the same in either byte order.
            return magic == PcapngReader.SECTION_HEADER_TYPE ? PCAPNG : UNKNOWN;
        }
    }

    /** Compressors people often apply to captures, named in the error so the fix is obvious. */
    private enum CompressionHint {
        ZSTD, XZ, BZIP2, LZ4, NONE;

        static CompressionHint of(int magic) {
            if (magic >>> 8 == 0x425a68) {
                return BZIP2;
            }
            return switch (magic) {
                case 0x28b52ffd -> ZSTD;
                case 0xfd377a58 -> XZ;
                case 0x04224d18 -> LZ4;
                default -> NONE;
            };
        }
    }
}
