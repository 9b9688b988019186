package dev.teardown.http;

import dev.teardown.teardown.Side;

/**
 * Strict parsing of single HTTP/1.x lines by index into a byte array (RFC 9112 sections 3, 4, 5, 7.1).
 *
 * <p>Each method takes one complete line without its CRLF (or bare LF), fills a {@link Head} in place and
 * returns null, or returns the {@link Problem}. Nothing is allocated and nothing is thrown.
 */
final class HeadParser {
    private HeadParser() {}

    private static final byte[] HTTP_SLASH = Chars.ascii("HTTP/");
    private static final byte[] HTTP_1_DOT = Chars.ascii("HTTP/1.");
    private static final byte[] HEAD = Chars.ascii("HEAD");
    private static final byte[] CONNECT = Chars.ascii("CONNECT");
    private static final byte[] CHUNKED = Chars.ascii("chunked");
    private static final byte[] CLOSE = Chars.ascii("close");
    private static final byte[] KEEP_ALIVE = Chars.ascii("keep-alive");
    private static final byte[] UPGRADE = Chars.ascii("upgrade");
    private static final byte[] TIMEOUT = Chars.ascii("timeout");
    private static final byte[] MAX = Chars.ascii("max");
    private static final byte[] H2C = Chars.ascii("h2c");
    /** Longer than any registered method (UPDATEREDIRECTREF has 17 characters). */
    private static final int MAX_METHOD = 20;
    private static final int VERSION_LENGTH = 8;

    /**
     * {@code method SP request-target SP HTTP-version} (RFC 9112 section 3). As section 3 allows, runs of SP
     * or HTAB separate the parts and trailing whitespace is ignored; leading whitespace is not.
     */
    static Problem requestLine(byte[] b, int from, int to, Head h) {
        int i = from;
        while (i < to && Chars.tchar(b[i])) i++;
        if (i == from || i >= to || !Chars.ws(b[i])) return Problem.BAD_METHOD;
        h.method = sameBytes(b, from, i, HEAD) ? Head.Method.HEAD
            : sameBytes(b, from, i, CONNECT) ? Head.Method.CONNECT : Head.Method.OTHER;
        i = skipWs(b, i, to);
        int target = i;
        while (i < to && Chars.target(b[i])) i++;
        if (i == target) return Problem.BAD_TARGET;
        if (i == to) return Problem.MISSING_VERSION;
        if (!Chars.ws(b[i])) return Problem.BAD_TARGET;
        i = skipWs(b, i, to);
        Problem p = version(b, i, to, h);
        if (p != null) return p;
        return skipWs(b, i + VERSION_LENGTH, to) == to ? null : Problem.BAD_VERSION;
    }

    /**
     * {@code HTTP-version SP status-code [SP reason-phrase]} (RFC 9112 section 4). A missing reason phrase
     * and its space are accepted, as clients do ({@code HTTP/1.0 200}).
     */
    static Problem statusLine(byte[] b, int from, int to, Head h) {
        Problem p = version(b, from, to, h);
        if (p != null) return p;
        int i = from + VERSION_LENGTH;
        if (i >= to || !Chars.ws(b[i])) return Problem.BAD_STATUS;
        i = skipWs(b, i, to);
        if (to - i < 3 || !Chars.digit(b[i]) || !Chars.digit(b[i + 1]) || !Chars.digit(b[i + 2])) {
            return Problem.BAD_STATUS;
        }
        int status = (b[i] - '0') * 100 + (b[i + 1] - '0') * 10 + (b[i + 2] - '0');
        if (status < 100) return Problem.BAD_STATUS;
        h.status = status;
        i += 3;
        if (i == to) return null;
        if (!Chars.ws(b[i])) return Problem.BAD_STATUS;
        for (; i < to; i++) if (Chars.ctl(b[i])) return Problem.BAD_REASON;
        return null;
    }

    /** {@code "HTTP/" DIGIT "." DIGIT} at {@code from}; only major version 1 is HTTP/1.x (RFC 9112 section 2.3). */
    private static Problem version(byte[] b, int from, int to, Head h) {
        if (to - from < VERSION_LENGTH || !sameBytes(b, from, from + HTTP_SLASH.length, HTTP_SLASH)
                || !Chars.digit(b[from + 5]) || b[from + 6] != '.' || !Chars.digit(b[from + 7])) {
            return Problem.BAD_VERSION;
        }
        if (b[from + 5] != '1') return Problem.UNSUPPORTED_VERSION;
        h.minor = b[from + 7] - '0';
        return null;
    }

