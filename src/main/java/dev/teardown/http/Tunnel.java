package dev.teardown.http;

import dev.teardown.stream.StreamSink;

/**
 * One direction's hand-over from HTTP/1.x to HTTP/2 (prior knowledge, RFC 9113 section 3.3; {@code Upgrade: h2c},
 * RFC 7540 section 3.2): the sink that takes the direction's bytes from the switch on, told before its first bytes
 * whether they follow the last byte parsed as HTTP/1.x. Memory: the sink and two flags.
 */
final class Tunnel {
    private final StreamSink sink;
    private boolean begun;
    /** Whether the sink's first byte follows the last parsed byte (no gap, not lost). */
    private boolean inSync;

    /** A tunnel to {@code sink}; {@code inSync}: the direction was not lost when it switched. */
    Tunnel(StreamSink sink, boolean inSync) {
        this.sink = sink;
        this.inSync = inSync;
    }

    /** The direction switched before it sent anything: its stream start decides where the sink's stream starts. */
    void begin(boolean streamStart) {
        inSync = streamStart;
    }

    /** Hands {@code b[from, to)} on; returns {@code to}. */
    int data(byte[] b, int from, int to, long t) {
        start();
        if (to > from) sink.data(b, from, to - from, t);
        return to;
    }

    /** The next {@code len} bytes of the direction are missing from the capture. */
    void gap(long len, long t) {
        start();
        sink.gap(len, t);
    }

    private void start() {
        if (begun) return;
        begun = true;
        sink.begin(inSync);
    }
}
