package dev.teardown.http;

import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import dev.teardown.tls.TlsBytes;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whole conversations, segment by segment, through the teardown stage and the HTTP tracker. */
class HttpTrackerTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    @Test
    void pipelinedRequestsPairWithResponsesInOrder() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\nConnection: close\r\n\r\n");
        // The answer to HEAD announces a length but has no body: the third response follows at once.
        w.s(1.1, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye");
        w.serverCloses(1.2);
        HttpOutcome o = w.outcome();
        assertEquals(3, o.requests());
        assertEquals(3, o.responses());
        assertEquals("close", o.requestConnection());
        assertEquals(Boolean.FALSE, o.persistentExpected());
        assertEquals(CloseReason.CLIENT_REQUESTED_CLOSE, o.closeReason(), "the last request asked for the close");
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void theCloseFinishesTheConversationAndDropsItsParsersWhileTheConnectionWaitsOutTimeWait() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, OK);
        w.serverCloses(2);
        HttpConnection state = w.connection.stage();
        assertTrue(state.finished, "both FINs acknowledged: nothing of this lifetime is still to come");
        assertFalse(state.conversation.holdsParsers(), "decoders and buffers are not kept through TIME_WAIT");
        // A stray segment in TIME_WAIT (a retransmitted request) changes nothing any more.
        w.c(3, PSH | ACK, GET);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(CloseReason.SERVER_CLOSE_UNANNOUNCED, o.closeReason());
    }

    @Test
    void aConversationStillClosingKeepsItsParsers() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, OK);
        w.s(2, TcpSegment.FIN | ACK, "");
        assertTrue(w.connection.stage().conversation.holdsParsers(), "the client may still send");
    }

    @Test
    void expectContinueInterimResponseIsNotTheAnswer() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "PUT /f HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        w.s(1.01, PSH | ACK, "HTTP/1.1 100 Continue\r\n\r\n");
        w.c(1.02, PSH | ACK, "data");
        w.s(1.03, PSH | ACK, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(1, o.interimResponses());
        assertEquals(201, o.lastStatus());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n");
        w.exchange(2, GET, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
        w.exchange(3, GET, OK);
        w.clientCloses(4);
        HttpOutcome o = w.outcome();
        assertEquals(3, o.responses());
        assertEquals(200, o.lastStatus());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void chunkedResponseWithTrailersSpreadOverSegments() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1");
        w.s(1.02, ACK, "0\r\n0123456789abcdef\r");
        w.s(1.03, PSH | ACK, "\n0\r\nServer-Timing: db;dur=53\r\n\r\n");
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.responses());
        assertEquals(1_030_000_000L, o.lastMessageEndNanos());
        assertEquals(Boolean.TRUE, o.persistentExpected());
    }

    @Test
    void closeDelimitedBodyEndsAtTheServersFin() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "GET / HTTP/1.1\r\n\r\n");
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>");
        w.s(1.02, PSH | ACK, "</html>");
        w.serverCloses(1.03);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.responses());
        assertEquals(1_020_000_000L, o.lastMessageEndNanos());
        assertEquals(10_000_000L, o.idleBeforeCloseNanos());
        assertEquals(Boolean.FALSE, o.persistentExpected());
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, o.closeReason());
    }

    @Test
    void responseCapturedBeforeItsRequestStillPairs() {
        HttpWire w = new HttpWire().handshake(0);
        w.s(1, PSH | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        w.c(1.0001, PSH | ACK, GET);
        w.serverCloses(1.01);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, o.closeReason());
    }

    @Test
    void gapInTheMiddleOfABodyKeepsFramingAndTheNextResponseParses() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + "a".repeat(1000));
        w.sseq += 1000; // a segment the capture missed
        w.s(1.03, PSH | ACK, "c".repeat(1000));
        w.exchange(2, GET, OK);
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(2, o.requests());
        assertEquals(2, o.responses());
        assertEquals(Set.of(HttpAnomaly.STREAM_GAP), o.anomalies());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void gapAcrossABodyEndResynchronisesAtTheNextResponse() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789");
        w.sseq += 10 + 40; // the body's end and the start of a pipelined response are lost
        w.s(1.02, ACK, "tail of a lost response");
        w.c(2, PSH | ACK, GET);
        w.s(2.01, PSH | ACK, OK);
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(2, o.requests());
        assertEquals(1, o.responses(), "the response cut by the gap is lost");
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason(), "the lost response does not leave a request unanswered");
    }

    @Test
    void gapInARequestHeadLosesThatRequestAndTheNextOneParses() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, ACK, "GET /first HTTP/1.1\r\nHost: ex");
        w.cseq += 30; // lost
        w.c(1.01, PSH | ACK, "ample.com\r\n\r\n");
        w.s(1.02, PSH | ACK, OK);
        w.exchange(2, "GET /second HTTP/1.1\r\nConnection: close\r\n\r\n", OK);
        w.serverCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals("close", o.requestConnection());
        assertTrue(o.anomalies().contains(HttpAnomaly.STREAM_GAP));
    }

    @Test
    void retransmittedAndOverlappingSegmentsAreParsedOnce() {
        HttpWire w = new HttpWire().handshake(0);
        int start = w.cseq;
        w.c(1, ACK, "GET / HTTP/1.1\r\nHost:");
        w.raw(true, 1.2, ACK, start, "GET / HTTP/1.1\r\nHost:");           // retransmission
        w.raw(true, 1.3, PSH | ACK, start + 10, "TP/1.1\r\nHost: x\r\n\r\n"); // overlaps and extends
        w.cseq = start + 10 + 23;
        w.s(1.4, PSH | ACK, OK);
        w.s(1.5, PSH | ACK, "");
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void outOfOrderSegmentsAreReassembled() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        int start = w.sseq;
        String head = "HTTP/1.1 200 OK\r\n";
        String rest = "Content-Length: 5\r\nConnection: close\r\n\r\nhello";
        w.raw(false, 1.01, PSH | ACK, start + head.length(), rest);
        w.raw(false, 1.02, ACK, start, head);
        w.sseq = start + head.length() + rest.length();
        w.serverCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.responses());
        assertEquals("close", o.responseConnection());
        assertEquals(CloseReason.SERVER_CLOSE_ANNOUNCED, o.closeReason());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void sequenceNumbersWrappingInsideAMessageAreFollowed() {
        HttpWire w = new HttpWire(0xfffffff0, 0xffffffe0).handshake(0);
        w.c(1, ACK, "GET / HTTP/1.1\r\n");
        w.c(1.01, PSH | ACK, "Host: wrap\r\n\r\n");
        w.s(1.02, ACK, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
        w.s(1.03, PSH | ACK, "56789");
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void tlsIsRecognisedFromItsFirstBytesAndNeverParsedAsHttp() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "\u0016\u0003\u0001\u0000\u00c8\u0001\u0000\u0000\u00c4\u0003\u0003");
        w.s(1.01, PSH | ACK, "\u0016\u0003\u0003\u0000\u0059\u0002");
        w.c(1.02, PSH | ACK, "GET / HTTP/1.1\r\n\r\n"); // inside the TLS record: never parsed
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(CloseReason.NO_EXCHANGE, o.closeReason());
        assertEquals(0, o.requests());
        assertNull(o.persistentExpected());
        assertNotNull(o.tls(), "a TLS connection");
        assertEquals(0, o.tls().exchanges());
        assertEquals(Set.of(), w.outcome().anomalies());
    }

    @Test
    void serverSpeakingFirstWithAnotherProtocolIsNotHttp() {
        HttpWire w = new HttpWire().handshake(0);
        w.s(1, PSH | ACK, "220 mail.example.com ESMTP ready\r\n");
        w.c(1.1, PSH | ACK, "EHLO client\r\n");
        w.clientCloses(2);
        assertEquals(CloseReason.NOT_HTTP, w.outcome().closeReason());
    }

    @Test
    void upgradeToWebSocketStopsHttpParsing() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "GET /chat HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n");
        w.s(1.01, PSH | ACK, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi");
        w.c(1.02, PSH | ACK, "\u0081\u0082garbage that is not HTTP");
        w.clientCloses(5);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals("keep-alive,upgrade", o.requestConnection());
        assertEquals("upgrade", o.responseConnection());
        assertEquals(CloseReason.UPGRADED, o.closeReason());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void successfulConnectBecomesATunnel() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        w.s(1.01, PSH | ACK, "HTTP/1.1 200 Connection Established\r\n\r\n");
        w.c(1.02, PSH | ACK, "\u0016\u0003\u0001\u0000\u00c8");
        w.clientCloses(2);
        assertEquals(CloseReason.UPGRADED, w.outcome().closeReason());
    }

    @Test
    void requestsBeyondThePendingLimitAreCountedAndStillAnswered() {
        HttpWire w = new HttpWire(1000, 5000, new HttpTracker(new HttpLimits(8192, 65536, 2, 4, 65536, 64)));
        w.handshake(0);
        w.c(1, PSH | ACK, GET.repeat(4));
        w.s(1.1, PSH | ACK, OK.repeat(4));
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(4, o.requests());
        assertEquals(4, o.responses());
        assertEquals(Set.of(HttpAnomaly.TOO_MANY_PENDING), o.anomalies());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void captureStartingMidBodyResynchronisesAtTheNextMessage() {
        HttpWire w = new HttpWire();
        w.s(1, ACK, "rest of a body we joined late\r\n");
        w.c(2, PSH | ACK, GET);
        w.s(2.01, PSH | ACK, OK);
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void badMessageIsCountedAndTheConnectionRecovers() {
        HttpWire w = new HttpWire().handshake(0);
        w.exchange(1, GET, OK);
        w.c(2, PSH | ACK, "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n");
        w.s(2.01, PSH | ACK, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        w.serverCloses(2.02);
        HttpOutcome o = w.outcome();
        assertEquals(Set.of(HttpAnomaly.BAD_MESSAGE), o.anomalies());
    }

    @Test
    void responseBehindALostSegmentEndsAtItsOwnCaptureTime() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n01234");
        w.sseq += 5; // lost by the capture, received by the client
        w.s(1.02, PSH | ACK, "abcde");
        w.c(5, ACK, ""); // acknowledges past the hole
        w.clientCloses(6);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.responses());
        assertEquals(1_020_000_000L, o.lastMessageEndNanos());
        assertEquals(4_980_000_000L, o.idleBeforeCloseNanos());
    }

    @Test
    void heldSegmentsStillMissingAtTheEndAreDeliveredBehindAGap() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, ACK, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n01234");
        int hole = w.sseq;
        w.sseq += 5;
        w.raw(false, 1.02, PSH | ACK, w.sseq, hole - 1_000_000, new byte[0], 0, 0); // no useful ACK
        w.s(1.02, PSH | ACK, "abcde");
        HttpOutcome o = w.outcome(); // never closed, never acknowledged: flushed at the end
        assertEquals(1, o.responses());
        assertEquals(CloseReason.NOT_CLOSED, o.closeReason());
        assertEquals(Set.of(HttpAnomaly.STREAM_GAP), o.anomalies());
    }

    @Test
    void captureJoiningATlsConnectionMidwayIsTlsBegunBeforeTheCapture() {
        HttpWire w = new HttpWire(1000, 5000);
        w.s(1, ACK, "\u0017\u0003\u0003\u0001\u0000application data");
        w.c(1.1, ACK, "\u0017\u0003\u0003\u0000\u0020more");
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertNotNull(o.tls(), "records at segment starts: TLS");
        assertEquals(CloseReason.BEGUN_BEFORE_CAPTURE, o.closeReason());
    }

    @Test
    void payloadOfAResetIsNotStreamData() {
        HttpWire w = new HttpWire().handshake(0).exchange(1, GET, OK);
        w.s(2, HttpWire.RST | ACK, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        HttpOutcome o = w.outcome();
        assertEquals(1, o.responses());
        assertEquals(CloseReason.SERVER_ABORT, o.closeReason());
    }

    @Test
    void connectionWithoutPayloadKeepsOnlyItsInitialSequenceNumbers() {
        HttpWire w = new HttpWire().handshake(0);
        assertTrue(w.connection.stage().conversation == null && !w.connection.stage().notHttp, "only the SYN anchors");
        w.clientCloses(1);
        assertEquals(CloseReason.NO_EXCHANGE, w.outcome().closeReason());
    }

    @Test
    void notHttpConnectionKeepsOnlyASharedMarker() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "SSH-2.0-OpenSSH_9.2\r\n");
        assertTrue(w.connection.stage().notHttp);
        assertEquals(null, w.connection.stage().conversation, "the conversation is dropped");
        assertEquals(null, w.connection.stage().tls);
    }

    @Test
    void tlsConnectionDropsItsHttpConversationForATlsOne() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, TlsBytes.clientHello().sni("x.example").record());
        assertEquals(null, w.connection.stage().conversation, "no HTTP decoders kept for TLS");
        assertNotNull(w.connection.stage().tls);
        assertFalse(w.connection.stage().notHttp);
    }

    @Test
    void aTlsConnectionIsFinishedAtItsCloseSoStraysInTimeWaitChangeNothing() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, TlsBytes.clientHello().sni("x.example").record());
        w.s(1.01, PSH | ACK, TlsBytes.serverHello().record());
        w.serverCloses(2);
        assertTrue(w.connection.stage().finished, "both FINs acknowledged: the TLS stage finished at once");
        long exchanges = w.outcome().tls().exchanges();
        w.c(3, PSH | ACK, new String(TlsBytes.data(200), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(exchanges, w.outcome().tls().exchanges());
    }

    @Test
    void bytesThatBeganLikeTlsButWereNotEndAsNotHttp() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "\u0016\u0003\u0001\u0000\u0006\u0063hello!"); // a handshake record holding no ClientHello
        assertTrue(w.connection.stage().notHttp);
        assertEquals(null, w.connection.stage().tls, "the TLS conversation is dropped too");
        w.clientCloses(2);
        assertEquals(CloseReason.NOT_HTTP, w.outcome().closeReason());
        assertNull(w.outcome().tls());
    }

    @Test
    void aTlsRecordAnsweringAnHttpRequestIsNotTls() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, GET);
        w.s(1.01, PSH | ACK, TlsBytes.serverHello().record());
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertNull(o.tls(), "the client spoke HTTP first");
        assertEquals(CloseReason.NOT_HTTP, o.closeReason());
    }

    @Test
    void tlsIsRecognisedOnAnyPortAndItsHelloParsedAcrossSegments() {
        HttpWire w = new HttpWire().handshake(0); // the server listens on port 80
        byte[] hello = TlsBytes.clientHello().sni("port80.example").alpn("h2").record();
        w.c(1, ACK, java.util.Arrays.copyOfRange(hello, 0, 3));
        w.c(1.001, PSH | ACK, java.util.Arrays.copyOfRange(hello, 3, hello.length));
        w.s(1.01, PSH | ACK, TlsBytes.serverHello().version(TlsBytes.TLS13).record());
        w.clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals("port80.example", o.tls().serverName());
        assertEquals("h2", o.tls().alpn());
        assertEquals("1.3", o.tls().version());
    }

    @Test
    void tlsSegmentsOutOfOrderAreReassembledAndALostOneIsAStreamGap() {
        HttpWire w = new HttpWire().handshake(0).tls12(0.1);
        int start = w.cseq;
        byte[] request = TlsBytes.data(200);
        byte[] head = java.util.Arrays.copyOfRange(request, 0, 105);
        byte[] tail = java.util.Arrays.copyOfRange(request, 105, request.length);
        w.raw(true, 1.001, PSH | ACK, start + 105, w.sseq, tail, tail.length, tail.length); // the second part first
        w.raw(true, 1.002, PSH | ACK, start, w.sseq, head, head.length, head.length);
        w.cseq = start + request.length;
        w.s(1.01, PSH | ACK, TlsBytes.data(400));
        // The next request is lost by the capture; the one after it is held until the server's ACK shows the hole.
        w.cseq += 105;
        w.c(2, PSH | ACK, TlsBytes.data(100));
        w.s(2.01, PSH | ACK, TlsBytes.data(400));
        w.clientCloses(3);
        HttpOutcome o = w.outcome();
        assertEquals(Set.of(HttpAnomaly.STREAM_GAP), o.anomalies());
        assertEquals(2, o.tls().exchanges(), "the lost request's turn merges with the next: a lower bound");
    }

    @Test
    void firstRequestSegmentCapturedSecondWaitsForTheFirstThanksToTheSyn() {
        HttpWire w = new HttpWire().handshake(0);
        int start = w.cseq;
        w.raw(true, 1.001, PSH | ACK, start + 7, "HTTP/1.1\r\n\r\n");
        w.raw(true, 1.002, ACK, start, "GET /x ");
        w.cseq = start + 7 + 12;
        assertEquals(Set.of(), w.connection.stage().conversation.anomalies());
        w.s(1.01, PSH | ACK, OK).clientCloses(2);
        HttpOutcome o = w.outcome();
        assertEquals(1, o.requests());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
    }

    @Test
    void pipelinePassingOnlyPayloadSegmentsStillRecognisesTheStreamStart() {
        HttpWire w = new HttpWire();
        w.payloadOnly = true;
        w.handshake(0);
        w.c(1, PSH | ACK, "SSH-2.0-OpenSSH_9.2\r\n");
        w.clientCloses(2);
        assertEquals(CloseReason.NOT_HTTP, w.outcome().closeReason());
        HttpWire t = new HttpWire();
        t.payloadOnly = true;
        t.handshake(0);
        t.c(1, PSH | ACK, TlsBytes.clientHello().sni("start.example").record()).clientCloses(2);
        assertEquals("start.example", t.outcome().tls().serverName(), "a hello is looked for only at the stream start");
        HttpWire v = new HttpWire();
        v.payloadOnly = true;
        v.handshake(0).exchange(1, GET, OK).clientCloses(2);
        assertEquals(CloseReason.CLIENT_CLOSE, v.outcome().closeReason());
    }

    @Test
    void mangledTrafficNeverThrowsAndAlwaysGetsAReason() {
        String[] corpus = {
            GET, OK, "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\nX: y\r\n\r\n",
            "HTTP/1.0 200\r\n\r\nuntil close", "HTTP/1.1 100 Continue\r\n\r\n", "HEAD / HTTP/1.0\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\n\r\n", "CONNECT h:443 HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nConnection: keep-alive,\r\n close\r\nKeep-Alive: timeout=5\r\n\r\n",
        };
        byte[] noise = HttpWire.ascii("\r\n\0: ;,=\t 0F9aZ\u00ff\u0016\u0003");
        for (int seed = 0; seed < 400; seed++) {
            java.util.Random r = new java.util.Random(seed);
            HttpWire w = new HttpWire(r.nextInt(), r.nextInt());
            if (r.nextBoolean()) w.handshake(0);
            double t = 1;
            for (int m = 0; m < 1 + r.nextInt(8); m++) {
                boolean client = r.nextBoolean();
                byte[] msg = HttpWire.ascii(corpus[r.nextInt(corpus.length)]);
                for (int k = r.nextInt(4); k > 0; k--) msg[r.nextInt(msg.length)] = noise[r.nextInt(noise.length)];
                int seq = client ? w.cseq : w.sseq;
                for (int off = 0; off < msg.length; ) {
                    int len = Math.min(msg.length - off, 1 + r.nextInt(40));
                    byte[] part = java.util.Arrays.copyOfRange(msg, off, off + len);
                    int captured = r.nextInt(10) == 0 ? r.nextInt(len + 1) : len;
                    int at = seq + off + (r.nextInt(15) == 0 ? r.nextInt(60) - 30 : 0);
                    if (r.nextInt(12) != 0) w.raw(client, t += 0.001, PSH | ACK, at, client ? w.sseq : w.cseq, part, captured, len);
                    if (r.nextInt(8) == 0) w.raw(client, t += 0.001, ACK, at, client ? w.sseq : w.cseq, part, captured, len);
                    off += len;
                }
                if (client) w.cseq += msg.length;
                else w.sseq += msg.length;
            }
            switch (r.nextInt(4)) {
                case 0 -> w.clientCloses(t + 1);
                case 1 -> w.serverCloses(t + 1);
                case 2 -> w.c(t + 1, HttpWire.RST | ACK, "");
                default -> { }
            }
            assertTrue(w.outcome().closeReason() != null, "seed " + seed);
        }
    }
}
