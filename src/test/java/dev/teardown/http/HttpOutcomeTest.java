package dev.teardown.http;

import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The values of the HTTP columns, from real exchanges. */
class HttpOutcomeTest {
    private static final String GET = "GET / HTTP/1.1\r\n\r\n";

    @Test
    void valuesOfTheLastExchange() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET /a HTTP/1.1\r\nConnection: Keep-Alive\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n\r\n");
        w.exchange(2, "GET /b HTTP/1.1\r\nConnection: TE, close\r\nTE: trailers\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        w.serverCloses(2.5);
        HttpOutcome o = w.outcome();
        assertEquals(2, o.requests());
        assertEquals(2, o.responses());
        assertEquals("1.1", o.version());
        assertEquals("te,close", o.requestConnection());
        assertEquals("", o.responseConnection(), "the last response had none");
        assertEquals("", o.keepAlive());
        assertEquals(-1, o.keepAliveTimeoutSeconds());
        assertEquals(Boolean.FALSE, o.persistentExpected());
        assertEquals(2_001_000_000L, o.lastMessageEndNanos());
        assertEquals(499_000_000L, o.idleBeforeCloseNanos());
        assertEquals(CloseReason.CLIENT_REQUESTED_CLOSE, o.closeReason());
        assertEquals(200, o.lastStatus());
    }

