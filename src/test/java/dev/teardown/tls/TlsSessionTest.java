package dev.teardown.tls;

import static dev.teardown.tls.TlsBytes.CCS;
import static dev.teardown.tls.TlsBytes.HANDSHAKE;
import static dev.teardown.tls.TlsBytes.TLS12;
import static dev.teardown.tls.TlsBytes.TLS13;
import static dev.teardown.tls.TlsBytes.clientHello;
import static dev.teardown.tls.TlsBytes.concat;
import static dev.teardown.tls.TlsBytes.data;
import static dev.teardown.tls.TlsBytes.record;
import static dev.teardown.tls.TlsBytes.serverHello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A connection's TLS as a session sees it: handshakes of TLS 1.2 and 1.3 as real stacks (OpenSSL under nginx and
 * curl, see samples/tls-*.pcap) send them, the turns of the application data, the first closing alert, resumption.
 */
class TlsSessionTest {
    private static final byte[] CCS_RECORD = record(CCS, TLS12, new byte[] {1});
    /** The encrypted record of a TLS 1.2 alert with AES-GCM: 2 bytes, an 8-byte nonce, a 16-byte tag. */
    private static final byte[] ALERT_12 = record(TlsBytes.ALERT, TLS12, new byte[26]);
    /** A TLS 1.3 alert: 2 bytes, the content type, a 16-byte tag, sent as application data. */
    private static final byte[] ALERT_13 = data(19);

    /** Both sides of a session, each chunk at its own time. */
    private static final class Talk {
        final TlsSession session = new TlsSession();
        long t;

        Talk() {
            session.direction(Side.CLIENT).begin(true);
            session.direction(Side.SERVER).begin(true);
        }

        Talk c(byte[]... records) {
            return send(Side.CLIENT, records);
        }

        Talk s(byte[]... records) {
            return send(Side.SERVER, records);
        }

        private Talk send(Side side, byte[]... records) {
            byte[] b = concat(records);
            session.direction(side).data(b, 0, b.length, ++t);
            return this;
        }

        TlsOutcome outcome() {
            return session.outcome();
        }
    }

    /** A full TLS 1.2 handshake: hellos, the server's certificate flight, key exchange, both Finished. */
    private static Talk tls12(TlsBytes.Client hello, TlsBytes.Server server) {
        return new Talk().c(hello.record())
            .s(server.record(), record(HANDSHAKE, TLS12, TlsBytes.handshake(11, new byte[400])),
                record(HANDSHAKE, TLS12, TlsBytes.handshake(14, new byte[0])))
            .c(record(HANDSHAKE, TLS12, TlsBytes.handshake(16, new byte[33])), CCS_RECORD, record(HANDSHAKE, TLS12, new byte[40]))
            .s(CCS_RECORD, record(HANDSHAKE, TLS12, new byte[40]));
    }

    private static Talk tls12() {
        return tls12(clientHello().sni("a.example").alpn("h2", "http/1.1"), serverHello().alpn("http/1.1"));
    }

    /** A TLS 1.3 handshake up to the server's first flight: ServerHello, CCS, EncryptedExtensions .. Finished. */
    private static Talk tls13(TlsBytes.Server server) {
        return new Talk().c(clientHello().sni("b.example").alpn("http/1.1").versions(TLS13, TLS12).record())
            .s(server.record(), CCS_RECORD, data(42), data(435), data(96), data(69));
    }

    private static Talk tls13() {
        return tls13(serverHello().version(TLS13));
    }

    @Test
    void tls12KeepAliveCountsEachRequestAnsweredByItsResponseAsOneExchange() {
        Talk t = tls12();
        for (int i = 0; i < 3; i++) t.c(data(100)).s(data(300));
        t.c(ALERT_12);
        TlsOutcome o = t.outcome();
        assertEquals(3, o.exchanges());
        assertFalse(o.clientTurnOpen());
        assertEquals("1.2", o.version());
        assertEquals("1.2", o.offered(), "no supported_versions: the legacy version");
        assertEquals("a.example", o.serverName());
        assertEquals("h2,http/1.1", o.alpn());
        assertEquals("http/1.1", o.alpnSelected(), "TLS 1.2 says it in clear");
        assertEquals("client:encrypted", o.alert());
        assertEquals(Set.of(), o.problems());
    }

    @Test
    void aResponseOverManyRecordsAndChunksIsOneTurn() {
        Talk t = tls12().c(data(100)).s(data(16_000)).s(data(16_000), data(900)).c(data(80), data(80)).s(data(300));
        assertEquals(2, t.outcome().exchanges(), "a request in two records is still one turn");
    }

    @Test
    void tls13HandshakeTravelsAsApplicationDataAndIsNotCounted() {
        // curl: its Finished and its request in one flight; nginx: two tickets, then the response.
        Talk t = tls13().c(CCS_RECORD, data(69), data(95)).s(data(282), data(282), data(325));
        t.c(data(95)).s(data(325)).c(ALERT_13);
        TlsOutcome o = t.outcome();
        assertEquals(2, o.exchanges());
        assertEquals("1.3", o.version());
        assertEquals("1.3", o.offered());
        assertEquals("", o.alpnSelected(), "TLS 1.3 sends the selection encrypted");
        assertEquals("client:by-size", o.alert());
    }

