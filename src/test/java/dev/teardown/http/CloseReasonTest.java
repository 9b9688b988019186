package dev.teardown.http;

import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.FIN;
import static dev.teardown.http.HttpWire.PSH;
import static dev.teardown.http.HttpWire.RST;
import static dev.teardown.http.HttpWire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsBytes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One connection per close_reason value, built through the teardown stage, with the rule that picks it. */
class CloseReasonTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static HttpWire keepAliveExchange() {
        return new HttpWire().handshake(0).exchange(1, GET, OK);
    }

    private static CloseReason reason(HttpWire w) {
        return w.outcome().closeReason();
    }

    @Test
    void labelsAreUniqueKebabCaseWords() {
        Set<String> seen = new HashSet<>();
        for (CloseReason r : CloseReason.values()) {
            assertTrue(r.label().matches("[a-z0-9]+(-[a-z0-9]+)*"), r.label());
            assertTrue(seen.add(r.label()), r.label());
        }
        assertEquals(19, seen.size());
    }

    @Test
    void notHttpWhenTheFirstBytesOnlyBeginLikeTls() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "\u0016\u0003\u0009\u0002\u0000\u0001"); // version 3.9: no TLS record
        w.serverCloses(2);
        assertEquals(CloseReason.NOT_HTTP, reason(w));
    }

    @Test
    void notClosedWithoutFinOrRst() {
        HttpOutcome o = keepAliveExchange().outcome();
        assertEquals(CloseReason.NOT_CLOSED, o.closeReason());
        assertEquals(PacketTime.UNSET, o.idleBeforeCloseNanos());
        assertEquals(Boolean.TRUE, o.persistentExpected());
    }

    @Test
    void clientAbortWhenTheClientResetsBeforeAnyFin() {
        HttpWire w = keepAliveExchange().c(3, RST | ACK, "");
        assertEquals(CloseType.RST, w.teardown().type());
        assertEquals(CloseReason.CLIENT_ABORT, reason(w));
    }

    @Test
    void serverAbortWhenARequestCrossesTheServersCloseAndItResets() {
        // The server closes an idle connection with the new request unread: Linux sends RST, not FIN.
        HttpWire w = keepAliveExchange();
        w.c(6, PSH | ACK, GET);
        w.raw(false, 6.0001, RST | ACK, w.sseq, w.cseq - GET.length(), new byte[0], 0, 0);
        assertEquals(CloseReason.SERVER_ABORT, reason(w));
    }

    @Test
    void upgradedAfterSwitchingProtocols() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        w.serverCloses(30);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.UPGRADED, o.closeReason());
        assertEquals(null, o.persistentExpected());
    }

    @Test
    void closeMidMessageWhenTheResponseBodyIsShort() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part");
        w.serverCloses(1.02);
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, reason(w));
    }

    @Test
    void closeMidMessageWhenTheServerClosesAsANewRequestArrives() {
        // The keep-alive race: the request crosses the server's idle FIN (FACTS: RFC 9112 section 9.6).
        HttpWire w = keepAliveExchange();
        w.c(6, PSH | ACK, GET);
        w.raw(false, 6.0001, FIN | ACK, w.sseq, w.cseq - GET.length(), new byte[0], 0, 0);
        w.sseq++;
        w.c(6.001, FIN | ACK, "").s(6.002, ACK, "");
        assertEquals(Sides.SERVER, w.teardown().initiator());
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, reason(w));
    }

    @Test
    void closeMidMessageWhenARequestHeadIsPartial() {
        HttpWire w = new HttpWire().handshake(0).c(1, PSH | ACK, "GET / HTTP/1.1\r\nHost: exa");
        w.clientCloses(2);
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, reason(w));
    }

    @Test
    void noExchangeForAConnectionThatNeverCarriedARequest() {
        HttpWire w = new HttpWire().handshake(0).clientCloses(10);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.NO_EXCHANGE, o.closeReason());
        assertEquals(null, o.persistentExpected());
        assertEquals("", o.version());
    }

    @Test
    void begunBeforeCaptureForAnIdleConnectionTheServerClosesWithNothingSeenBefore() {
        // The capture started while a keep-alive connection sat idle: its first packet is the server's FIN.
        HttpWire w = new HttpWire().serverCloses(5);
        assertEquals(Handshake.MIDSTREAM, Teardown.handshake(w.connection));
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.BEGUN_BEFORE_CAPTURE, o.closeReason());
        assertEquals(null, o.persistentExpected());
    }

    @Test
    void begunBeforeCaptureWhenOnlyTheTailOfAResponseBodyWasSeen() {
        // The capture began inside a response body: no exchange can be placed, and nothing is left incomplete.
        HttpWire w = new HttpWire();
        w.s(1, PSH | ACK, "the last bytes of a body the capture missed the head of");
        w.c(1.001, ACK, "");
        w.serverCloses(3);
        assertEquals(Handshake.MIDSTREAM, Teardown.handshake(w.connection));
        assertEquals(CloseReason.BEGUN_BEFORE_CAPTURE, reason(w));
    }

    @Test
    void aConnectionBegunBeforeTheCaptureIsJudgedByTheExchangesSeenAfter() {
        HttpWire w = new HttpWire().exchange(1, GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(Handshake.MIDSTREAM, Teardown.handshake(w.connection));
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, reason(w));
    }

    @Test
    void noExchangeWhenTheCaptureMissedOnlyTheSyn() {
        // From the SYN-ACK on every byte was captured: the connection really carried no exchange.
        HttpWire w = new HttpWire();
        w.s(0, SYN | ACK, "").c(0.0001, ACK, "");
        w.serverCloses(10);
        assertEquals(Handshake.SYNACK, Teardown.handshake(w.connection));
        assertEquals(CloseReason.NO_EXCHANGE, reason(w));
    }

    @Test
    void simultaneousWhenTheFinsCross() {
        HttpWire w = keepAliveExchange();
        int cfin = w.cseq;
        int sfin = w.sseq;
        byte[] none = new byte[0];
        w.raw(true, 2, FIN | ACK, cfin, sfin, none, 0, 0).raw(false, 2.0001, FIN | ACK, sfin, cfin, none, 0, 0);
        w.raw(true, 2.001, ACK, cfin + 1, sfin + 1, none, 0, 0).raw(false, 2.001, ACK, sfin + 1, cfin + 1, none, 0, 0);
        assertEquals(Sides.BOTH, w.teardown().initiator());
        assertEquals(CloseReason.SIMULTANEOUS, reason(w));
    }

    @Test
    void serverCloseAnnouncedWhenTheResponseSaidClose() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, reason(w));
    }

    @Test
    void clientRequestedCloseWhenTheRequestSaidCloseAndTheServerClosed() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", OK);
        w.serverCloses(1.01);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.CLIENT_REQUESTED_CLOSE, o.closeReason());
        assertEquals(Boolean.FALSE, o.persistentExpected());
    }

    @Test
    void clientRequestedCloseEvenWhenTheServerEchoesClose() {
        // nginx and lighttpd repeat the request's close in the response: the client's intent still decides.
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(CloseReason.CLIENT_REQUESTED_CLOSE, reason(w));
    }

    @Test
    void clientRequestedCloseWhenTheResponseRanUntilTheClose() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\nbody");
        w.serverCloses(1.01);
        assertEquals(CloseReason.CLIENT_REQUESTED_CLOSE, reason(w));
    }

    @Test
    void serverCloseAnnouncedWhenTheResponseRanUntilTheCloseOfAPersistentRequest() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.1 200 OK\r\n\r\nbody");
        w.serverCloses(1.01);
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, reason(w));
    }

    @Test
    void http10CloseEvenWhenTheServerAnswersWithClose() {
        // ab and curl --http1.0 against nginx: HTTP/1.0 without keep-alive, answered HTTP/1.1 with Connection: close.
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(CloseReason.HTTP10_CLOSE, reason(w));
    }

    @Test
    void serverCloseAnnouncedWhenAKeepAliveHttp10RequestIsAnsweredWithClose() {
        // The client asked to persist; the server decided otherwise (a request budget, an error, a shutdown).
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, reason(w));
    }

    @Test
    void http10CloseWhenAnHttp11RequestIsAnsweredAsHttp10WithoutKeepAlive() {
        // python -m http.server: the response's version ends the connection, with no Connection header.
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
        w.serverCloses(1.01);
        assertEquals(CloseReason.HTTP10_CLOSE, reason(w));
    }

    @Test
    void http10CloseWhenNeitherSideAskedForKeepAlive() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, "GET / HTTP/1.0\r\n\r\n", OK); // answered as HTTP/1.1, still a 1.0 exchange
        w.serverCloses(1.01);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.HTTP10_CLOSE, o.closeReason());
        assertEquals("1.0", o.version());
    }

    @Test
    void serverIdleTimeoutWhenTheServerClosesAtItsAdvertisedTimeout() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5, max=100\r\n\r\nok");
        w.serverCloses(6.002); // lighttpd-style: checked once a second, so up to a second late or early
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, o.closeReason());
        assertEquals(5, o.keepAliveTimeoutSeconds());
        assertEquals(5_001_000_000L, o.idleBeforeCloseNanos());
    }

    @Test
    void serverIdleTimeoutWithoutAdvertisementAfterASecondOrMore() {
        HttpWire w = keepAliveExchange().serverCloses(76);
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, reason(w));
    }

    @Test
    void serverCloseUnannouncedRightAfterAResponseThatPromisedPersistence() {
        HttpWire w = keepAliveExchange().serverCloses(1.2);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.SERVER_CLOSE_UNANNOUNCED, o.closeReason());
        assertEquals(Boolean.TRUE, o.persistentExpected());
        assertTrue(o.idleBeforeCloseNanos() < CloseReason.IDLE_TIMEOUT_MIN_NANOS);
    }

    @Test
    void serverCloseUnannouncedWellBeforeTheAdvertisedTimeout() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=30\r\n\r\nok");
        w.serverCloses(4);
        assertEquals(CloseReason.SERVER_CLOSE_UNANNOUNCED, reason(w));
    }

    @Test
    void clientCloseOfAPersistentConnection() {
        HttpWire w = keepAliveExchange().clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
        assertEquals(Boolean.TRUE, o.persistentExpected());
        assertEquals(1_999_000_000L, o.idleBeforeCloseNanos()); // from the response at 1.001 s
    }

    @Test
    void idleTimeoutFloorFollowsTheAdvertisedTimeout() {
        assertEquals(1_000_000_000L, CloseReason.idleTimeoutFloor(-1));
        assertEquals(4_000_000_000L, CloseReason.idleTimeoutFloor(5));
        assertEquals(0, CloseReason.idleTimeoutFloor(0));
    }

    // --- TLS: the same rules, from what is known without keys ----------------------------------

    /** A TLS 1.2 connection with one encrypted exchange. */
    private static HttpWire tlsExchange() {
        return new HttpWire().handshake(0).tls12(0.1).tlsExchange(1);
    }

    @Test
    void tlsClientCloseWhenTheClientsFinComesFirst() {
        HttpWire w = tlsExchange().clientCloses(5);
        assertEquals(CloseReason.CLIENT_CLOSE, reason(w));
    }

    @Test
    void tlsClientCloseNotifyWhenTheClientSaidGoodbyeFirstAndTheServersFinCameFirst() {
        // curl over TLS 1.2 to nginx (samples/tls-keepalive.pcap): close_notify, then nginx closes at once.
        HttpWire w = tlsExchange().c(5, PSH | ACK, TlsBytes.record(TlsBytes.ALERT, TlsBytes.TLS12, new byte[26]))
            .serverCloses(5.001);
        assertEquals(CloseReason.CLIENT_CLOSE_NOTIFY, reason(w));
        assertEquals("client:encrypted", w.outcome().tls().alert());
    }

    @Test
    void tlsServerIdleTimeoutWhenTheServerClosesASecondOrMoreAfterTheLastData() {
        HttpWire w = tlsExchange().s(3.002, PSH | ACK, TlsBytes.record(TlsBytes.ALERT, TlsBytes.TLS12, new byte[26]))
            .serverCloses(3.0021);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, o.closeReason());
        assertEquals(2_001_100_000L, o.idleBeforeCloseNanos(), "from the response's end to the FIN, the alert no data");
    }

    @Test
    void tlsServerCloseEncryptedWhenTheServerClosesSoonAfterTheResponse() {
        HttpWire w = tlsExchange().serverCloses(1.01);
        assertEquals(CloseReason.SERVER_CLOSE_ENCRYPTED, reason(w));
    }

    @Test
    void tlsCloseMidMessageWhenTheClientsLastDataWentUnanswered() {
        HttpWire w = tlsExchange().c(2, PSH | ACK, TlsBytes.data(100)).serverCloses(2.5);
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, reason(w));
    }

    @Test
    void tlsNoExchangeAfterAHandshakeOnlyAndBegunBeforeCaptureWhenJoinedMidway() {
        assertEquals(CloseReason.NO_EXCHANGE, reason(new HttpWire().handshake(0).tls12(0.1).clientCloses(1)));
        HttpWire late = new HttpWire(1000, 5000);
        late.s(1, PSH | ACK, TlsBytes.concat(TlsBytes.record(TlsBytes.ALERT, TlsBytes.TLS12, new byte[26])));
        late.serverCloses(1.0001);
        assertEquals(CloseReason.BEGUN_BEFORE_CAPTURE, reason(late));
    }

    @Test
    void tlsSimultaneousAndAbortsAsForHttp() {
        HttpWire crossed = tlsExchange();
        int cfin = crossed.cseq;
        int sfin = crossed.sseq;
        byte[] none = new byte[0];
        crossed.raw(true, 5, FIN | ACK, cfin, sfin, none, 0, 0).raw(false, 5.0001, FIN | ACK, sfin, cfin, none, 0, 0);
        crossed.raw(true, 5.001, ACK, cfin + 1, sfin + 1, none, 0, 0).raw(false, 5.001, ACK, sfin + 1, cfin + 1, none, 0, 0);
        assertEquals(CloseReason.SIMULTANEOUS, reason(crossed));
        assertEquals(CloseReason.SERVER_ABORT, reason(tlsExchange().s(3, RST | ACK, "")));
        assertEquals(CloseReason.NOT_CLOSED, reason(tlsExchange()));
    }

    /** An HTTP/2 connection with prior knowledge: one request answered at 1 s; the server's frames {@code after}. */
    private static HttpWire h2Exchange(byte[]... after) {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, dev.teardown.h2.H2Bytes.concat(dev.teardown.h2.H2Bytes.preface(), dev.teardown.h2.H2Bytes.settings(),
            dev.teardown.h2.H2Bytes.headers(1, dev.teardown.h2.H2Bytes.END_STREAM, 10)));
        w.s(1.0001, PSH | ACK, dev.teardown.h2.H2Bytes.concat(dev.teardown.h2.H2Bytes.settings(),
            dev.teardown.h2.H2Bytes.headers(1, dev.teardown.h2.H2Bytes.END_STREAM, 10)));
        for (byte[] f : after) w.s(1.5, PSH | ACK, f);
        return w;
    }

    @Test
    void h2ServerClosesByItsGoawayItsIdleTimeOrUnannounced() {
        byte[] goaway = dev.teardown.h2.H2Bytes.goaway(1, 0, 0);
        assertEquals(CloseReason.SERVER_GOAWAY, reason(h2Exchange(goaway).serverCloses(1.6)));
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, reason(h2Exchange().serverCloses(3)),
            "idle 2 s, with or without a GOAWAY (nginx sends one)");
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, reason(h2Exchange(goaway).serverCloses(3)));
        assertEquals(CloseReason.SERVER_CLOSE_UNANNOUNCED, reason(h2Exchange().serverCloses(1.2)));
        assertEquals(CloseReason.CLIENT_CLOSE, reason(h2Exchange(goaway).clientCloses(1.6)));
    }

    @Test
    void h2AbortsUnansweredStreamsAndNoStreamsAsForHttp() {
        assertEquals(CloseReason.CLIENT_ABORT, reason(h2Exchange().c(2, RST | ACK, "")));
        assertEquals(CloseReason.NOT_CLOSED, reason(h2Exchange()));
        HttpWire open = h2Exchange();
        open.c(2, PSH | ACK, dev.teardown.h2.H2Bytes.headers(3, dev.teardown.h2.H2Bytes.END_STREAM, 10));
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, reason(open.serverCloses(2.1)));
        HttpWire none = new HttpWire().handshake(0);
        none.c(1, PSH | ACK, dev.teardown.h2.H2Bytes.concat(dev.teardown.h2.H2Bytes.preface(), dev.teardown.h2.H2Bytes.settings()));
        assertEquals(CloseReason.NO_EXCHANGE, reason(none.clientCloses(2)));
    }
}
