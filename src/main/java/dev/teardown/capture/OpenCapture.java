package dev.teardown.capture;

import java.io.Closeable;

/**
 * A live source once its interface is open, with what the rest of the run needs to know of it: {@link LiveCapture} on
 * a real interface, or a scripted one in tests of the whole {@code live} command.
 */
public interface OpenCapture extends LiveSource, Closeable {
    /** The interface's name as given. */
    String device();

    /** The LINKTYPE_ value its frames carry, as a pcap file records it. */
    int linkType();

    /** The most bytes of a packet it captures. */
    int snaplen();

    /** Whether its timestamps have nanosecond precision (else microseconds). */
    boolean nanosecondTimestamps();

    /** Closes the interface; no exception, as there is nothing to do about one. */
    @Override
    void close();
}
