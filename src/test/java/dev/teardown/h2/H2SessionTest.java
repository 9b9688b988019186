package dev.teardown.h2;

import static dev.teardown.h2.H2Bytes.END_STREAM;
import static dev.teardown.h2.H2Bytes.concat;
import static dev.teardown.h2.H2Bytes.data;
import static dev.teardown.h2.H2Bytes.goaway;
import static dev.teardown.h2.H2Bytes.headers;
import static dev.teardown.h2.H2Bytes.preface;
import static dev.teardown.h2.H2Bytes.rstStream;
import static dev.teardown.h2.H2Bytes.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Streams as requests and responses, GOAWAY, and when bytes that began like HTTP/2 were not. */
class H2SessionTest {

    private static H2Session session() {
        H2Session s = new H2Session();
        s.direction(Side.CLIENT).begin(true);
        s.direction(Side.SERVER).begin(true);
        return s;
    }

    private static void send(H2Session s, Side side, long t, byte[]... frames) {
        byte[] b = concat(frames);
        s.direction(side).data(b, 0, b.length, t);
    }

    @Test
    void newClientStreamsAreRequestsAndTheServersEndsAreResponses() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), headers(1, 0, 10), data(1, END_STREAM, 50), headers(3, END_STREAM, 10));
        send(s, Side.CLIENT, 3, headers(3, END_STREAM, 8)); // trailers on an old stream: no new request
        H2Outcome o = s.outcome();
        assertEquals(2, o.requests());
        assertEquals(2, o.responses());
        assertEquals(0, o.openStreams());
        assertEquals(3, o.lastStreamNanos());
        assertEquals(Sides.NONE, o.goawayFrom());
        assertEquals("", o.goaway());
    }

    @Test
    void aStreamWithoutTheServersEndStaysOpenUnlessReset() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20),
            headers(5, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), headers(1, 0, 10), data(1, 0, 50));
        send(s, Side.CLIENT, 3, rstStream(3, 8));
        H2Outcome o = s.outcome();
        assertEquals(3, o.requests());
        assertEquals(0, o.responses());
        assertEquals(2, o.openStreams(), "1 (no END_STREAM) and 5; 3 was cancelled");
    }

    @Test
    void theServersGoawayRefusesTheStreamsAboveItsLastStreamId() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20),
            headers(5, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), goaway(3, 0, 0), headers(1, END_STREAM, 10));
        send(s, Side.CLIENT, 3, goaway(0, 1, 4));
        H2Outcome o = s.outcome();
        assertEquals(1, o.openStreams(), "3 is still to be answered; 5 was refused");
        assertEquals("server:3:NO_ERROR", o.goaway(), "the first GOAWAY");
    }

    @Test
    void aStreamOpenedAcrossTheServersGoawayIsRefusedWhicheverCameFirstInTheCapture() {
        for (boolean goawayFirst : new boolean[] {true, false}) {
            H2Session s = session();
            send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20));
            if (goawayFirst) send(s, Side.SERVER, 2, settings(), goaway(1, 0, 0));
            send(s, Side.CLIENT, 3, headers(3, END_STREAM, 20)); // sent before the client read the GOAWAY
            if (!goawayFirst) send(s, Side.SERVER, 4, settings(), goaway(1, 0, 0));
            send(s, Side.SERVER, 5, headers(1, END_STREAM, 10));
            H2Outcome o = s.outcome();
            assertEquals(2, o.requests(), "goaway first: " + goawayFirst);
            assertEquals(0, o.openStreams(), "3 was refused; goaway first: " + goawayFirst);
        }
    }

    @Test
    void streamsAboveTheServersGoawayAndOnesItResetWithRefusedStreamAreRefused() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20),
            headers(5, END_STREAM, 20), headers(7, END_STREAM, 20), headers(9, END_STREAM, 20));
        // 3: refused by RST_STREAM (REFUSED_STREAM, 0x7); 5: reset with CANCEL (0x8), processed maybe; 7 and 9: above
        // the GOAWAY's last stream id 5; 11 crosses the GOAWAY.
        send(s, Side.SERVER, 2, settings(), headers(1, END_STREAM, 10), rstStream(3, 7), rstStream(5, 8),
            goaway(5, 0, 0));
        // The client's own REFUSED_STREAM on 1 is not the server's refusal.
        send(s, Side.CLIENT, 3, headers(11, END_STREAM, 20), rstStream(1, 7));
        H2Outcome o = s.outcome();
        assertEquals(6, o.requests());
        assertEquals(4, o.refused(), "3, 7, 9 and 11");
        assertEquals(0, o.openStreams());
    }

    @Test
    void aStreamIsRefusedOnceWhateverRefusesItAgain() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), rstStream(3, 7), goaway(1, 0, 0), rstStream(3, 7), goaway(0, 0, 0));
        H2Outcome o = s.outcome();
        assertEquals(2, o.refused(), "3 by its reset, then 1 by the second GOAWAY");
    }

    @Test
    void aLaterGoawayOnlyLowersTheLastStreamId() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20), headers(3, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), goaway(1, 0, 0), goaway(0x7fffffff, 0, 0));
        send(s, Side.CLIENT, 3, headers(5, END_STREAM, 20));
        assertEquals(1, s.outcome().openStreams(), "1 still waits; 3 and 5 are above the first GOAWAY's 1");
    }

    @Test
    void pushedStreamsAreNotResponses() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), H2Bytes.frame(H2Bytes.PUSH_PROMISE, 4, 1, new byte[8]),
            headers(1, END_STREAM, 10), headers(2, 0, 10), data(2, END_STREAM, 30));
        H2Outcome o = s.outcome();
        assertEquals(1, o.requests());
        assertEquals(1, o.responses());
    }

    @Test
    void beforeThePrefaceArrivedBadFramesMeanNotHttp2() {
        H2Session s = session();
        send(s, Side.SERVER, 1, headers(1, 0, 3)); // a server's first frame must be SETTINGS
        assertEquals(H2Session.Status.NOT_H2, s.status());
        H2Session t = session();
        send(t, Side.CLIENT, 1, "PRI * HTTP/2.0\r\n\r\nQQ\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(H2Session.Status.NOT_H2, t.status());
    }

    @Test
    void onceNotHttp2TheDirectionsTakeNothingMore() {
        H2Session s = session();
        send(s, Side.SERVER, 1, headers(1, 0, 3));
        assertEquals(H2Session.Status.NOT_H2, s.status());
        s.direction(Side.SERVER).gap(10, 2);
        send(s, Side.SERVER, 3, settings(), headers(1, END_STREAM, 3));
        send(s, Side.CLIENT, 4, preface(), settings(), headers(1, END_STREAM, 20));
        H2Outcome o = s.outcome();
        assertEquals(Set.of(), o.problems());
        assertEquals(0, o.requests());
        assertEquals(0, o.responses());
        assertEquals(PacketTime.UNSET, o.lastStreamNanos());
    }

    @Test
    void afterThePrefaceBadFramesAreAnomalies() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings());
        send(s, Side.SERVER, 2, headers(1, 0, 3));
        s.direction(Side.CLIENT).gap(10, 3);
        assertEquals(H2Session.Status.ACTIVE, s.status());
        assertEquals(Set.of(H2Problem.STREAM_GAP, H2Problem.BAD_FRAME), s.outcome().problems());
    }

    @Test
    void anUpgradeIsHttp2ByTheServersWordAndStreamOneAnswersTheHttp11Request() {
        H2Session s = session();
        s.upgraded(-1);
        send(s, Side.SERVER, 1, headers(1, 0, 3)); // no SETTINGS first: an anomaly, not "not HTTP/2"
        assertEquals(H2Session.Status.ACTIVE, s.status());
        send(s, Side.SERVER, 2, data(1, END_STREAM, 3));
        send(s, Side.CLIENT, 3, preface(), settings(), headers(3, END_STREAM, 9));
        H2Outcome o = s.outcome();
        assertEquals(1, o.requests(), "stream 1 is the HTTP/1.1 request's, counted by HTTP/1.1");
        assertEquals(0, o.refused());
        assertEquals(1, o.responses());
        assertEquals(1, o.openStreams(), "stream 3 unanswered");
    }

    @Test
    void theClientsMaxFrameSizeRaisesTheServersLimit() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(5, 65_536), headers(1, END_STREAM, 20));
        send(s, Side.SERVER, 2, settings(), headers(1, 0, 10), data(1, END_STREAM, 40_000));
        assertEquals(1, s.outcome().responses());
        assertEquals(Set.of(), s.outcome().problems());
    }

    @Test
    void theUpgradingRequestsMaxFrameSizeRaisesTheServersLimitFromItsFirstFrame() {
        for (long announced : new long[] {-1, 32_768}) {
            H2Session s = session();
            s.upgraded(announced);
            send(s, Side.SERVER, 1, settings(), headers(1, 0, 10), data(1, END_STREAM, 20_000));
            assertEquals(announced < 0 ? Set.of(H2Problem.BAD_FRAME) : Set.of(), s.outcome().problems(),
                "HTTP2-Settings max frame size " + announced);
        }
    }

    @Test
    void atMostMaxTrackedStreamsAreWaitedFor() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings());
        for (int i = 0; i < H2Session.MAX_TRACKED + 10; i++) send(s, Side.CLIENT, 2, headers(2 * i + 1, END_STREAM, 5));
        assertEquals(H2Session.MAX_TRACKED + 10, s.outcome().requests());
        assertEquals(H2Session.MAX_TRACKED, s.outcome().openStreams());
    }

    @Test
    void stoppedItKeepsItsFactsAndReadsNoMore() {
        H2Session s = session();
        send(s, Side.CLIENT, 1, preface(), settings(), headers(1, END_STREAM, 20));
        s.stop();
        send(s, Side.CLIENT, 2, headers(3, END_STREAM, 20));
        assertEquals(1, s.outcome().requests());
        assertEquals(1, s.outcome().lastStreamNanos());
        assertEquals(PacketTime.UNSET, session().outcome().lastStreamNanos());
    }
}
