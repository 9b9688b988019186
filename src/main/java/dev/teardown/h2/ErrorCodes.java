package dev.teardown.h2;

import java.util.Locale;

/** The names of HTTP/2 error codes (RFC 9113 section 7), for GOAWAY's outputs. */
final class ErrorCodes {
    private ErrorCodes() {}

    /** RFC 9113 section 7: the stream was refused before any processing (section 8.7). */
    static final long REFUSED_STREAM = 0x7;

    private static final String[] NAMES = {
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    };

    /** The code's name, or {@code 0xNN} for a code the RFC does not define (section 7: unknown codes are allowed). */
    static String name(long code) {
        return code >= 0 && code < NAMES.length ? NAMES[(int) code] : String.format(Locale.ROOT, "0x%x", code);
    }
}
