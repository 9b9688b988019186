package dev.teardown.tls;

import static dev.teardown.stream.Chunks.everyByte;
import static dev.teardown.stream.Chunks.untimed;
import static dev.teardown.tls.TlsBytes.ALERT;
import static dev.teardown.tls.TlsBytes.CCS;
import static dev.teardown.tls.TlsBytes.DATA;
import static dev.teardown.tls.TlsBytes.HANDSHAKE;
import static dev.teardown.tls.TlsBytes.TLS12;
import static dev.teardown.tls.TlsBytes.clientHello;
import static dev.teardown.tls.TlsBytes.concat;
import static dev.teardown.tls.TlsBytes.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.stream.Chunks;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One direction's record layer, fed the way TCP delivers it: split anywhere, many records at once, with holes. */
class RecordReaderTest {

    /** Writes what the reader reports as short lines. */
    static final class Recorder implements RecordListener {
        final List<String> events = new ArrayList<>();
        boolean wantAnotherHello;

        @Override
        public void onRecord(Side side, int type, int length, int alert, long t) {
            events.add("record " + type + " " + length + (alert >= 0 ? " alert " + alert : "") + " @" + t);
        }

        @Override
        public boolean onHello(Side side, byte[] body, int length) {
            ClientHello c = side == Side.CLIENT ? Hellos.client(body, 0, length) : null;
            events.add("hello " + length + (c != null ? " " + c.serverName() : ""));
            return wantAnotherHello;
        }

        @Override
        public void onProblem(Side side, TlsProblem problem) {
            events.add("problem " + problem);
        }
    }

    private static final byte[] STREAM = concat(clientHello().sni("split.example").alpn("http/1.1").record(),
        record(CCS, TLS12, new byte[] {1}), TlsBytes.data(100), TlsBytes.alert(1, 0));

    /** What a fresh reader of {@code side} reports for {@code bytes} fed in pieces ending at {@code cuts}. */
    private static List<String> feed(Side side, boolean start, byte[] bytes, int... cuts) {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(side, r);
        reader.begin(start);
        Chunks.feed(reader, bytes, cuts);
        return r.events;
    }

    @Test
    void aStreamSplitAtEveryByteOffsetGivesTheSameRecordsAndHello() {
        List<String> whole = feed(Side.CLIENT, true, STREAM);
        int helloLength = clientHello().sni("split.example").alpn("http/1.1").body().length;
        assertEquals(List.of("hello " + helloLength + " split.example", "record 22 " + (helloLength + 4) + " @0",
            "record 20 1 @0", "record 23 100 @0", "record 21 2 alert 256 @0"), whole);
        for (int cut = 1; cut < STREAM.length; cut++) {
            assertEquals(untimed(whole), untimed(feed(Side.CLIENT, true, STREAM, cut)), "cut at " + cut);
        }
        assertEquals(untimed(whole), untimed(feed(Side.CLIENT, true, STREAM, everyByte(STREAM.length))),
            "one byte at a time");
    }

    @Test
    void aRecordEndsAtTheTimeOfItsLastByte() {
        byte[] two = concat(TlsBytes.data(50), TlsBytes.data(60));
        assertEquals(List.of("record 23 50 @1", "record 23 60 @2"), feed(Side.SERVER, false, two, 30, 80));
    }

    @Test
    void aHandshakeMessageLongerThanItsRecordIsReassembledFromTheNext() {
        byte[] message = TlsBytes.handshake(1, clientHello().sni("two.records").body());
        int half = message.length / 2;
        byte[] stream = concat(record(HANDSHAKE, TLS12, Arrays.copyOfRange(message, 0, half)),
            record(HANDSHAKE, TLS12, Arrays.copyOfRange(message, half, message.length)));
        assertEquals(List.of("record 22 " + half, "hello " + (message.length - 4) + " two.records",
            "record 22 " + (message.length - half)), untimed(feed(Side.CLIENT, true, stream)));
    }

