package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.teardown.Side;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Start lines and field lines, one per row: what must be rejected and which real-world oddities pass. */
class HeadParserTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Problem request(String line, Head h) {
        byte[] b = bytes(line);
        return HeadParser.requestLine(b, 0, b.length, h);
    }

    private static Problem status(String line, Head h) {
        byte[] b = bytes(line);
        return HeadParser.statusLine(b, 0, b.length, h);
    }

    private static Head fields(String... lines) {
        Head h = new Head(64);
        for (String line : lines) {
            byte[] b = bytes(line);
            Problem p = HeadParser.field(b, 0, b.length, h, true);
            assertNull(p, () -> "rejected " + quoted(line) + ": " + p.message());
        }
        return h;
    }

    private static Problem field(String line) {
        byte[] b = bytes(line);
        return HeadParser.field(b, 0, b.length, new Head(64), true);
    }

    /** Undoes the escapes CSV rows use for control bytes: \\r, \\n and \\xHH. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> b.append('\r');
                case 'n' -> b.append('\n');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> b.append('\\').append(e);
            }
        }
        return b.toString();
    }

    private static String quoted(String s) {
        return "'" + s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0").replace("\t", "\\t") + "'";
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET",                       // no target, no version
        "GET /",                     // HTTP/0.9 simple request
        "GET / HTTP/1.1 extra",      // a fourth word
        "GET / http/1.1",            // HTTP-name is case-sensitive (RFC 9112 section 2.3)
        "GET / HTTP/2.0",            // not HTTP/1.x
        "PRI * HTTP/2.0",            // the HTTP/2 connection preface
        "GET / HTTP/1",              // no minor version
        "GET / HTTP/1.1x",
        "GET / HTTP/11.1",
        " GET / HTTP/1.1",           // leading whitespace
        "G(T / HTTP/1.1",            // method not a token
        "GET /a\0b HTTP/1.1",        // NUL in target
        "GET /a\rb HTTP/1.1",        // bare CR in target
        "GET /a\u007fb HTTP/1.1",    // DEL in target
        "GET  HTTP/1.1",             // target missing: the version is taken as the target
        "/ GET HTTP/1.1",
        "GET / HTTP/1.1\0",
        "SSH-2.0-OpenSSH_9.6",
    })
    void invalidRequestLinesAreRejected(String line) {
        assertNotNull(request(line, new Head(64)), () -> "accepted " + quoted(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1|OTHER|1",
        "HEAD /index.html HTTP/1.0|HEAD|0",
        "CONNECT example.com:443 HTTP/1.1|CONNECT|1",
        "OPTIONS * HTTP/1.1|OTHER|1",
        "GET http://example.com/a?b=c HTTP/1.1|OTHER|1", // absolute-form
        "get / HTTP/1.1|OTHER|1",                        // lower-case method: a valid token, just not GET
        "M-SEARCH * HTTP/1.1|OTHER|1",                   // SSDP
        "GET /caf\u00e9 HTTP/1.1|OTHER|1",               // obs-text in the target, as some clients send
        "'GET  /  HTTP/1.1  '|OTHER|1",                // runs of spaces, trailing space (RFC 9112 section 3)
        "GET\t/\tHTTP/1.1|OTHER|1",                      // HTAB separators
        "GET / HTTP/1.9|OTHER|9",                        // a future minor version is still HTTP/1.x
    })
    void realWorldRequestLinesAreAccepted(String line, Head.Method method, int minor) {
        Head h = new Head(64);
        assertNull(request(line, h), () -> "rejected " + quoted(line));
        assertEquals(method, h.method);
        assertEquals(minor, h.minor);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 20 OK",
        "HTTP/1.1 2000 OK",
        "HTTP/1.1 OK",
        "HTTP/1.1200 OK",
        "HTTP/1.1 099 Too low",
        "HTTP/2 200",
        "HTTP/2.0 200 OK",
        "HTTPS/1.1 200 OK",
        "http/1.1 200 OK",
        "HTTP/1.1 abc OK",
        "HTTP/1.1 200 OK\0",
        "HTTP/1.1 200 O\rK",
        "ICY 200 OK",                // SHOUTcast: not HTTP
        "HTTP/1.1",
        "",
    })
    void invalidStatusLinesAreRejected(String line) {
        assertNotNull(status(line, new Head(64)), () -> "accepted " + quoted(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.1 200 OK|200|1",
        "HTTP/1.0 200|200|0",                  // no reason phrase and no space: seen from old servers
        "'HTTP/1.1 204 '|204|1",           // empty reason phrase
        "HTTP/1.1 404 Not Found|404|1",
        "HTTP/1.1 200 \u00c7a va|200|1",       // obs-text in the reason
        "HTTP/1.1 200 OK\tfine|200|1",
        "HTTP/1.1 101 Switching Protocols|101|1",
        "HTTP/1.1 599 Whatever|599|1",
        "HTTP/1.1  200 OK|200|1",              // two spaces
    })
    void realWorldStatusLinesAreAccepted(String line, int code, int minor) {
        Head h = new Head(64);
        assertNull(status(line, h), () -> "rejected " + quoted(line));
        assertEquals(code, h.status);
        assertEquals(minor, h.minor);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Host : example.com",         // whitespace before the colon (RFC 9112 section 5.1)
        "Host\t: example.com",
        "Host",                       // no colon
        ": value",                    // empty name
        "Ho st: x",
        " Host: x",                   // handled as obs-fold by the decoder, never as a field
        "Host: a\0b",                 // NUL
        "Host: a\rb",                 // bare CR
        "Host: a\u0001b",             // other control characters
        "X\u007fY: 1",                // DEL in the name
        "Content-Length: -1",
        "Content-Length: 1x",
        "Content-Length: 1, 2",       // differing values
        "Content-Length: ",
        "Content-Length: 9999999999999999999",
        "Content-Length: 0x10",
    })
    void invalidFieldLinesAreRejected(String line) {
        assertNotNull(field(line), () -> "accepted " + quoted(line));
    }

    @Test
    void conflictingContentLengthFieldsAreRejected() {
        Head h = fields("Content-Length: 5");
        byte[] b = bytes("content-length: 6");
        assertEquals(Problem.BAD_CONTENT_LENGTH, HeadParser.field(b, 0, b.length, h, true));
    }

    @Test
    void mixedCaseNamesAndTokensAreMatchedCaseInsensitively() {
        Head h = fields("cOnNeCtIoN: Keep-Alive", "CONTENT-length: 12", "transfer-ENCODING: Chunked");
        assertTrue(h.keepAlive);
        assertEquals("keep-alive", h.connection.string(new TextCache()));
        assertEquals(12, h.contentLength);
        assertTrue(h.chunked);
    }

    @Test
    void connectionListWithUpgradeKeepsEveryToken() {
        Head h = fields("Connection: keep-alive, Upgrade");
        assertTrue(h.keepAlive);
        assertTrue(h.upgrade);
        assertFalse(h.close);
        assertEquals("keep-alive,upgrade", h.connection.string(new TextCache()));
    }

    @Test
    void repeatedConnectionFieldsAndEmptyListElementsAreMerged() {
        Head h = fields("Connection: ,, TE ,", "Connection: close");
        assertTrue(h.close);
        assertEquals("te,close", h.connection.string(new TextCache()));
    }

    @Test
    void identicalContentLengthListIsAccepted() {
        assertEquals(5, fields("Content-Length: 5, 5", "Content-Length: 5").contentLength);
    }

    @Test
    void keepAliveParametersAreNormalisedAndParsed() {
        Head h = fields("Keep-Alive: Timeout=5,  MAX=100");
        assertEquals("timeout=5,max=100", h.keepAliveParams.string(new TextCache()));
        assertEquals(5, h.keepAliveTimeout);
        assertEquals(100, h.keepAliveMax);
        Head quoted = fields("Keep-Alive: timeout=\"15\"");
        assertEquals("timeout=15", quoted.keepAliveParams.string(new TextCache()));
        assertEquals(15, quoted.keepAliveTimeout);
    }

    @Test
    void keptHeaderTextIsBoundedAndHoldsOnlyTokenCharacters() {
        Head h = fields("Connection: " + "a".repeat(50) + ", =cmd|calc\u00ff, " + "b".repeat(50));
        String text = h.connection.string(new TextCache());
        assertEquals(64, text.length());
        assertTrue(text.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '='), text);
    }

    @Test
    void transferCodingsEndingInChunkedAreChunkedAndOthersAreNot() {
        assertTrue(fields("Transfer-Encoding: gzip, chunked").chunked);
        Head h = fields("Transfer-Encoding: chunked, gzip");
        assertTrue(h.transferEncoding);
        assertFalse(h.chunked);
        assertFalse(fields("Transfer-Encoding: gzip", "Transfer-Encoding: identity").chunked);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Host: example.com", "Host:example.com", "Host:\texample.com\t", "X-Empty:", "X-Empty:   ",
        "X-Utf8: caf\u00e9", "Cookie: a=b; c=d", "User-Agent: Mozilla/5.0 (X11; Linux x86_64)", "!#$%&'*+-.^_`|~: x",
    })
    void realWorldFieldLinesAreAccepted(String line) {
        assertNull(field(line), () -> "rejected " + quoted(line));
    }

    @Test
    void obsFoldContinuesThePreviousFieldAsListElements() {
        Head h = fields("Connection: keep-alive,");
        byte[] fold = bytes("  Upgrade");
        assertNull(HeadParser.continuation(fold, 0, fold.length, h));
        assertEquals("keep-alive,upgrade", h.connection.string(new TextCache()));
        assertTrue(h.upgrade);
        assertEquals(Problem.FOLD_WITHOUT_FIELD, HeadParser.continuation(fold, 0, fold.length, new Head(64)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0", "1a|26", "FF|255", "10;name=value|16", "10 ;ext|16", "000000000000001|1"})
    void chunkSizeLinesAreHexWithOptionalExtensions(String line, long size) {
        byte[] b = bytes(line);
        assertEquals(size, HeadParser.chunkSize(b, 0, b.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "-1", "0x10", "1 2", "1000000000000000", " 1"})
    void invalidChunkSizeLinesAreRejected(String line) {
        byte[] b = bytes(line);
        assertEquals(-1, HeadParser.chunkSize(b, 0, b.length), quoted(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CLIENT|GET / HTTP/1.1|true",
        "CLIENT|\\r\\nPOST /x HTTP/1.1|true",
        "CLIENT|GE|true",                          // too short to tell
        "CLIENT|\\x16\\x03\\x01\\x02\\x00|false", // TLS ClientHello
        "CLIENT|SSH-2.0-OpenSSH_9.6p1 Ubuntu|false",   // no space within a method's length
        "CLIENT|SSH-2.0-Go\\r\\n|false",
        "SERVER|HTTP/1.1 200 OK|true",
        "SERVER|HTTP/|true",
        "SERVER|220 mail.example.com ESMTP|false",
        "SERVER|SSH-2.0-OpenSSH_9.6|false",
        "SERVER|HTTP/2 200|false",
        "SERVER|\\x16\\x03\\x03\\x00|false",   // TLS ServerHello
    })
    void firstBytesTellHttpFromOtherProtocols(Side side, String first, boolean plausible) {
        byte[] b = bytes(unescape(first));
        assertEquals(plausible, HeadParser.plausibleFirstBytes(side, b, 0, b.length), quoted(first));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CLIENT|GET /next HTTP/1.1|true",
        "CLIENT|OPTIONS * HTTP/1.1|true",
        "CLIENT|get / HTTP/1.1|false",    // resynchronising is stricter than parsing
        "CLIENT|{\"a\": 1}|false",
        "CLIENT|IT IS body text|false",
        "SERVER|HTTP/1.1 200 OK|true",
        "SERVER|HTTP/1.1 200|true",
        "SERVER|HTTP/1.1 2|false",
        "SERVER|<html>HTTP/1.1 200 OK|false",
    })
    void resynchronisationNeedsAStrictMessageStart(Side side, String text, boolean starts) {
        byte[] b = bytes(text);
        assertEquals(starts, HeadParser.startsMessage(side, b, 0, b.length), quoted(text));
    }

    @Test
    void plainFieldFindsTheColonAndTheLineFeedInOnePass() {
        assertPlain("Host: a\r\nnext", 4, 8);
        assertPlain("Content-Length: 12\n", 14, 18);
        assertPlain("X:\r\n", 1, 3);
        assertPlain("Connection: keep-alive, Upgrade\r\n", 10, 32);
    }

    private static void assertPlain(String line, int colon, int lf) {
        byte[] b = bytes(line);
        long found = HeadParser.plainField(b, 0, b.length);
        assertEquals(colon, (int) (found >>> 32), "colon of " + quoted(line));
        assertEquals(lf, (int) found, "line feed of " + quoted(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",                    // the empty line ending the head
        " folded: value\r\n",      // obs-fold
        "Host : a\r\n",            // space before the colon
        ": no name\r\n",
        "Host: a\u0001b\r\n",     // a control in the value
        "Host: a\r\r\n",          // a CR that is not the line end
        "Host: a",                   // the line goes on in the next segment
        "Host: a\r",
        "Host",
    })
    void plainFieldLeavesEveryOtherLineToTheGeneralPath(String line) {
        byte[] b = bytes(line);
        assertEquals(-1, HeadParser.plainField(b, 0, b.length));
    }

    @Test
    void controlOrTabFindsTheFirstControlAtEveryPlaceAndEveryByteValue() {
        // Every byte value at every offset of a 20-byte run of text (both the eight-byte steps and the tail), with
        // text of every printable and high value before it: the answer is the byte's place exactly when it is a
        // control, HTAB or DEL.
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 20; at++) {
                byte[] b = new byte[24];
                for (int i = 0; i < b.length; i++) b[i] = (byte) (0x20 + (i * 37 + value) % 0xe0 == 0x7f ? 0x80 : 0x20 + (i * 37 + value) % 0xe0);
                b[2 + at] = (byte) value;
                boolean stops = value < 0x20 || value == 0x7f;
                int expected = stops ? 2 + at : 22;
                assertEquals(expected, Chars.controlOrTab(b, 2, 22), "byte " + value + " at " + at);
            }
        }
    }

    @Test
    void tokenEndFindsTheFirstNonTcharAtEveryPlaceAndEveryByteValue() {
        // Every byte value at every offset of a 20-byte run of field-name letters (both the eight-byte steps and the
        // tail), the run made of every tchar in turn: the answer is the byte's place exactly when it is no tchar.
        String tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        // Runs of every tchar, and runs of only what field names are made of (whole eight-byte steps).
        for (String run : new String[] {tchars, "Content-Length-09azAZ"})
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 20; at++) {
                byte[] b = new byte[24];
                for (int i = 0; i < b.length; i++) b[i] = (byte) run.charAt((i * 7 + value) % run.length());
                b[2 + at] = (byte) value;
                boolean stops = value >= 0x80 || tchars.indexOf(value) < 0;
                int expected = stops ? 2 + at : 22;
                assertEquals(expected, Chars.tokenEnd(b, 2, 22), "byte " + value + " at " + at);
            }
        }
    }
}
