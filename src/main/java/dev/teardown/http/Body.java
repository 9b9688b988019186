package dev.teardown.http;

/** How the end of a message body is found, by the rules of RFC 9112 section 6.3. */
enum Body {
    /** No body: the head ends the message. */
    NONE,
    /** Exactly Content-Length bytes. */
    LENGTH,
    /** Chunked transfer coding, ended by the last chunk and trailer section (RFC 9112 section 7.1). */
    CHUNKED,
    /** Everything until the server closes the connection (RFC 9112 section 6.3, rule 8). */
    UNTIL_CLOSE,
    /** The connection leaves HTTP: 101 Switching Protocols or a successful CONNECT. */
    TUNNEL,
    /** The head's framing is invalid: a request Transfer-Encoding that does not end in chunked. */
    INVALID;

    /** Request framing: RFC 9112 section 6.3 rules 3, 4 (chunked wins over Content-Length), 6 and 7. */
    static Body ofRequest(Head h) {
        if (h.transferEncoding) return h.chunked ? CHUNKED : INVALID;
        return h.contentLength >= 0 ? LENGTH : NONE;
    }

    /**
     * Response framing for a response to {@code request} (see {@link MessageBits}; {@link MessageBits#NONE} when the
     * request was not seen): RFC 9112 section 6.3 rules 1 to 4, 6 and 8, and RFC 9110 section 15.2.2.
     */
    static Body ofResponse(Head h, int request) {
        int s = h.status;
        if (s == 101) return TUNNEL;
        if (s < 200 || s == 204 || s == 304 || MessageBits.has(request, MessageBits.HEAD)) return NONE;
        if (MessageBits.has(request, MessageBits.CONNECT) && s < 300) return TUNNEL;
        if (h.transferEncoding) return h.chunked ? CHUNKED : UNTIL_CLOSE;
        return h.contentLength >= 0 ? LENGTH : UNTIL_CLOSE;
    }
}