    @Test
    void tls13TicketsSentBeforeTheRequestAnswerNothing() {
        Talk t = tls13().c(CCS_RECORD, data(69)).s(data(282), data(282)).c(data(95)).s(data(325));
        assertEquals(1, t.outcome().exchanges());
    }

    @Test
    void tls13ServerRecordsBeforeTheClientsFinishedAreHandshake() {
        // The client's early data (0-RTT) goes out before the server's flight: answered only by the response.
        TlsSession s = new TlsSession();
        s.direction(Side.CLIENT).begin(true);
        s.direction(Side.SERVER).begin(true);
        byte[] hello = concat(clientHello().versions(TLS13).psk().record(), data(120));
        s.direction(Side.CLIENT).data(hello, 0, hello.length, 1);
        byte[] flight = concat(serverHello().version(TLS13).psk().record(), CCS_RECORD, data(42), data(69));
        s.direction(Side.SERVER).data(flight, 0, flight.length, 2);
        byte[] fin = concat(CCS_RECORD, data(69));
        s.direction(Side.CLIENT).data(fin, 0, fin.length, 3);
        byte[] response = data(400);
        s.direction(Side.SERVER).data(response, 0, response.length, 4);
        assertEquals(1, s.outcome().exchanges());
        assertEquals(Boolean.TRUE, s.outcome().resumed());
    }

    @Test
    void recordsTooSmallForAnHttpMessageAreNotData() {
        Talk t = tls12().c(data(TlsSession.SMALL_RECORD)).s(data(300));
        assertEquals(0, t.outcome().exchanges());
        t.c(data(TlsSession.SMALL_RECORD + 1)).s(data(300));
        assertEquals(1, t.outcome().exchanges());
    }

    @Test
    void aTls13RecordOfAlertSizeIsAnAlertOnlyAsItsSidesLastRecord() {
        Talk t = tls13().c(CCS_RECORD, data(69), data(95)).s(data(325)).c(ALERT_13);
        assertEquals("client:by-size", t.outcome().alert());
        t.c(data(95));
        assertEquals(Sides.NONE, t.outcome().alertFrom(), "data after it: it was not the client's goodbye");
        t.s(ALERT_13).c(ALERT_13);
        assertEquals("server:by-size", t.outcome().alert(), "the earlier of the two sides' last records");
    }

    @Test
    void aTls12RecordOfAlertSizeIsNeverAnAlert() {
        Talk t = tls12().c(data(100)).s(data(300)).c(data(19));
        assertEquals(Sides.NONE, t.outcome().alertFrom(), "TLS 1.2 alerts are records of type 21");
        assertEquals("", t.outcome().alert());
    }

    @Test
    void clearAlertsAreNamedAndProtectedOnesAreNot() {
        Talk refused = new Talk().c(clientHello().record()).s(TlsBytes.alert(2, 40));
        assertEquals("server:handshake_failure", refused.outcome().alert());
        assertEquals(Sides.SERVER, refused.outcome().alertFrom());
        assertEquals("", refused.outcome().version(), "no ServerHello: no version");
        Talk closed = tls12().c(data(100)).s(data(300)).s(record(TlsBytes.ALERT, TLS12, new byte[26]))
            .c(TlsBytes.alert(1, 0));
        assertEquals("server:encrypted", closed.outcome().alert(), "the first alert, not the last");
    }

    @Test
    void unnamedAlertDescriptionsShowTheirNumber() {
        assertEquals("server:alert_200", new Talk().c(clientHello().record()).s(TlsBytes.alert(2, 200)).outcome().alert());
    }

    @Test
    void resumptionIsTheServersPreSharedKeyInTls13AndTheEchoedSessionIdBefore() {
        assertEquals(Boolean.TRUE, tls13(serverHello().version(TLS13).psk()).outcome().resumed());
        assertEquals(Boolean.FALSE, tls13().outcome().resumed());
        byte[] id = TlsBytes.hex("a1a2a3a4a5a6a7a8");
        assertEquals(Boolean.TRUE, tls12(clientHello().sessionId(id), serverHello().sessionId(id)).outcome().resumed());
        assertEquals(Boolean.FALSE, tls12(clientHello().sessionId(id),
            serverHello().sessionId(TlsBytes.hex("b1b2"))).outcome().resumed(), "a new session id: a full handshake");
        assertEquals(Boolean.FALSE, tls12(clientHello().sessionId(new byte[0]), serverHello().sessionId(new byte[0]))
            .outcome().resumed(), "an empty id echoed is no session");
        assertNull(new Talk().c(clientHello().record()).outcome().resumed(), "no ServerHello: unknown");
    }