    @Test
    void aHandshakeHeaderSplitAcrossRecordsIsReassembled() {
        byte[] message = TlsBytes.handshake(1, clientHello().sni("hdr").body());
        byte[] stream = concat(record(HANDSHAKE, TLS12, Arrays.copyOfRange(message, 0, 2)),
            record(HANDSHAKE, TLS12, Arrays.copyOfRange(message, 2, message.length)));
        assertEquals("hello " + (message.length - 4) + " hdr", untimed(feed(Side.CLIENT, true, stream)).get(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what                                       | type | version | length
        "empty handshake record (RFC 8446 section 5.1) | 22   | 771     | 0",
        "empty alert record                           | 21   | 771     | 0",
        "empty ChangeCipherSpec record                | 20   | 771     | 0",
        "longer than 2^14 + 2048 (RFC 5246 6.2.3)     | 23   | 771     | 18433",
        "the largest length there is                  | 23   | 771     | 65535",
        "content type 19                              | 19   | 771     | 5",
        "content type 25                              | 25   | 771     | 5",
        "version 2.0                                  | 23   | 512     | 5",
        "version 3.5                                  | 23   | 773     | 5",
        "version 4.3                                  | 23   | 1027    | 5",
    })
    void aHeaderNoTlsSenderWritesIsABadRecordAndTheDirectionIsLost(String what, int type, int version, int length) {
        byte[] header = {(byte) type, (byte) (version >>> 8), (byte) version, (byte) (length >>> 8), (byte) length};
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.SERVER, r);
        reader.begin(false);
        byte[] good = TlsBytes.data(40);
        reader.data(good, 0, good.length, 1);
        byte[] bad = concat(header, new byte[Math.min(length, 100)], TlsBytes.data(30));
        reader.data(bad, 0, bad.length, 2);
        assertEquals(List.of("record 23 40 @1", "problem BAD_RECORD"), r.events, what);
        assertEquals(RecordReader.State.RESYNC, reader.state(), "the rest of that chunk is not trusted");
        reader.data(good, 0, good.length, 3);
        assertEquals("record 23 40 @3", r.events.get(2), "resumes at the next chunk that starts with a header");
    }

    @Test
    void anEmptyApplicationDataRecordIsAllowed() {
        byte[] stream = concat(record(DATA, TLS12, new byte[0]), TlsBytes.data(20));
        assertEquals(List.of("record 23 0 @0", "record 23 20 @0"), feed(Side.SERVER, false, stream));
        assertEquals(List.of("record 23 0 @0"), feed(Side.SERVER, false, record(DATA, TLS12, new byte[0])));
    }

    @Test
    void aRecordOfExactlyTheLargestLengthIsFramed() {
        byte[] stream = concat(TlsBytes.data(RecordReader.MAX_RECORD), TlsBytes.data(1));
        assertEquals(List.of("record 23 18432 @0", "record 23 1 @0"), feed(Side.SERVER, false, stream));
    }

    @Test
    void aHelloLongerThanTheBoundIsNotKeptButTheRecordsStillAre() {
        byte[] header = {1, 0, (byte) 0x40, 1}; // ClientHello of 16,385 bytes
        byte[] stream = concat(record(HANDSHAKE, TLS12, concat(header, new byte[10_000])),
            record(HANDSHAKE, TLS12, new byte[6_385]), TlsBytes.data(30));
        assertEquals(List.of("problem HELLO_TOO_LARGE", "record 22 10004", "record 22 6385", "record 23 30"),
            untimed(feed(Side.CLIENT, true, stream)));
    }

    @Test
    void aFirstHandshakeMessageThatIsNotTheSidesHelloIsABadHello() {
        byte[] certificate = record(HANDSHAKE, TLS12, TlsBytes.handshake(11, new byte[20]));
        assertEquals(List.of("problem BAD_HELLO", "record 22 24"), untimed(feed(Side.SERVER, true, certificate)));
        byte[] serverHelloFromTheClient = record(HANDSHAKE, TLS12, TlsBytes.handshake(2, new byte[20]));
        assertEquals("problem BAD_HELLO", feed(Side.CLIENT, true, serverHelloFromTheClient).get(0));
    }

