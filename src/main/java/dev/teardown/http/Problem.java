package dev.teardown.http;

/** Why a line of a message was rejected: the detail behind a {@link HttpAnomaly} (no text is built per failure). */
enum Problem {
    BAD_METHOD("method is not a token followed by a space"),
    BAD_TARGET("request-target missing or holds a control character"),
    MISSING_VERSION("request line has no HTTP-version (HTTP/0.9 is not supported)"),
    BAD_VERSION("HTTP-version is not HTTP/DIGIT.DIGIT"),
    UNSUPPORTED_VERSION("HTTP-version is not HTTP/1.x"),
    BAD_STATUS("status code is not three digits from 100"),
    BAD_REASON("reason phrase holds a control character"),
    BAD_FIELD_NAME("field name is not a token"),
    MISSING_COLON("field line has no colon"),
    SPACE_BEFORE_COLON("whitespace between field name and colon (RFC 9112 section 5.1)"),
    BAD_FIELD_VALUE("field value holds a control character (RFC 9110 section 5.5)"),
    FOLD_WITHOUT_FIELD("continuation line with no field before it (RFC 9112 section 5.2)"),
    BAD_CONTENT_LENGTH("Content-Length is not one decimal number (RFC 9110 section 8.6)"),
    BAD_TRANSFER_CODING("request Transfer-Encoding does not end in chunked (RFC 9112 section 6.3)"),
    BAD_CHUNK_SIZE("chunk size is not hex digits (RFC 9112 section 7.1)"),
    BAD_CHUNK_END("chunk data not followed by CRLF (RFC 9112 section 7.1)"),
    TOO_MANY_EMPTY_LINES("too many empty lines before a start line (RFC 9112 section 2.2)"),
    LINE_TOO_LONG("line longer than the limit"),
    HEAD_TOO_LARGE("message head larger than the limit");

    private final String message;

    Problem(String message) {
        this.message = message;
    }

    String message() {
        return message;
    }

    /** The counted anomaly name for this problem. */
    HttpAnomaly anomaly() {
        return switch (this) {
            case LINE_TOO_LONG -> HttpAnomaly.LINE_TOO_LONG;
            case HEAD_TOO_LARGE -> HttpAnomaly.HEAD_TOO_LARGE;
            default -> HttpAnomaly.BAD_MESSAGE;
        };
    }
}
