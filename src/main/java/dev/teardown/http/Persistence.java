package dev.teardown.http;

/** Whether one request/response exchange left the connection persistent, and if not, why (RFC 9112 section 9.3). */
enum Persistence {
    PERSISTENT,
    /** The response's Connection header held {@code close}. */
    RESPONSE_CLOSE,
    /** The request's Connection header held {@code close}. */
    REQUEST_CLOSE,
    /** HTTP/1.0 in the request or the response, without {@code keep-alive}. */
    HTTP10,
    /** The response body ran until the server closed (RFC 9112 section 6.3 rule 8): the framing announces the close. */
    CLOSE_DELIMITED;

    /**
     * The exchange of {@code request} (or {@link MessageBits#NONE}) and {@code response}: {@code close} in either
     * ends the connection; otherwise each message's version must allow persistence: HTTP/1.1 by default,
     * HTTP/1.0 only with keep-alive. The first reason that applies, in this order, is the one reported.
     */
    static Persistence of(int request, int response) {
        boolean requestKnown = MessageBits.has(request, MessageBits.KNOWN);
        if (MessageBits.has(response, MessageBits.CLOSE)) return RESPONSE_CLOSE;
        if (requestKnown && MessageBits.has(request, MessageBits.CLOSE)) return REQUEST_CLOSE;
        if (!MessageBits.versionAllowsPersistence(response)
                || requestKnown && !MessageBits.versionAllowsPersistence(request)) {
            return HTTP10;
        }
        if (MessageBits.has(response, MessageBits.UNTIL_CLOSE)) return CLOSE_DELIMITED;
        return PERSISTENT;
    }

    boolean persistent() {
        return this == PERSISTENT;
    }
}