    @Test
    void aServerWhoseFirstRecordIsAnAlertHasNoHelloToWaitFor() {
        byte[] stream = concat(TlsBytes.alert(2, 40), record(HANDSHAKE, TLS12, TlsBytes.handshake(2, new byte[40])));
        assertEquals(List.of("record 21 2 alert 552", "record 22 44"), untimed(feed(Side.SERVER, true, stream)));
    }

    @Test
    void afterAHelloRetryRequestTheNextServerHelloIsReadToo() {
        Recorder r = new Recorder();
        r.wantAnotherHello = true;
        RecordReader reader = new RecordReader(Side.SERVER, r);
        reader.begin(true);
        byte[] first = concat(TlsBytes.serverHello().retry().version(TlsBytes.TLS13).record(),
            record(CCS, TLS12, new byte[] {1}));
        reader.data(first, 0, first.length, 1);
        r.wantAnotherHello = false;
        byte[] second = concat(TlsBytes.serverHello().version(TlsBytes.TLS13).record(), TlsBytes.data(50));
        reader.data(second, 0, second.length, 2);
        assertEquals(2, r.events.stream().filter(e -> e.startsWith("hello")).count(), r.events.toString());
    }

    @Test
    void aHoleInsideARecordBodyKeepsTheFramingButLosesTheHelloItCut() {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.CLIENT, r);
        reader.begin(true);
        byte[] hello = clientHello().sni("holed").record();
        reader.data(hello, 0, 20, 1);
        reader.gap(10, 2);
        reader.data(hello, 30, hello.length - 30, 3);
        byte[] next = TlsBytes.data(40);
        reader.data(next, 0, next.length, 4);
        assertEquals(List.of("problem STREAM_GAP", "record 22 " + (hello.length - 5) + " @3", "record 23 40 @4"),
            r.events);
    }

    @Test
    void aHoleAtARecordBoundaryLosesTheDirectionUntilAChunkStartsWithAHeaderOfItsVersion() {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.SERVER, r);
        reader.begin(false);
        byte[] one = TlsBytes.data(40);
        reader.data(one, 0, one.length, 1);
        reader.gap(500, 2);
        reader.data(one, 10, 20, 3); // mid-record bytes: ignored
        byte[] otherVersion = record(DATA, 0x0301, new byte[40]);
        reader.data(otherVersion, 0, otherVersion.length, 4); // a header, but not of this direction's version
        reader.data(one, 0, one.length, 5);
        assertEquals(List.of("record 23 40 @1", "problem STREAM_GAP", "record 23 40 @5"), r.events);
    }

    @Test
    void aHoleLongerThanTheRestOfTheBodyLosesTheDirection() {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.SERVER, r);
        reader.begin(false);
        byte[] one = TlsBytes.data(40);
        reader.data(one, 0, 20, 1);
        reader.gap(100, 2);
        assertEquals(RecordReader.State.RESYNC, reader.state());
        assertEquals(List.of("problem STREAM_GAP"), r.events);
    }

    @Test
    void aHoleOverAnAlertsFirstBytesLeavesItsDescriptionUnknown() {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.SERVER, r);
        reader.begin(false);
        byte[] alert = TlsBytes.alert(1, 0);
        reader.data(alert, 0, 5, 1);
        reader.gap(1, 2);
        reader.data(alert, 6, 1, 3);
        assertEquals(List.of("problem STREAM_GAP", "record 21 2 @3"), r.events);
    }

    @Test
    void aCaptureJoiningMidwayWaitsForAHeaderAndLooksForNoHello() {
        byte[] tail = Arrays.copyOfRange(TlsBytes.data(300), 100, 305);
        byte[] hello = clientHello().sni("late").record();
        assertEquals(List.of("record 22 " + (hello.length - 5) + " @1"), feed(Side.CLIENT, false,
            concat(tail, hello), tail.length));
    }

    @Test
    void aStoppedReaderIgnoresEverything() {
        Recorder r = new Recorder();
        RecordReader reader = new RecordReader(Side.CLIENT, r);
        reader.stop();
        reader.data(STREAM, 0, STREAM.length, 1);
        reader.gap(10, 2);
        assertEquals(List.of(), r.events);
    }
}
