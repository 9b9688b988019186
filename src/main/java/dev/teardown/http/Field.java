package dev.teardown.http;

/** The header fields the HTTP stage interprets; every other field is only validated. */
enum Field {
    CONTENT_LENGTH("content-length"),
    TRANSFER_ENCODING("transfer-encoding"),
    CONNECTION("connection"),
    KEEP_ALIVE("keep-alive"),
    /** RFC 9110 section 7.8: the protocols a 101 switches to; {@code h2c} is HTTP/2 in cleartext (RFC 7540 3.2). */
    UPGRADE("upgrade"),
    /** RFC 7540 section 3.2.1: an {@code Upgrade: h2c} request's own HTTP/2 SETTINGS, base64url-encoded. */
    HTTP2_SETTINGS("http2-settings"),
    OTHER("");

    private final byte[] lower;

    Field(String name) {
        lower = Chars.ascii(name);
    }

    /** The field named by the tchars {@code b[from, to)}, matched case-insensitively (RFC 9110 section 5.1). */
    static Field of(byte[] b, int from, int to) {
        return switch (to - from) {
            case 7 -> Chars.equalsLower(b, from, to, UPGRADE.lower) ? UPGRADE : OTHER;
            case 10 -> Chars.equalsLower(b, from, to, CONNECTION.lower) ? CONNECTION
                : Chars.equalsLower(b, from, to, KEEP_ALIVE.lower) ? KEEP_ALIVE : OTHER;
            case 14 -> Chars.equalsLower(b, from, to, CONTENT_LENGTH.lower) ? CONTENT_LENGTH
                : Chars.equalsLower(b, from, to, HTTP2_SETTINGS.lower) ? HTTP2_SETTINGS : OTHER;
            case 17 -> Chars.equalsLower(b, from, to, TRANSFER_ENCODING.lower) ? TRANSFER_ENCODING : OTHER;
            default -> OTHER;
        };
    }
}
