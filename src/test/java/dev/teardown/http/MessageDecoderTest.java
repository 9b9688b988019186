package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The incremental decoder on whole directions of traffic: every message split at every byte offset, and fed
 * byte by byte, gives the same events as fed whole (TCP segments split heads anywhere).
 */
class MessageDecoderTest {

    /** Writes what the decoder reports as short lines. */
    static final class Recorder implements MessageListener {
        final List<String> events = new ArrayList<>();
        /** The request each response answers, as {@link MessageBits}; plain GET by default. */
        int request = MessageBits.KNOWN | 1 << 8;

        @Override
        public Body onHead(Side from, Head h, long t) {
            Body body = from == Side.CLIENT ? Body.ofRequest(h) : Body.ofResponse(h, request);
            events.add((from == Side.CLIENT ? "request " + h.method : "response " + h.status) + " 1." + h.minor
                + " " + body + (h.contentLength >= 0 ? " cl=" + h.contentLength : "")
                + (h.connection.present() ? " connection=" + h.connection.string(new TextCache()) : "")
                + (h.keepAliveParams.present() ? " keep-alive=" + h.keepAliveParams.string(new TextCache()) : "") + " @" + t);
            return body;
        }

        @Override
        public void onMessageEnd(Side from, long t) {
            events.add("end @" + t);
        }

        @Override
        public void onAnomaly(Side from, HttpAnomaly a) {
            events.add("anomaly " + a);
        }

        @Override
        public void onLostSync(Side from) {
            events.add("lost");
        }

        @Override
        public void onNotHttp(Side from, boolean tlsLike) {
            events.add(tlsLike ? "not-http, tls-like" : "not-http");
        }
    }

    private static MessageDecoder decoder(Side side, Recorder r) {
        MessageDecoder d = new MessageDecoder(side, HttpLimits.defaults(), r);
        d.begin(true);
        return d;
    }

    private static byte[] bytes(String s) {
        return HttpWire.ascii(s);
    }