    @Test
    void keepAliveParametersAreReportedNormalised() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nKeep-Alive: Timeout=15,  Max=99\r\nConnection: keep-alive\r\n\r\n");
        HttpOutcome o = w.outcome();
        assertEquals("timeout=15,max=99", o.keepAlive());
        assertEquals(15, o.keepAliveTimeoutSeconds());
        assertEquals(99, o.keepAliveMax());
        assertEquals("1.0", o.version());
        assertEquals(Boolean.TRUE, o.persistentExpected(), "HTTP/1.0 persists with keep-alive (RFC 9112 section 9.3)");
    }

    @Test
    void http10ResponseWithoutKeepAliveIsNotPersistentEvenForAn11Request() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        HttpOutcome o = w.outcome();
        assertEquals(Boolean.FALSE, o.persistentExpected());
        assertEquals("1.0", o.version());
    }

    @Test
    void unchangedHeaderTextIsNotAllocatedAgain() {
        HttpWire w = new HttpWire().handshake(0);
        String response = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n";
        w.exchange(1, GET, response);
        Conversation conv = w.connection.stage().conversation;
        String first = conv.responseConnection();
        w.exchange(2, GET, response);
        assertSame(first, conv.responseConnection());
    }

    @Test
    void hostileHeaderValuesAreStrippedAndBounded() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.1\r\nConnection: =HYPERLINK(\"http://x\")," + "z".repeat(200) + "\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nKeep-Alive: timeout=\"5\"; x=\u00ff\u00fe, " + "m".repeat(100) + "\r\n\r\n");
        HttpOutcome o = w.outcome();
        assertEquals(64, o.requestConnection().length());
        assertTrue(o.requestConnection().startsWith("hyperlinkhttp"), o.requestConnection());
        assertTrue(o.keepAlive().length() <= 64);
        assertTrue(o.keepAlive().chars().allMatch(c -> c > 0x20 && c < 0x7f), o.keepAlive());
    }

    @Test
    void connectionWithoutHttpPayloadHasEmptyValues() {
        HttpWire w = new HttpWire().handshake(0).serverCloses(1);
        HttpOutcome o = w.outcome();
        assertEquals(0, o.requests());
        assertEquals("", o.version());
        assertEquals("", o.requestConnection());
        assertNull(o.persistentExpected());
        assertEquals(PacketTime.UNSET, o.idleBeforeCloseNanos());
        assertEquals(PacketTime.UNSET, o.lastMessageEndNanos());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void unansweredRequestStillReportsItsVersion() {
        HttpWire w = new HttpWire().handshake(0).c(1, PSH | ACK, "GET / HTTP/1.0\r\n\r\n");
        HttpOutcome o = w.outcome();
        assertEquals("1.0", o.version());
        assertEquals(1, o.requests());
        assertEquals(0, o.responses());
        assertNull(o.persistentExpected());
    }

    @Test
    void idleIsNotApplicableWhenTheCloseCameBeforeTheLastMessage() {
        // The client half-closes right after its request; the response comes after the FIN.
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET).c(1.0001, HttpWire.FIN | ACK, "");
        w.s(1.01, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        w.s(1.02, HttpWire.FIN | ACK, "").c(1.03, ACK, "");
        HttpOutcome o = w.outcome();
        assertEquals(PacketTime.UNSET, o.idleBeforeCloseNanos());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void outcomeCanBeAskedTwiceWithTheSameAnswer() {
        HttpWire w = new HttpWire().handshake(0).exchange(1, GET, "HTTP/1.1 200 OK\r\n\r\nuntil close");
        w.serverCloses(2);
        assertEquals(w.outcome(), w.outcome());
    }

    @Test
    void idleBeforeCloseAndTheCloseReasonAreTheSameForAnExchangeBefore1970() {
        HttpOutcome after1970 = persistentExchangeThenServerClose(0);
        HttpOutcome before1970 = persistentExchangeThenServerClose(-1_000_000);
        assertEquals(4_999_000_000L, after1970.idleBeforeCloseNanos());
        assertEquals(after1970.idleBeforeCloseNanos(), before1970.idleBeforeCloseNanos());
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, before1970.closeReason());
        assertEquals(-1_000_000_000_000_000L + 2_001_000_000L, before1970.lastMessageEndNanos());
    }

    private static HttpOutcome persistentExchangeThenServerClose(double base) {
        HttpWire w = new HttpWire().handshake(base);
        w.exchange(base + 2, GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        w.serverCloses(base + 7);
        return w.outcome();
    }

    @Test
    void tlsOutcomeHasNoHttpValuesItsExchangesAsRequestsAndItsProblemsAsAnomalies() {
        HttpWire w = new HttpWire().handshake(0).tls12(0.1).tlsExchange(1).tlsExchange(2);
        w.s(2.5, dev.teardown.http.HttpWire.PSH | dev.teardown.http.HttpWire.ACK, "not a record at all");
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(0, o.requests());
        assertEquals(0, o.responses());
        assertEquals("", o.version());
        assertEquals(null, o.persistentExpected(), "persistence is in the encrypted headers");
        assertEquals(-1, o.keepAliveTimeoutSeconds());
        assertEquals(2, o.requestsOrExchanges(), "the summary counts the exchanges");
        assertEquals(java.util.Set.of(HttpAnomaly.TLS_BAD_RECORD), o.anomalies());
        assertEquals(2_001_000_000L, o.lastMessageEndNanos(), "the last record that was data");
        HttpOutcome plain = new HttpWire().handshake(0).exchange(1, "GET / HTTP/1.1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").outcome();
        assertEquals(null, plain.tls());
        assertEquals(1, plain.requestsOrExchanges());
    }

    @Test
    void tlsWhoseServerHelloSelectsH2IsHttp2AndTheH2FieldsStayEmpty() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(0.1, dev.teardown.http.HttpWire.PSH | dev.teardown.http.HttpWire.ACK,
            dev.teardown.tls.TlsBytes.clientHello().sni("h2.example").alpn("h2", "http/1.1").record());
        w.s(0.101, dev.teardown.http.HttpWire.PSH | dev.teardown.http.HttpWire.ACK,
            dev.teardown.tls.TlsBytes.serverHello().alpn("h2").record());
        HttpOutcome o = w.clientCloses(1).outcome();
        assertEquals("h2", o.tls().alpnSelected());
        assertEquals("2", o.version(), "ALPN h2 is HTTP/2 (RFC 7301)");
        assertEquals(null, o.h2(), "HTTP/2's frames are encrypted");
        assertEquals("", new HttpWire().handshake(0).tls12(0.1).clientCloses(1).outcome().version(), "ALPN http/1.1");
    }
}
