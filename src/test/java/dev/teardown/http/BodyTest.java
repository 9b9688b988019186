package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9112 section 6.3, row by row: how a message body ends. */
class BodyTest {

    private static Head head(int status, long contentLength, String transferCoding) {
        Head h = new Head(64);
        h.status = status;
        h.minor = 1;
        h.contentLength = contentLength;
        if (!transferCoding.isEmpty()) {
            h.transferEncoding = true;
            h.chunked = transferCoding.endsWith("chunked");
        }
        return h;
    }

    private static int request(String method) {
        int bits = MessageBits.KNOWN | 1 << 8;
        if (method.equals("HEAD")) bits |= MessageBits.HEAD;
        if (method.equals("CONNECT")) bits |= MessageBits.CONNECT;
        return bits;
    }

    @ParameterizedTest(name = "{0} -> {1} cl={2} te={3}: {4}")
    @CsvSource(delimiter = '|', value = {
        "GET|200|10|''|LENGTH",
        "GET|200|-1|''|UNTIL_CLOSE",
        "GET|200|10|chunked|CHUNKED",          // chunked wins over Content-Length (rule 3)
        "GET|200|-1|gzip|UNTIL_CLOSE",         // a response coding not ending in chunked: until close
        "GET|200|-1|gzip, chunked|CHUNKED",
        "HEAD|200|10|''|NONE",
        "HEAD|200|-1|chunked|NONE",
        "GET|204|10|''|NONE",
        "GET|304|10|''|NONE",
        "GET|100|-1|''|NONE",
        "GET|103|-1|''|NONE",
        "GET|101|-1|''|TUNNEL",
        "CONNECT|200|-1|''|TUNNEL",
        "CONNECT|407|10|''|LENGTH",
        "GET|404|0|''|LENGTH",
    })
    void responseFraming(String method, int status, long contentLength, String coding, Body expected) {
        assertEquals(expected, Body.ofResponse(head(status, contentLength, coding), request(method)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1|''|NONE", "0|''|LENGTH", "10|''|LENGTH", "10|chunked|CHUNKED", "-1|gzip|INVALID", "-1|chunked, gzip|INVALID",
    })
    void requestFraming(long contentLength, String coding, Body expected) {
        assertEquals(expected, Body.ofRequest(head(0, contentLength, coding)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"200|-1|UNTIL_CLOSE", "200|5|LENGTH", "204|-1|NONE"})
    void responseWithUnseenRequestIsFramedAsForGet(int status, long contentLength, Body expected) {
        assertEquals(expected, Body.ofResponse(head(status, contentLength, ""), MessageBits.NONE));
    }
}
