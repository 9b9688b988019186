package dev.teardown.teardown;

import dev.teardown.decode.TcpSegment;

/** Guesses a mid-stream segment's direction from its first payload bytes (an HTTP/1.x start line). */
final class PayloadHint {
    private PayloadHint() {}

    private static final byte[][] METHODS = {
        ascii("GET "), ascii("POST "), ascii("PUT "), ascii("HEAD "), ascii("DELETE "),
        ascii("OPTIONS "), ascii("PATCH "), ascii("CONNECT "), ascii("TRACE "),
    };
    private static final byte[] RESPONSE = ascii("HTTP/1.");

    /** +1 when the sender looks like an HTTP client, -1 like an HTTP server, 0 when there is no telling. */
    static int httpDirection(TcpSegment seg) {
        if (seg.capturedPayloadLength <= 0) return 0;
        if (startsWith(seg, RESPONSE)) return -1;
        for (byte[] m : METHODS) if (startsWith(seg, m)) return 1;
        return 0;
    }

    private static boolean startsWith(TcpSegment seg, byte[] prefix) {
        if (seg.capturedPayloadLength < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (seg.data[seg.payloadOffset + i] != prefix[i]) return false;
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