    /**
     * {@code field-name ":" OWS field-value OWS} (RFC 9112 section 5); {@code interpret} is false for trailer
     * fields, which are checked but never change framing or persistence (RFC 9110 section 6.5.1).
     */
    static Problem field(byte[] b, int from, int to, Head h, boolean interpret) {
        int i = from;
        while (i < to && Chars.tchar(b[i])) i++;
        if (i == to) return i == from ? Problem.BAD_FIELD_NAME : Problem.MISSING_COLON;
        if (b[i] != ':') return Chars.ws(b[i]) && i > from ? Problem.SPACE_BEFORE_COLON : Problem.BAD_FIELD_NAME;
        if (i == from) return Problem.BAD_FIELD_NAME;
        Field f = interpret ? Field.of(b, from, i) : Field.OTHER;
        h.lastField = f;
        return value(b, i + 1, to, h, f);
    }

    /**
     * The quick form of {@link #field} for the common line, run before its end is known: a non-empty run of tchars,
     * a colon, then bytes without controls up to an LF (one CR before it allowed), all inside {@code b[from, end)}.
     * Returns {@code colon << 32 | lf}, or -1 for anything else (a fold, the empty line, a problem, a line that goes
     * on in the next segment), which the general path then parses and reports exactly as before.
     */
    static long plainField(byte[] b, int from, int end) {
        int i = Chars.tokenEnd(b, from, end);
        if (i == from || i >= end || b[i] != ':') return -1;
        int colon = i;
        for (i = Chars.controlOrTab(b, i + 1, end); i < end; i = Chars.controlOrTab(b, i + 1, end)) {
            byte c = b[i];
            if (c == '\t') continue;
            if (c == '\n') return (long) colon << 32 | i;
            if (c == '\r' && i + 1 < end && b[i + 1] == '\n') return (long) colon << 32 | (i + 1);
            return -1;
        }
        return -1;
    }

    /**
     * The rest of {@link #field} for a line {@link #plainField} passed, {@code b[from, to)} without its line end:
     * the name's field, and the value interpreted when it is one of those that say something.
     */
    static Problem plainFieldValue(byte[] b, int from, int colon, int to, Head h) {
        Field f = Field.of(b, from, colon);
        h.lastField = f;
        return f == Field.OTHER ? null : value(b, colon + 1, to, h, f);
    }

    /**
     * An obs-fold line (starts with SP or HTAB): more of the previous field's value. RFC 9112 section 5.2 lets
     * a recipient replace the fold with SP; for the list-valued fields interpreted here, continuing the list
     * is the same thing for every real example ({@code Connection: keep-alive,} CRLF SP {@code Upgrade}).
     */
    static Problem continuation(byte[] b, int from, int to, Head h) {
        if (h.lastField == null) return Problem.FOLD_WITHOUT_FIELD;
        return value(b, from, to, h, h.lastField);
    }

    private static Problem value(byte[] b, int from, int to, Head h, Field f) {
        for (int i = from; i < to; i++) if (Chars.ctl(b[i])) return Problem.BAD_FIELD_VALUE;
        if (f == Field.OTHER) return null;
        if (f == Field.HTTP2_SETTINGS) {
            http2Settings(b, skipWs(b, from, to), to, h);
            return null;
        }
        if (f == Field.CONNECTION) h.connection.markPresent();
        if (f == Field.KEEP_ALIVE) h.keepAliveParams.markPresent();
        int elements = 0;
        int i = from;
        while (true) {
            int comma = i;
            while (comma < to && b[comma] != ',') comma++;
            int s = skipWs(b, i, comma);
            int e = comma;
            while (e > s && Chars.ws(b[e - 1])) e--;
            if (s < e) {
                Problem p = element(b, s, e, h, f);
                if (p != null) return p;
                elements++;
            }
            if (comma >= to) break;
            i = comma + 1;
        }
        return elements == 0 && f == Field.CONTENT_LENGTH ? Problem.BAD_CONTENT_LENGTH : null;
    }

