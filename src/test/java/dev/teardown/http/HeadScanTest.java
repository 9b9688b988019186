package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Head lines parsed ahead of the decoder ({@link HeadScan}, a relay's reading thread) change nothing the decoder
 * reports: every stream of {@link MessageDecoderTest}, and the edge cases below, split at every byte offset into two
 * segments and into three, each segment scanned and offered, give the events of the same segments decoded without
 * scans; and the scans are taken where a message starts, not elsewhere.
 */
class HeadScanTest {
    private static final HttpLimits SMALL = new HttpLimits(64, 256, 4, 4, 4096, 16);

    /** What feeding gave: the events, and how many offered scans the decoder took. */
    private record Fed(List<String> events, int taken) {}

    /**
     * Feeds {@code text} in segments ending at {@code cuts}, each in its own array at an offset; with {@code scans},
     * each segment is scanned first (one scanner reused, as a batch reuses its scans) and offered when it yields.
     */
    private static Fed feed(Side side, HttpLimits limits, boolean scans, String text, int... cuts) {
        MessageDecoderTest.Recorder r = new MessageDecoderTest.Recorder();
        MessageDecoder d = new MessageDecoder(side, limits, r);
        d.begin(true);
        HeadScan scanner = new HeadScan(limits);
        byte[] all = HttpWire.ascii(text);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : all.length;
            byte[] piece = new byte[to - from + 8];
            System.arraycopy(all, from, piece, 4, to - from);
            TcpSegment seg = segment(piece, 4, to - from);
            if (scans && scanner.scan(seg)) {
                d.offer(scanner);
                d.data(piece, 4, to - from, 7);
                d.offer(null);
            } else {
                d.data(piece, 4, to - from, 7);
            }
            from = to;
        }
        return new Fed(r.events, (int) d.scansTaken());
    }

    private static TcpSegment segment(byte[] data, int off, int len) {
        TcpSegment s = new TcpSegment();
        s.flags = TcpSegment.ACK | TcpSegment.PSH;
        s.data = data;
        s.payloadOffset = off;
        s.payloadLength = len;
        s.capturedPayloadLength = len;
        return s;
    }

    static Stream<Arguments> streams() {
        Stream<Arguments> more = Stream.of(
            // The HTTP/2 preface's first line, folds, empty lines first, a bad field, a client sending a status line.
            Arguments.of(Side.CLIENT, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\r\nConnection: keep-alive,\r\n\tclose\r\n\r\n"),
            Arguments.of(Side.CLIENT, "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\r\nBad Field: x\r\n\r\nGET /next HTTP/1.1\r\n\r\n"),
            Arguments.of(Side.CLIENT, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of(Side.SERVER, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            // A body that looks like a request: its bytes are no message start.
            Arguments.of(Side.CLIENT, "POST / HTTP/1.1\r\nContent-Length: 27\r\n\r\nGET /inner HTTP/1.1\r\nA: b\r\n\r\n"
                + "GET /outer HTTP/1.1\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=99\r\nConnection: keep-alive\r\n"
                + "Content-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\nHost: bare-lf\n\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"),
            // A second message of the other side's kind: a bad start line, whatever a scan of it says.
            Arguments.of(Side.CLIENT, "GET / HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            Arguments.of(Side.SERVER, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\n\r\n"),
            // A trailer section (its head count starts at 0 too) whose first line looks like a request line.
            Arguments.of(Side.CLIENT, "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + "GET / HTTP/1.1\r\n\r\nGET /next HTTP/1.1\r\n\r\n"));
        return Stream.concat(MessageDecoderTest.streams(), more);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void scansOfEverySegmentChangeNoEventAtAnySplitIntoTwoOrThree(Side side, String text) {
        for (HttpLimits limits : List.of(HttpLimits.defaults(), SMALL)) {
            int n = HttpWire.ascii(text).length;
            assertEquals(feed(side, limits, false, text).events(), feed(side, limits, true, text).events(), "whole");
            for (int cut = 1; cut < n; cut++) {
                int at = cut;
                assertEquals(feed(side, limits, false, text, cut).events(), feed(side, limits, true, text, cut).events(),
                    () -> "split at " + at + ", limits " + limits);
                for (int second = cut + 1; second < n; second += 3) {
                    int then = second;
                    assertEquals(feed(side, limits, false, text, cut, second).events(),
                        feed(side, limits, true, text, cut, second).events(),
                        () -> "split at " + at + " and " + then + ", limits " + limits);
                }
            }
        }
    }

    @Test
    void aWholeHeadInOneSegmentIsTakenAndEndsTheHeadAsParsingItWould() {
        String text = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        Fed scanned = feed(Side.CLIENT, HttpLimits.defaults(), true, text);
        assertEquals(1, scanned.taken());
        assertEquals(List.of("request OTHER 1.1 NONE connection=close @7", "end @7"), scanned.events());
    }

    @Test
    void pipelinedHeadsEachInItsOwnSegmentAreEachTaken() {
        String first = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n";
        String text = first + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n";
        Fed scanned = feed(Side.CLIENT, HttpLimits.defaults(), true, text, first.length(), 2 * first.length());
        assertEquals(3, scanned.taken());
        assertEquals(feed(Side.CLIENT, HttpLimits.defaults(), false, text).events(), scanned.events());
    }

    @Test
    void aHeadCutAfterItsStartLineIsTakenAndTheRestParsedFromTheNextSegment() {
        String text = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnec";
        Fed scanned = feed(Side.SERVER, HttpLimits.defaults(), true, text + "tion: close\r\n\r\nok", text.length());
        assertEquals(1, scanned.taken());
        assertEquals(List.of("response 200 1.1 LENGTH cl=2 connection=close @7", "end @7"), scanned.events());
    }

    @Test
    void aScanIsNotTakenInsideABodyNorBySideItDoesNotBelongTo() {
        String head = "POST / HTTP/1.1\r\nContent-Length: 27\r\n\r\n";
        String inner = "GET /inner HTTP/1.1\r\nA: b\r\n\r\n";
        Fed body = feed(Side.CLIENT, HttpLimits.defaults(), true, head + inner, head.length());
        assertEquals(1, body.taken(), "the POST's head only");
        assertEquals(2, body.events().size(), body.events().toString());
        String request = "GET / HTTP/1.1\r\n\r\n";
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        assertEquals(1, feed(Side.CLIENT, HttpLimits.defaults(), true, request + response, request.length()).taken());
        assertEquals(1, feed(Side.SERVER, HttpLimits.defaults(), true, response + request, response.length()).taken());
        String chunked = "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
        Fed trailers = feed(Side.CLIENT, HttpLimits.defaults(), true, chunked + request, chunked.length());
        assertEquals(1, trailers.taken(), "the POST's head, not the trailer line");
    }

    @Test
    void aScanIsOfferedOnlyForTheBytesItWasMadeOf() {
        String text = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        byte[] piece = HttpWire.ascii(text);
        HeadScan scan = new HeadScan(HttpLimits.defaults());
        assertTrue(scan.scan(segment(piece, 0, piece.length)));
        MessageDecoderTest.Recorder r = new MessageDecoderTest.Recorder();
        MessageDecoder d = new MessageDecoder(Side.CLIENT, HttpLimits.defaults(), r);
        d.begin(true);
        d.offer(scan);
        byte[] copy = piece.clone(); // the same bytes in another array: parsed, not taken
        d.data(copy, 0, copy.length, 7);
        assertEquals(0, d.scansTaken());
        assertEquals(List.of("request OTHER 1.1 NONE @7", "end @7"), r.events);
        d.offer(scan);
        d.data(piece, 0, piece.length, 8);
        assertEquals(1, d.scansTaken(), "the same array and bounds: taken");
    }

    @Test
    void aScanMadeUnderOtherLimitsIsNotTaken() {
        // Under SMALL a 100-byte field line is too long; parsed ahead under the defaults it passed.
        String text = "GET / HTTP/1.1\r\nX-Long: " + "a".repeat(100) + "\r\n\r\n";
        byte[] piece = HttpWire.ascii(text);
        HeadScan scan = new HeadScan(HttpLimits.defaults());
        assertTrue(scan.scan(segment(piece, 0, piece.length)));
        MessageDecoderTest.Recorder r = new MessageDecoderTest.Recorder();
        MessageDecoder d = new MessageDecoder(Side.CLIENT, SMALL, r);
        d.begin(true);
        d.offer(scan);
        d.data(piece, 0, piece.length, 7);
        assertEquals(0, d.scansTaken());
        assertEquals(List.of("anomaly LINE_TOO_LONG", "lost"), r.events);
    }

    @Test
    void aCopiedHeadHasEveryFieldOfTheScannedOne() throws ReflectiveOperationException {
        // Every field set by reflection to a value no fresh head has, so a field added later and left out of
        // copyFrom fails here.
        Head from = new Head(16);
        int n = 1;
        for (java.lang.reflect.Field f : Head.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            Class<?> t = f.getType();
            if (t == int.class) f.setInt(from, 1000 + n++);
            else if (t == long.class) f.setLong(from, 100_000L + n++);
            else if (t == boolean.class) f.setBoolean(from, true);
            else if (t.isEnum()) f.set(from, t.getEnumConstants()[t.getEnumConstants().length - 2]);
            else if (t == BoundedText.class) {
                BoundedText text = (BoundedText) f.get(from);
                for (byte b : HttpWire.ascii("v" + n++)) text.add(b);
                text.markPresent();
            } else throw new AssertionError("a field of a type this test does not fill: " + f);
        }
        Head to = new Head(16);
        to.copyFrom(from);
        TextCache texts = new TextCache();
        for (java.lang.reflect.Field f : Head.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
            if (f.getType() == BoundedText.class) {
                BoundedText a = (BoundedText) f.get(from);
                BoundedText b = (BoundedText) f.get(to);
                assertEquals(a.string(texts), b.string(texts), f.getName());
                assertEquals(a.present(), b.present(), f.getName());
            } else {
                assertEquals(f.get(from), f.get(to), f.getName());
            }
        }
    }

    @Test
    void segmentsThatCannotStartAHeadAreNotScanned() {
        HeadScan scan = new HeadScan(HttpLimits.defaults());
        for (String s : List.of("", "\r\nGET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "GET / HTTP/1.1\r\n  folded\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n")) {
            byte[] b = HttpWire.ascii(s);
            assertFalse(scan.scan(segment(b, 0, b.length)), s);
        }
        byte[] syn = HttpWire.ascii("GET / HTTP/1.1\r\n\r\n");
        TcpSegment withSyn = segment(syn, 0, syn.length);
        withSyn.flags |= TcpSegment.SYN; // data on a SYN (TCP Fast Open) starts after the SYN's sequence number
        assertFalse(scan.scan(withSyn));
        List<String> fine = new ArrayList<>(List.of("GET / HTTP/1.1\r\n", "HTTP/1.0 200\r\nServer: x\r\n\r\n"));
        for (String s : fine) {
            byte[] b = HttpWire.ascii(s);
            assertTrue(scan.scan(segment(b, 0, b.length)), s);
        }
    }
}
