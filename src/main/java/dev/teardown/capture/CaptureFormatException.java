package dev.teardown.capture;

import java.io.IOException;

/** A capture file that cannot be read further; the message names the file and the byte offset of the problem. */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String source, long offset, String reason) {
        super(source + ": at byte " + offset + ": " + reason);
    }
}
