package dev.teardown.http;

import static dev.teardown.h2.H2Bytes.END_STREAM;
import static dev.teardown.h2.H2Bytes.concat;
import static dev.teardown.h2.H2Bytes.data;
import static dev.teardown.h2.H2Bytes.goaway;
import static dev.teardown.h2.H2Bytes.headers;
import static dev.teardown.h2.H2Bytes.preface;
import static dev.teardown.h2.H2Bytes.settings;
import static dev.teardown.h2.H2Bytes.settingsAck;
import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.PSH;
import static dev.teardown.stream.Chunks.everyByte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.h2.H2Outcome;
import dev.teardown.teardown.Sides;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/1.x conversation that turns into HTTP/2 (RFC 9113 section 3): with prior knowledge, from the client's
 * preface or the server's SETTINGS, split into segments anywhere; and by {@code Upgrade: h2c} (RFC 7540 section
 * 3.2), where the frames begin right after the 101's head.
 */
class ConversationTest {
    private static final byte[] CLIENT = concat(preface(), settings(3, 100), headers(1, END_STREAM, 30),
        headers(3, END_STREAM, 12));
    private static final byte[] SERVER = concat(settings(), settingsAck(), headers(1, 0, 20), data(1, END_STREAM, 100),
        headers(3, END_STREAM, 20));

    /** The client's bytes in segments ending at {@code cuts}, then the server's, then the client closes. */
    private static HttpOutcome priorKnowledge(int... cuts) {
        HttpWire w = new HttpWire().handshake(0);
        int from = 0;
        double t = 1;
        int[] all = Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = CLIENT.length;
        for (int cut : all) {
            w.c(t, PSH | ACK, Arrays.copyOfRange(CLIENT, from, cut));
            t += 0.001;
            from = cut;
        }
        w.s(2, PSH | ACK, SERVER).c(2.001, ACK, "");
        return w.clientCloses(3).outcome();
    }

    @Test
    void priorKnowledgeCountsStreamsAsRequestsWhereverTheSegmentsSplitThePreface() {
        HttpOutcome whole = priorKnowledge();
        assertEquals(2, whole.requests());
        assertEquals(2, whole.responses());
        assertEquals("2", whole.version());
        assertEquals(CloseReason.CLIENT_CLOSE, whole.closeReason());
        assertEquals(Boolean.TRUE, whole.persistentExpected(), "no GOAWAY");
        assertEquals(1_000_000_000L, whole.idleBeforeCloseNanos(), "from the last frame of a stream");
        assertEquals(Set.of(), whole.anomalies());
        for (int cut = 1; cut < CLIENT.length; cut++) {
            HttpOutcome split = priorKnowledge(cut);
            assertEquals(whole.requests(), split.requests(), "split at " + cut);
            assertEquals(whole.responses(), split.responses(), "split at " + cut);
            assertEquals(whole.closeReason(), split.closeReason(), "split at " + cut);
            assertEquals(whole.anomalies(), split.anomalies(), "split at " + cut);
        }
        assertEquals(2, priorKnowledge(everyByte(CLIENT.length)).requests(), "one byte per segment");
    }

    @Test
    void theServersSettingsBeforeThePrefaceAlsoStartHttp2() {
        HttpWire w = new HttpWire().handshake(0);
        w.s(0.5, PSH | ACK, settings(4, 65535));
        w.c(1, PSH | ACK, CLIENT).s(1.001, PSH | ACK, concat(settingsAck(), headers(1, END_STREAM, 9),
            headers(3, END_STREAM, 9), goaway(3, 0, 0)));
        HttpOutcome o = w.serverCloses(1.2).outcome();
        assertEquals(2, o.requests());
        assertEquals(2, o.responses());
        assertEquals("server:3:NO_ERROR", o.h2().goaway());
        assertEquals(Boolean.FALSE, o.persistentExpected(), "a GOAWAY ends the connection");
        assertEquals(CloseReason.SERVER_GOAWAY, o.closeReason());
    }

