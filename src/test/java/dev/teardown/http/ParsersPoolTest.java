package dev.teardown.http;

import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.teardown.h2.H2Bytes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracker's pool of parsing machinery ({@link Parsers.Pool}): a conversation that takes the decoders, streams and
 * pending requests a finished one left in every state they can be left in parses exactly as one given new ones.
 */
class ParsersPoolTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    /** First conversations, each finished in a state that a set of parsers can be handed back in. */
    private static Map<String, Consumer<HttpWire>> leftovers() {
        Map<String, Consumer<HttpWire>> m = new LinkedHashMap<>();
        m.put("a head split mid-line (the split buffer, HEADERS)", w -> w.handshake(0)
            .c(1, PSH | ACK, "GET /x HTTP/1.0\r\nConnection: keep-alive\r\nX-Long: abcdef").c(1.1, ACK | HttpWire.RST, ""));
        m.put("a body mid-length (BODY, remaining)", w -> w.handshake(0).c(1, PSH | ACK, GET)
            .s(1.1, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nKeep-Alive: timeout=7, max=9\r\n\r\nabc")
            .serverCloses(2));
        m.put("a chunked body mid-chunk", w -> w.handshake(0).c(1, PSH | ACK, GET)
            .s(1.1, PSH | ACK, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc").clientCloses(2));
        m.put("pipelined requests never answered (pending)", w -> w.handshake(0)
            .c(1, PSH | ACK, "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nHEAD /3 HTTP/1.1\r\n\r\n").clientCloses(2));
        m.put("a segment held beyond a hole (the held arrays, next)", w -> w.handshake(0)
            .raw(true, 1, PSH | ACK, 1_000_000_001 + 40, "HTTP/1.1\r\nHost: a\r\n\r\n").c(1.2, ACK | HttpWire.RST, ""));
        m.put("not HTTP (stopped decoders)", w -> w.handshake(0)
            .c(1, PSH | ACK, "\u0001\u0002binary protocol\r\n").s(1.1, PSH | ACK, "\u0003 reply").clientCloses(2));
        m.put("switched to HTTP/2 by Upgrade: h2c (the tunnel)", w -> w.handshake(0)
            .c(1, PSH | ACK, "GET /a HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n")
            .s(1.1, PSH | ACK, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
            .clientCloses(2));
        m.put("a gap then bytes in the middle of a message (RESYNC)", w -> w.handshake(0).c(1, PSH | ACK, GET)
            .raw(false, 1.1, PSH | ACK, 2_000_000_001 + 30, "tail of something\r\n").s(1.2, ACK | HttpWire.RST, ""));
        m.put("empty lines after the last request (emptyLines)", w -> w.handshake(0)
            .exchange(1, GET + "\r\n\r\n\r\n", OK).clientCloses(2));
        m.put("picked up mid-stream (no SYN)", w -> w
            .c(1, PSH | ACK, "Host: a\r\n\r\n").s(1.1, PSH | ACK, OK).clientCloses(2));
        return m;
    }

    /** Second conversations, whose outcome shows any state a reused set kept. */
    private static Map<String, Function<HttpWire, HttpOutcome>> probes() {
        Map<String, Function<HttpWire, HttpOutcome>> m = new LinkedHashMap<>();
        m.put("two keep-alive exchanges", w -> w.handshake(10).exchange(11, GET, OK)
            .exchange(12, "GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n")
            .serverCloses(13).outcome());
        m.put("a head split over three segments", w -> w.handshake(10).c(11, ACK, "GET / HT").c(11.1, ACK, "TP/1.1\r\nCon")
            .c(11.2, PSH | ACK, "nection: close\r\n\r\n").s(11.3, PSH | ACK, OK).serverCloses(12).outcome());
        m.put("bytes that are not HTTP", w -> w.handshake(10).c(11, PSH | ACK, "\u0016junk").clientCloses(12).outcome());
        m.put("a segment out of order", w -> w.handshake(10)
            .raw(true, 11, PSH | ACK, -99 + 16, "Host: a\r\n\r\n").raw(true, 11.1, PSH | ACK, -99, "GET / HTTP/1.1\r\n")
            .s(11.2, PSH | ACK, OK).clientCloses(12).outcome());
        m.put("a TLS handshake (handed to TLS only while no side parsed a start line)", w -> w.handshake(10).tls12(11)
            .clientCloses(12).outcome());
        m.put("HTTP/2 with prior knowledge (taken only while no side parsed a start line)", w -> w.handshake(10)
            .c(11, PSH | ACK, H2Bytes.concat(H2Bytes.preface(), H2Bytes.settings(), H2Bytes.headers(1, H2Bytes.END_STREAM, 30)))
            .s(11.1, PSH | ACK, H2Bytes.concat(H2Bytes.settings(), H2Bytes.settingsAck(),
                H2Bytes.headers(1, H2Bytes.END_STREAM, 20)))
            .clientCloses(12).outcome());
        m.put("a request after two empty lines (at most four are skipped)", w -> w.handshake(10)
            .exchange(11, "\r\n\r\n" + GET, OK).clientCloses(12).outcome());
        m.put("a head just short of the head limit (headBytes)", w -> {
            StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
            String field = "X-Pad: " + "p".repeat(8000) + "\r\n";
            int target = HttpLimits.defaults().maxHeadBytes() - 16; // 16 bytes to spare, with the final CRLF
            while (head.length() + field.length() + 2 + 100 <= target) head.append(field);
            int fill = target - head.length() - "X-Fill: \r\n\r\n".length();
            head.append("X-Fill: ").append("f".repeat(fill)).append("\r\n\r\n");
            if (head.length() != target) throw new AssertionError("head of " + head.length());
            w.handshake(10);
            for (int i = 0; i < head.length(); i += 1400) {
                w.c(11 + i / 1e6, ACK, head.substring(i, Math.min(head.length(), i + 1400)));
            }
            return w.s(11.5, PSH | ACK, OK).clientCloses(12).outcome();
        });
        m.put("a response before the client spoke", w -> w.handshake(10).s(11, PSH | ACK, OK).clientCloses(12).outcome());
        return m;
    }

    @TestFactory
    List<DynamicTest> aConversationOnReusedParsersHasTheOutcomeItHasOnNewOnes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var left : leftovers().entrySet()) {
            for (var probe : probes().entrySet()) {
                tests.add(DynamicTest.dynamicTest(left.getKey() + ", then " + probe.getKey(), () -> {
                    // The client's sequence numbers wrap past zero: a peer ACK of 0 kept as known would then lie past a hole.
                    HttpOutcome fresh = probe.getValue().apply(new HttpWire(-100, 5000, new HttpTracker()));
                    HttpTracker shared = new HttpTracker();
                    // Other initial sequence numbers than the probe's: a sequence number kept would show.
                    HttpWire first = new HttpWire(1_000_000_000, 2_000_000_000, shared);
                    left.getValue().accept(first);
                    first.outcome();
                    assertEquals(1, shared.pooledParsers(), "the first conversation gave its parsers back");
                    HttpOutcome reused = probe.getValue().apply(new HttpWire(-100, 5000, shared));
                    assertEquals(fresh, reused);
                }));
            }
        }
        return tests;
    }

    @Test
    void theNextConversationTakesTheSetTheLastOneGaveBack() {
        Parsers.Pool pool = new Parsers.Pool(HttpLimits.defaults());
        MessageListener none = new MessageListener() {
            @Override public Body onHead(dev.teardown.teardown.Side from, Head h, long t) { return Body.NONE; }
            @Override public void onMessageEnd(dev.teardown.teardown.Side from, long t) { }
            @Override public void onAnomaly(dev.teardown.teardown.Side from, HttpAnomaly a) { }
            @Override public void onLostSync(dev.teardown.teardown.Side from) { }
            @Override public void onNotHttp(dev.teardown.teardown.Side from, boolean tls) { }
            @Override public boolean onH2(dev.teardown.teardown.Side from) { return false; }
        };
        Parsers p = pool.take(none);
        pool.give(p);
        assertSame(p, pool.take(none));
        assertEquals(0, pool.size());
        for (int i = 0; i < Parsers.Pool.KEPT + 5; i++) pool.give(new Parsers(HttpLimits.defaults(), none));
        assertEquals(Parsers.Pool.KEPT, pool.size(), "the pool keeps at most KEPT sets");
    }
}