    /** One non-empty element {@code b[s, e)} of a comma-separated list (RFC 9110 section 5.6.1). */
    private static Problem element(byte[] b, int s, int e, Head h, Field f) {
        switch (f) {
            case CONTENT_LENGTH -> {
                // RFC 9110 section 8.6: a list of identical values may be accepted as that value.
                if (e - s > 18) return Problem.BAD_CONTENT_LENGTH;
                long v = 0;
                for (int i = s; i < e; i++) {
                    if (!Chars.digit(b[i])) return Problem.BAD_CONTENT_LENGTH;
                    v = v * 10 + (b[i] - '0');
                }
                if (h.contentLength >= 0 && h.contentLength != v) return Problem.BAD_CONTENT_LENGTH;
                h.contentLength = v;
            }
            case TRANSFER_ENCODING -> {
                int name = tokenEnd(b, s, e);
                h.transferEncoding = true;
                h.chunked = Chars.equalsLower(b, s, name, CHUNKED);
            }
            case CONNECTION -> {
                int name = tokenEnd(b, s, e);
                if (Chars.equalsLower(b, s, name, CLOSE)) h.close = true;
                else if (Chars.equalsLower(b, s, name, KEEP_ALIVE)) h.keepAlive = true;
                else if (Chars.equalsLower(b, s, name, UPGRADE)) h.upgrade = true;
                h.connection.separate();
                for (int i = s; i < e; i++) if (Chars.tchar(b[i])) h.connection.add(Chars.lower(b[i]));
            }
            case KEEP_ALIVE -> keepAliveParam(b, s, e, h);
            case UPGRADE -> {
                // protocol-name ["/" protocol-version] (RFC 9110 section 7.8); only HTTP/2 in cleartext is acted on.
                if (Chars.equalsLower(b, s, tokenEnd(b, s, e), H2C)) h.upgradeH2c = true;
            }
            case OTHER -> { }
        }
        return null;
    }

    /**
     * An {@code HTTP2-Settings} value (RFC 7540 section 3.2.1): a SETTINGS payload, 6 bytes a parameter (RFC 9113
     * section 6.5.1), in base64url without padding (RFC 4648 section 5), decoded as it is read. Only
     * SETTINGS_MAX_FRAME_SIZE is kept; a character outside the alphabet ends the reading (the server would refuse
     * the upgrade, RFC 7540 section 3.2.1), and so does a fold.
     */
    private static void http2Settings(byte[] b, int from, int to, Head h) {
        long bits = 0;
        int bitCount = 0;
        long parameter = 0;
        int parameterBytes = 0;
        for (int i = from; i < to; i++) {
            int sextet = base64url(b[i]);
            if (sextet < 0) return;
            bits = bits << 6 | sextet;
            bitCount += 6;
            if (bitCount < 8) continue;
            bitCount -= 8;
            parameter = parameter << 8 | (bits >>> bitCount & 0xff);
            if (++parameterBytes == 6) {
                if ((parameter >>> 32 & 0xffff) == dev.teardown.h2.H2Session.SETTINGS_MAX_FRAME_SIZE) {
                    h.http2MaxFrame = (int) Math.min(parameter & 0xffffffffL, Integer.MAX_VALUE);
                }
                parameter = 0;
                parameterBytes = 0;
            }
        }
    }

