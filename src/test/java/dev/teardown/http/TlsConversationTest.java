package dev.teardown.http;

import static dev.teardown.http.HttpWire.ACK;
import static dev.teardown.http.HttpWire.PSH;
import static dev.teardown.http.HttpWire.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.tls.TlsBytes;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A TLS connection's byte streams, assembled as HTTP's are, through the teardown stage and the tracker. */
class TlsConversationTest {

    @Test
    void dataHeldBehindAHoleIsDeliveredWhenTheConnectionFinishes() {
        HttpWire w = new HttpWire().handshake(0).tls12(0.1).tlsExchange(1);
        w.sseq += 50; // 50 bytes of the server's the capture never saw, and nothing acknowledges past them
        w.raw(false, 2, PSH | ACK, w.sseq, w.cseq, TlsBytes.data(100), 105, 105);
        HttpOutcome o = w.outcome(); // never closed: held at the end, then flushed behind a gap
        assertEquals(Set.of(HttpAnomaly.STREAM_GAP), o.anomalies());
        assertEquals(2_000_000_000L, o.tls().lastDataNanos(), "the held record counted, at its own time");
    }

    @Test
    void aResetsPayloadIsNotStreamData() {
        HttpWire w = new HttpWire().handshake(0).tls12(0.1);
        w.c(1, PSH | ACK, TlsBytes.data(100));
        w.s(1.1, RST | ACK, TlsBytes.data(400));
        HttpOutcome o = w.outcome();
        assertEquals(0, o.tls().exchanges());
        assertTrue(o.tls().clientTurnOpen());
        assertEquals(CloseReason.SERVER_ABORT, o.closeReason());
    }

    @Test
    void aFinishedConversationIgnoresLaterSegments() {
        HttpWire w = new HttpWire().handshake(0).tls12(0.1).tlsExchange(1).clientCloses(2);
        HttpOutcome first = w.outcome();
        w.tlsExchange(3);
        assertEquals(first, w.outcome());
        assertEquals(1, first.tls().exchanges());
    }
}
