package dev.teardown.stream;

/** Receives one direction of a TCP connection as an in-order byte stream, as the HTTP stage assembles it. */
public interface StreamSink {
    /** Called once, before any data: whether the first byte to come is the first byte the side ever sent. */
    void begin(boolean streamStart);

    /** The next {@code len} bytes of the stream, in {@code b[off, off + len)}; valid only during the call. */
    void data(byte[] b, int off, int len, long timeNanos);

    /** The next {@code len} bytes of the stream are missing from the capture. */
    void gap(long len, long timeNanos);
}
