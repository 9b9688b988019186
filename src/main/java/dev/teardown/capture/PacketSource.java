package dev.teardown.capture;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** A stream of captured frames from a file or an interface, read one at a time into a reused {@link Frame}. */
public interface PacketSource extends Closeable {

    /**
     * Fills {@code frame} with the next packet.
     *
     * @return false at the end of the capture, including a capture cut short inside its last record
     *     (that case adds a line to {@link #warnings()})
     * @throws CaptureFormatException when the capture cannot be read further (garbage, absurd lengths)
     * @throws IOException on an I/O failure
     */
    boolean next(Frame frame) throws IOException;

    /** A name for messages: the file path, or the interface. */
    String name();

    /**
     * Bytes taken from the capture file(s) so far (compressed bytes for gzip), for progress against the
     * files' sizes; 0 for a source that is not read from files.
     */
    default long bytesRead() { return 0; }

    /** Non-fatal problems met so far, one line each (a truncated last record, skipped blocks). */
    List<String> warnings();
}