    /** The value of a base64url character (RFC 4648 section 5), or -1. */
    private static int base64url(byte c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    /** {@code name [= value]}, e.g. {@code timeout=5}; kept as lower-case name, '=', the value's tchars. */
    private static void keepAliveParam(byte[] b, int s, int e, Head h) {
        int name = tokenEnd(b, s, e);
        if (name == s) return;
        BoundedText t = h.keepAliveParams;
        t.separate();
        for (int i = s; i < name; i++) t.add(Chars.lower(b[i]));
        int eq = skipWs(b, name, e);
        if (eq >= e || b[eq] != '=') return;
        int v = skipWs(b, eq + 1, e);
        t.add((byte) '=');
        long number = -1;
        for (int i = v; i < e; i++) {
            byte c = b[i];
            if (Chars.tchar(c)) t.add(c);
            if (Chars.digit(c)) number = Math.min(Integer.MAX_VALUE, Math.max(number, 0) * 10 + (c - '0'));
        }
        if (Chars.equalsLower(b, s, name, TIMEOUT)) h.keepAliveTimeout = (int) number;
        else if (Chars.equalsLower(b, s, name, MAX)) h.keepAliveMax = (int) number;
    }

    /**
     * {@code chunk-size [BWS ";" chunk-ext]} (RFC 9112 section 7.1): the size, or -1 when the line is not one.
     * Extensions are skipped unread.
     */
    static long chunkSize(byte[] b, int from, int to) {
        int i = from;
        long size = 0;
        while (i < to && Chars.hex(b[i])) {
            if (i - from >= 15) return -1; // would overflow any real body
            size = size << 4 | Chars.hexValue(b[i]);
            i++;
        }
        if (i == from) return -1;
        i = skipWs(b, i, to);
        return i == to || b[i] == ';' ? size : -1;
    }

    /**
     * The quick look at the first bytes a side ever sends: could they begin an HTTP/1.x message? A client
     * must start with a method token and a space (leading CRLFs allowed, RFC 9112 section 2.2), a server
     * with {@code HTTP/1.}. TLS (0x16), SSH banners, SMTP greetings and HTTP/2's preface fail here or at the
     * end of their first line. Too few bytes to tell count as plausible.
     */
    static boolean plausibleFirstBytes(Side side, byte[] b, int from, int to) {
        if (side == Side.SERVER) {
            int n = Math.min(to - from, HTTP_1_DOT.length);
            for (int i = 0; i < n; i++) if (b[from + i] != HTTP_1_DOT[i]) return false;
            return true;
        }
        int i = from;
        while (i < to && (b[i] == '\r' || b[i] == '\n')) i++;
        int method = i;
        while (i < to && i - method < MAX_METHOD && Chars.tchar(b[i])) i++;
        if (i == to) return true;
        return b[i] == ' ' && i > method;
    }

    /**
     * Whether {@code b[from, to)} starts with something that is very likely a message start, to resume after
     * a gap or a bad message: an upper-case method, a space and a target's first character, or
     * {@code HTTP/1.x NNN}. Stricter than the parser, because bodies are full of bytes.
     */
    static boolean startsMessage(Side side, byte[] b, int from, int to) {
        if (side == Side.SERVER) {
            if (to - from < 12 || !sameBytes(b, from, from + HTTP_1_DOT.length, HTTP_1_DOT)) return false;
            return Chars.digit(b[from + 7]) && b[from + 8] == ' '
                && Chars.digit(b[from + 9]) && Chars.digit(b[from + 10]) && Chars.digit(b[from + 11]);
        }
        int i = from;
        while (i < to && i - from <= MAX_METHOD && (b[i] >= 'A' && b[i] <= 'Z' || b[i] == '-' || b[i] == '_')) i++;
        if (i - from < 3 || i + 1 >= to || b[i] != ' ') return false;
        byte t = b[i + 1];
        return t == '/' || t == '*' || Chars.tchar(t);
    }

    /**
     * Whether {@code b[from, to)} starts with a TLS record header (RFC 8446 section 5.1: content type 20 to
     * 24, legacy version 3.x): how a capture that joined a TLS connection midway sees most segments begin.
     */
    static boolean tlsRecord(byte[] b, int from, int to) {
        return to - from >= 5 && b[from] >= 20 && b[from] <= 24 && b[from + 1] == 3 && b[from + 2] >= 0
            && b[from + 2] <= 4;
    }

    /**
     * Whether a side's first bytes {@code b[from, to)} may begin a TLS handshake record (RFC 8446 section 5.1:
     * content type 22, then the major version 3), as far as they go: the first record of a TLS connection, from
     * either side, is a handshake record.
     */
    static boolean tlsHandshakeStart(byte[] b, int from, int to) {
        return to > from && b[from] == 22 && (to - from < 2 || b[from + 1] == 3);
    }

    private static int skipWs(byte[] b, int i, int to) {
        while (i < to && Chars.ws(b[i])) i++;
        return i;
    }

    private static int tokenEnd(byte[] b, int i, int to) {
        while (i < to && Chars.tchar(b[i])) i++;
        return i;
    }

    private static boolean sameBytes(byte[] b, int from, int to, byte[] expected) {
        if (to - from != expected.length) return false;
        for (int i = 0; i < expected.length; i++) if (b[from + i] != expected[i]) return false;
        return true;
    }
}