    @Test
    void helloRetryRequestLeavesTheVersionToTheServerHelloAfterIt() {
        Talk t = new Talk().c(clientHello().versions(TLS13).record())
            .s(serverHello().retry().version(TLS13).record(), CCS_RECORD);
        assertNull(t.outcome().resumed(), "a HelloRetryRequest settles nothing yet");
        t.c(clientHello().versions(TLS13).record()).s(serverHello().version(TLS13).psk().record(), data(42));
        assertEquals("1.3", t.outcome().version());
        assertEquals(Boolean.TRUE, t.outcome().resumed());
    }

    @Test
    void bytesThatBreakTheRecordLayerBeforeTlsIsConfirmedMeanItIsNotTls() {
        TlsSession s = new TlsSession();
        s.direction(Side.CLIENT).begin(true);
        byte[] notAHello = record(HANDSHAKE, 0x0301, TlsBytes.handshake(2, new byte[10]));
        s.direction(Side.CLIENT).data(notAHello, 0, notAHello.length, 1);
        assertEquals(TlsSession.Status.NOT_TLS, s.status());

        TlsSession t = new TlsSession();
        t.direction(Side.CLIENT).begin(true);
        byte[] badVersion = {22, 3, 9, 0, 4, 1, 0, 0, 0};
        t.direction(Side.CLIENT).data(badVersion, 0, badVersion.length, 1);
        assertEquals(TlsSession.Status.NOT_TLS, t.status());
    }

    @Test
    void onceNotTlsTheDirectionsTakeNothingMore() {
        TlsSession s = new TlsSession();
        s.direction(Side.CLIENT).begin(true);
        s.direction(Side.SERVER).begin(true);
        byte[] badVersion = {22, 3, 9, 0, 4, 1, 0, 0, 0};
        s.direction(Side.CLIENT).data(badVersion, 0, badVersion.length, 1);
        assertEquals(TlsSession.Status.NOT_TLS, s.status());
        // The side that broke is not left resynchronising: a hole and a good hello afterwards change nothing.
        s.direction(Side.CLIENT).gap(10, 2);
        byte[] hello = clientHello().sni("late.example").record();
        s.direction(Side.CLIENT).data(hello, 0, hello.length, 3);
        s.direction(Side.SERVER).data(data(100), 0, 105, 4);
        TlsOutcome o = s.outcome();
        assertEquals(Set.of(), o.problems());
        assertEquals("", o.serverName());
        assertEquals(PacketTime.UNSET, o.lastDataNanos());
    }

    @Test
    void bytesThatBreakTheRecordLayerAfterAHelloAreAnomalies() {
        Talk t = new Talk().c(clientHello().record());
        byte[] plainHttp = TlsBytes.ascii("HTTP/1.1 400 Bad Request\r\n\r\n");
        t.s(plainHttp);
        assertEquals(TlsSession.Status.ACTIVE, t.session.status());
        assertEquals(Set.of(TlsProblem.BAD_RECORD), t.outcome().problems());
    }

    @Test
    void twoFramedRecordsConfirmAMidstreamSession() {
        TlsSession s = new TlsSession();
        s.direction(Side.SERVER).begin(false);
        byte[] two = concat(data(100), data(100), new byte[] {99, 3, 3, 0, 1, 0});
        s.direction(Side.SERVER).data(two, 0, two.length, 1);
        assertEquals(TlsSession.Status.ACTIVE, s.status(), "after two records a bad header is an anomaly");
        assertEquals(Set.of(TlsProblem.BAD_RECORD), s.outcome().problems());

        TlsSession one = new TlsSession();
        one.direction(Side.SERVER).begin(false);
        byte[] single = concat(data(100), new byte[] {99, 3, 3, 0, 1, 0});
        one.direction(Side.SERVER).data(single, 0, single.length, 1);
        assertEquals(TlsSession.Status.NOT_TLS, one.status(), "one record and garbage: a coincidence, not TLS");
    }

    @Test
    void aClientTurnLeftUnansweredIsOpenAtTheEnd() {
        Talk t = tls12().c(data(100)).s(data(300)).c(data(100));
        assertTrue(t.outcome().clientTurnOpen());
        assertEquals(1, t.outcome().exchanges());
    }

    @Test
    void lastDataIsTheLastRecordThatIsNotAnAlert() {
        Talk t = tls12().c(data(100)).s(data(300));
        long lastResponse = t.t;
        t.s(ALERT_12).c(data(10));
        assertEquals(lastResponse, t.outcome().lastDataNanos(), "alerts and records too small for data do not count");
        assertEquals(PacketTime.UNSET, new TlsSession().outcome().lastDataNanos());
    }

    @Test
    void aGapIsAnAnomalyOfAConfirmedSession() {
        Talk t = tls12().c(data(100));
        t.session.direction(Side.SERVER).gap(300, 99);
        assertEquals(Set.of(TlsProblem.STREAM_GAP), t.outcome().problems());
    }
}
