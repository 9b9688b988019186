package dev.teardown.http;

/** Whether one request/response exchange left the connection persistent, and if not, why (RFC 9112 section 9.3). */
enum Persistence {
    PERSISTENT,
    /** The response's Connection header held {@code close}. */
    RESPONSE_CLOSE,
    /** The request's Connection header held {@code close}. */
    REQUEST_CLOSE,
    /** HTTP/1.0 without {@code keep-alive} in the request, or else in the response. */
    HTTP10,
    /** The response body ran until the server closed (RFC 9112 section 6.3 rule 8): the framing announces the close. */
    CLOSE_DELIMITED;

    /**
     * The exchange of {@code request} (or {@link MessageBits#NONE}) and {@code response}: {@code close} in either
     * ends the connection; otherwise each message's version must allow persistence: HTTP/1.1 by default,
     * HTTP/1.0 only with keep-alive. The first reason that applies, in this order, is the one reported: the
     * request's first, so that a close the client asked for stays the client's when the server repeats it
     * (nginx and lighttpd answer both {@code Connection: close} and HTTP/1.0 requests with {@code close}).
     */
    static Persistence of(int request, int response) {
        boolean requestKnown = MessageBits.has(request, MessageBits.KNOWN);
        if (requestKnown && MessageBits.has(request, MessageBits.CLOSE)) return REQUEST_CLOSE;
        if (requestKnown && !MessageBits.versionAllowsPersistence(request)) return HTTP10;
        if (MessageBits.has(response, MessageBits.CLOSE)) return RESPONSE_CLOSE;
        if (!MessageBits.versionAllowsPersistence(response)) return HTTP10;
        if (MessageBits.has(response, MessageBits.UNTIL_CLOSE)) return CLOSE_DELIMITED;
        return PERSISTENT;
    }

    boolean persistent() {
        return this == PERSISTENT;
    }
}
