package dev.teardown.decode;

/** Helpers on {@link TcpSegment} that only tests need. */
public final class TestSegments {
    private TestSegments() {}

    /** Sequence space the segment occupies: payload plus one for SYN and one for FIN (RFC 9293 section 3.4). */
    public static int sequenceLength(TcpSegment seg) {
        return seg.payloadLength + (seg.has(TcpSegment.SYN) ? 1 : 0) + (seg.has(TcpSegment.FIN) ? 1 : 0);
    }
}
