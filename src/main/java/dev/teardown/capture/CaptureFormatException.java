package dev.teardown.capture;

import java.io.IOException;

/** A capture file that cannot be read further, with the file name and the byte offset of the problem. */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final long offset;

    public CaptureFormatException(String source, long offset, String reason) {
        super(source + ": at byte " + offset + ": " + reason);
        this.source = source;
        this.offset = offset;
    }

    /** The file (or interface) being read. */
    public String source() { return source; }

    /** Offset in the (decompressed) stream where reading failed. */
    public long offset() { return offset; }
}