    /** Feeds {@code text} in pieces ending at {@code cuts}, each piece at its own copy so nothing leaks across. */
    private static List<String> feed(Side side, String text, int... cuts) {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(side, r);
        byte[] all = bytes(text);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : all.length;
            byte[] piece = new byte[to - from + 8];
            System.arraycopy(all, from, piece, 4, to - from);
            d.data(piece, 4, to - from, 7);
            from = to;
        }
        return r.events;
    }

    static Stream<Arguments> streams() {
        return Stream.of(
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n"),
            Arguments.of(Side.CLIENT, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n"
                + "Connection: close\r\n\r\n"),
            Arguments.of(Side.CLIENT, "POST /form HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello worldHEAD / HTTP/1.1\r\n\r\n"),
            Arguments.of(Side.CLIENT, "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n"
                + "6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\nGET /after HTTP/1.1\r\n\r\n"),
            Arguments.of(Side.CLIENT, "GET / HTTP/1.0\nConnection: keep-alive\n\n"),
            Arguments.of(Side.CLIENT, "GET /ws HTTP/1.1\r\nConnection: keep-alive,\r\n Upgrade\r\nUpgrade: websocket\r\n\r\n"),
            Arguments.of(Side.CLIENT, "\r\nGET / HTTP/1.1\r\n\r\n"),
            Arguments.of(Side.CLIENT, "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc"),
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\r\nHost : evil\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nKeep-Alive: timeout=5, max=100\r\n"
                + "Connection: Keep-Alive\r\n\r\nhello"),
            Arguments.of(Side.SERVER, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n"
                + "E\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\nHTTP/1.0 200\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.0 200\r\nContent-Type: text/plain\r\n\r\nthe body runs until the close"),
            Arguments.of(Side.SERVER, "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
                + "\u0081\u0005hello"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            Arguments.of(Side.SERVER, "\u0016\u0003\u0003\u0000\u0040")
        );
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everySplitPointGivesTheSameEventsAsTheWholeStream(Side side, String text) {
        List<String> whole = feed(side, text);
        assertFalse(whole.isEmpty());
        int n = bytes(text).length;
        for (int cut = 1; cut < n; cut++) {
            int at = cut;
            assertEquals(whole, feed(side, text, cut), () -> "split at " + at);
        }
        int[] everyByte = new int[n - 1];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = i + 1;
        assertEquals(whole, feed(side, text, everyByte), "byte by byte");
    }

    @Test
    void pipelinedRequestsAreReportedInOrder() {
        List<String> events = feed(Side.CLIENT, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n"
            + "Connection: close\r\n\r\n");
        assertEquals(List.of("request OTHER 1.1 NONE @7", "end @7", "request OTHER 1.1 NONE connection=close @7",
            "end @7"), events);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailersEndsAfterTheTrailerSection() {
        List<String> events = feed(Side.SERVER, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;x=y\r\nWiki\r\n0\r\nExpires: never\r\nX-Trailer: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(List.of("response 200 1.1 CHUNKED @7", "end @7", "response 204 1.1 NONE @7", "end @7"), events);
    }

    @Test
    void interimContinueIsItsOwnMessageBeforeTheFinalResponse() {
        assertEquals(List.of("response 100 1.1 NONE @7", "end @7", "response 200 1.1 LENGTH cl=2 @7", "end @7"),
            feed(Side.SERVER, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    }

    @Test
    void responseToHeadHasNoBodyWhateverItsContentLength() {
        Recorder r = new Recorder();
        r.request = MessageBits.KNOWN | MessageBits.HEAD | 1 << 8;
        MessageDecoder d = decoder(Side.SERVER, r);
        byte[] b = bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        d.data(b, 0, b.length, 1);
        assertEquals(List.of("response 200 1.1 NONE cl=1000 @1", "end @1", "response 200 1.1 NONE cl=1000 @1", "end @1"),
            r.events);
    }

    @Test
    void closeDelimitedBodyEndsWhenTheServerCloses() {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.SERVER, r);
        byte[] head = bytes("HTTP/1.0 200 OK\r\n\r\n");
        d.data(head, 0, head.length, 1);
        byte[] body = bytes("some bytes");
        d.data(body, 0, body.length, 2);
        assertTrue(d.inMessage());
        d.closed();
        assertEquals(List.of("response 200 1.0 UNTIL_CLOSE @1", "end @2"), r.events);
        assertFalse(d.inMessage());
    }

    @Test
    void firstBytesOfTlsAreNotHttpAndStopTheDecoder() {
        assertEquals(List.of("not-http, tls-like"),
            feed(Side.CLIENT, "\u0016\u0003\u0001\u0002\u0000\u0001GET / HTTP/1.1\r\n\r\n"));
        assertEquals(List.of("not-http, tls-like"), feed(Side.SERVER, "\u0016\u0003\u0003\u0000\u0059\u0002"));
        assertEquals(List.of("not-http, tls-like"), feed(Side.CLIENT, "\u0016"), "one byte: TLS's first, to be confirmed");
        assertEquals(List.of("not-http"), feed(Side.CLIENT, "\u0016\u0004"), "not version 3.x: not TLS");
        assertEquals(List.of("not-http"), feed(Side.CLIENT, "\u0017\u0003\u0003\u0000\u0020"),
            "a stream never starts with application data");
    }

    @Test
    void firstLineThatIsNotAStartLineIsNotHttpButALaterBadLineIsABadMessage() {
        assertEquals(List.of("not-http"), feed(Side.CLIENT, "HELLO world\r\n"));
        assertEquals(List.of("request OTHER 1.1 NONE @7", "end @7", "anomaly BAD_MESSAGE", "lost"),
            feed(Side.CLIENT, "GET / HTTP/1.1\r\n\r\nHELLO world\r\n"));
    }

    @Test
    void lineLongerThanTheLimitIsCountedAndTheDirectionResynchronises() {
        HttpLimits small = new HttpLimits(64, 256, 4, 4, 4096, 16);
        Recorder r = new Recorder();
        MessageDecoder d = new MessageDecoder(Side.CLIENT, small, r);
        d.begin(true);
        byte[] head = bytes("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(30));
        d.data(head, 0, head.length, 1);
        byte[] more = bytes("a".repeat(30) + "\r\n\r\n");
        d.data(more, 0, more.length, 2);
        assertEquals(List.of("anomaly LINE_TOO_LONG", "lost"), r.events);
        byte[] next = bytes("GET /next HTTP/1.1\r\n\r\n");
        d.data(next, 0, next.length, 3);
        assertEquals("end @3", r.events.get(r.events.size() - 1));
    }

    @Test
    void aFirstRequestLineThatOutgrowsTheLimitIsHttpWithLineTooLongNotNotHttp() {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.CLIENT, r);
        byte[] start = bytes("GET /" + "a".repeat(1400));
        d.data(start, 0, start.length, 1);
        byte[] more = bytes("a".repeat(1400));
        for (int i = 0; i < 750 && r.events.isEmpty(); i++) d.data(more, 0, more.length, 2); // about 1 MB
        assertEquals(List.of("anomaly LINE_TOO_LONG", "lost"), r.events);
        byte[] next = bytes("GET /next HTTP/1.1\r\n\r\n");
        d.data(next, 0, next.length, 3);
        assertEquals("end @3", r.events.get(r.events.size() - 1));
    }

    @Test
    void aFirstLineOfBytesThatOnlyLooselyResembleATokenIsStillNotHttpWhenTooLong() {
        // "abc" passes the loose first-bytes check (a token) but not the strict message start (upper-case
        // method, space, target): an endless line of it is some other protocol, not an oversized request.
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.CLIENT, r);
        byte[] start = bytes("abc");
        d.data(start, 0, start.length, 1);
        byte[] more = bytes("x".repeat(1400));
        for (int i = 0; i < 750 && r.events.isEmpty(); i++) d.data(more, 0, more.length, 2);
        assertEquals(List.of("not-http"), r.events);
    }

    @Test
    void headLargerThanTheLimitIsCounted() {
        HttpLimits small = new HttpLimits(64, 256, 4, 4, 4096, 16);
        Recorder r = new Recorder();
        MessageDecoder d = new MessageDecoder(Side.SERVER, small, r);
        d.begin(true);
        byte[] head = bytes("HTTP/1.1 200 OK\r\n" + "X-Field: 0123456789012345678901234567890123456789\r\n".repeat(6) + "\r\n");
        d.data(head, 0, head.length, 1);
        assertEquals(List.of("anomaly HEAD_TOO_LARGE", "lost"), r.events);
    }

    @Test
    void aLineSplitAcrossSegmentsIsTheOnlyThingBuffered() {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.CLIENT, r);
        byte[] a = bytes("GET / HTTP/1.1\r\nHo");
        d.data(a, 0, a.length, 1);
        a[0] = 'X'; // the caller's buffer is reused: only the partial line was copied
        a[17] = 'X';
        byte[] b = bytes("st: x\r\n\r\n");
        d.data(b, 0, b.length, 2);
        assertEquals(List.of("request OTHER 1.1 NONE @2", "end @2"), r.events);
    }

    @Test
    void gapInsideABodyOfKnownLengthKeepsTheFraming() {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.SERVER, r);
        byte[] head = bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab");
        d.data(head, 0, head.length, 1);
        d.gap(5, 2);
        byte[] rest = bytes("cde" + "HTTP/1.1 204 No Content\r\n\r\n");
        d.data(rest, 0, rest.length, 3);
        assertEquals(List.of("response 200 1.1 LENGTH cl=10 @1", "anomaly STREAM_GAP", "end @3",
            "response 204 1.1 NONE @3", "end @3"), r.events);
    }

    @Test
    void gapInAHeadLosesTheMessageAndResumesAtTheNextMessageStart() {
        Recorder r = new Recorder();
        MessageDecoder d = decoder(Side.CLIENT, r);
        byte[] a = bytes("GET /first HTTP/1.1\r\nHo");
        d.data(a, 0, a.length, 1);
        d.gap(20, 2);
        byte[] tail = bytes("rest of the lost head\r\n\r\n");
        d.data(tail, 0, tail.length, 3);
        byte[] next = bytes("GET /second HTTP/1.1\r\n\r\n");
        d.data(next, 0, next.length, 4);
        assertEquals(List.of("anomaly STREAM_GAP", "lost", "request OTHER 1.1 NONE @4", "end @4"), r.events);
    }

    @Test
    void streamJoinedMidwayWaitsForAMessageStart() {
        Recorder r = new Recorder();
        MessageDecoder d = new MessageDecoder(Side.SERVER, HttpLimits.defaults(), r);
        d.begin(false);
        byte[] body = bytes("tail of some body\r\n\r\n");
        d.data(body, 0, body.length, 1);
        byte[] next = bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        d.data(next, 0, next.length, 2);
        assertEquals(List.of("response 200 1.1 LENGTH cl=0 @2", "end @2"), r.events);
    }
}