    @Test
    void aPrefaceLineThatIsNotFollowedByTheRestOfThePrefaceIsNotHttp() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "PRI * HTTP/2.0\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        HttpOutcome o = w.clientCloses(2).outcome();
        assertEquals(CloseReason.NOT_HTTP, o.closeReason());
        assertNull(o.h2());
    }

    @Test
    void aServerStartingWithOtherBinaryIsNotHttp() {
        HttpWire w = new HttpWire().handshake(0);
        w.s(0.5, PSH | ACK, new byte[] {0, 0, 6, 1, 4, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6});
        assertEquals(CloseReason.NOT_HTTP, w.clientCloses(2).outcome().closeReason());
    }

    @Test
    void aPrefaceLineAfterAnHttp11RequestIsABadMessageNotHttp2() {
        HttpWire w = new HttpWire().handshake(0).exchange(1, "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        w.c(2, PSH | ACK, CLIENT);
        HttpOutcome o = w.clientCloses(3).outcome();
        assertEquals("1.1", o.version());
        assertTrue(o.anomalies().contains(HttpAnomaly.BAD_MESSAGE));
    }

    private static final String UPGRADE = "GET /a HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
    private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";

    @Test
    void upgradeH2cSwitchesRightAfterThe101sHeadAndStreamOneAnswersTheRequest() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, UPGRADE);
        // The 101 and the first frames in one segment: the frames begin right after the head.
        w.s(1.001, PSH | ACK, concat(HttpWire.ascii(SWITCHING), settings(), headers(1, 0, 10), data(1, END_STREAM, 9)));
        w.c(1.002, PSH | ACK, concat(preface(), settings(), settingsAck(), headers(3, END_STREAM, 9)));
        w.s(1.003, PSH | ACK, concat(settingsAck(), headers(3, END_STREAM, 9)));
        HttpOutcome o = w.clientCloses(2).outcome();
        assertEquals(2, o.requests(), "the HTTP/1.1 request and stream 3");
        assertEquals(2, o.responses(), "streams 1 and 3; the 101 is interim");
        assertEquals(1, o.interimResponses());
        assertEquals("2", o.version());
        assertEquals("upgrade,http2-settings", o.requestConnection());
        assertEquals(CloseReason.CLIENT_CLOSE, o.closeReason());
        assertEquals(Set.of(), o.anomalies());
    }

    @Test
    void theUpgradingRequestsHttp2SettingsLetTheServerSendLongerFrames() {
        // RFC 7540 section 3.2.1: the request's HTTP2-Settings are the client's first settings; here
        // SETTINGS_MAX_FRAME_SIZE (5) = 65,536 and SETTINGS_INITIAL_WINDOW_SIZE (4) = 1 MiB, base64url.
        String settings = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            dev.teardown.h2.H2Bytes.settingsPayload(4, 1 << 20, 5, 65_536));
        for (String field : new String[] {"HTTP2-Settings: " + settings, "http2-settings:" + settings + " ",
                "HTTP2-Settings: AAMAAABkAAQAAP__"}) {
            HttpWire w = new HttpWire().handshake(0);
            w.c(1, PSH | ACK, "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + field + "\r\n\r\n");
            w.s(1.001, PSH | ACK, concat(HttpWire.ascii(SWITCHING), settings(), headers(1, 0, 10)));
            w.s(1.002, PSH | ACK, data(1, END_STREAM, 40_000));
            HttpOutcome o = w.clientCloses(2).outcome();
            boolean raised = !field.endsWith("AAMAAABkAAQAAP__");
            assertEquals(raised ? Set.of() : Set.of(HttpAnomaly.H2_BAD_FRAME), o.anomalies(), field);
            assertEquals(raised ? 1 : 0, o.responses(), "stream 1's end, when framed (the 101 is interim): " + field);
        }
    }

    @Test
    void refusedStreamsAreNotRequests() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, concat(preface(), settings(), headers(1, END_STREAM, 30), headers(3, END_STREAM, 12),
            headers(5, END_STREAM, 12)));
        w.s(2, PSH | ACK, concat(settings(), headers(1, END_STREAM, 20), dev.teardown.h2.H2Bytes.rstStream(3, 7),
            goaway(3, 0, 0)));
        HttpOutcome o = w.serverCloses(3).outcome();
        assertEquals(3, o.h2().requests());
        assertEquals(2, o.h2().refused());
        assertEquals(1, o.requests(), "stream 1 only: 3 was reset with REFUSED_STREAM, 5 is above the GOAWAY's 3");
        assertEquals(1, o.responses());
    }

    @Test
    void h2ProtocolErrorsAreNamedAnomalies() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, concat(preface(), settings(), dev.teardown.h2.H2Bytes.frame(dev.teardown.h2.H2Bytes.HEADERS,
            END_STREAM, 1, new byte[4]), data(1, 0, 2)));
        w.s(2, PSH | ACK, concat(settings(), dev.teardown.h2.H2Bytes.padded(dev.teardown.h2.H2Bytes.DATA, END_STREAM, 1,
            8, 8)));
        assertEquals(Set.of(HttpAnomaly.H2_BAD_CONTINUATION, HttpAnomaly.H2_BAD_PADDING),
            w.clientCloses(3).outcome().anomalies());
    }

    @Test
    void anUpgradeNotAnsweredOnStreamOneIsCloseMidMessage() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, UPGRADE).s(1.001, PSH | ACK, SWITCHING).s(1.002, PSH | ACK, settings());
        H2Outcome h2 = w.clientCloses(2).outcome().h2();
        assertEquals(1, h2.openStreams());
        assertEquals(CloseReason.CLOSE_MID_MESSAGE, w.outcome().closeReason());
    }

    @Test
    void a101ToAnotherProtocolStaysUpgraded() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        w.s(1.001, PSH | ACK, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        w.c(1.002, PSH | ACK, concat(preface(), settings()));
        HttpOutcome o = w.clientCloses(2).outcome();
        assertEquals(CloseReason.UPGRADED, o.closeReason());
        assertNull(o.h2());
    }

    @Test
    void theClientsGoawayBeforeTheServersCloseIsClientGoaway() {
        HttpWire w = new HttpWire().handshake(0);
        w.c(1, PSH | ACK, CLIENT).s(1.001, PSH | ACK, SERVER);
        w.c(1.002, PSH | ACK, goaway(0, 0, 0));
        HttpOutcome o = w.serverCloses(1.003).outcome();
        assertEquals(Sides.CLIENT, o.h2().goawayFrom());
        assertEquals(CloseReason.CLIENT_GOAWAY, o.closeReason());
    }
}
