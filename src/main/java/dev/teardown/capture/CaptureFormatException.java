package dev.teardown.capture;

import java.io.IOException;

/**
 * A capture file that cannot be read further; the message names the file and, where known, the byte offset of the
 * problem.
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String source, long offset, String reason) {
        super(source + ": at byte " + offset + ": " + reason);
    }

    /** For a reader that cannot say where in the file the problem lies (libpcap's, through pcap4j). */
    public CaptureFormatException(String source, String reason) {
        super(source + ": " + reason);
    }
}
