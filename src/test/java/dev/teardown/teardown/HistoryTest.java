package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.PSH;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.decode.TcpSegment;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The history letters as Zeek documents them for conn.log's {@code history} (base/protocols/conn/main.zeek) and
 * records them (its TCP analyzer), letter by letter, and the bound teardown puts on how often s, h, f and r repeat
 * (docs/output.md, {@code history}). The conversations go through a real tracker ({@link Wire}).
 */
class HistoryTest {

    private static TcpSegment segment(int flags, int seq, int window) {
        TcpSegment t = new TcpSegment();
        t.flags = flags;
        t.seq = seq;
        t.window = window;
        return t;
    }

    private static final Endpoint CLIENT = new Endpoint(Side.CLIENT);
    private static final Endpoint SERVER = new Endpoint(Side.SERVER);

    private static void record(History h, Side side, TcpSegment seg, boolean retransmission) {
        h.record(side, seg, retransmission, side == Side.CLIENT ? CLIENT : SERVER, side == Side.CLIENT ? SERVER : CLIENT);
    }

    /** The history after {@code n} events of one kind from the client, each at a new sequence number. */
    private static String repeated(char letter, long n) {
        History h = new History();
        for (long i = 0; i < n; i++) {
            int seq = (int) i;
            switch (letter) {
                case 'S' -> record(h, Side.CLIENT, segment(SYN, seq, 65535), false);
                case 'H' -> record(h, Side.CLIENT, segment(SYN | ACK, seq, 65535), false);
                case 'F' -> record(h, Side.CLIENT, segment(FIN, seq, 65535), false);
                case 'R' -> record(h, Side.CLIENT, segment(RST, seq, 65535), false);
                case 'T' -> record(h, Side.CLIENT, segment(PSH | ACK, seq, 65535), true);
                case 'W' -> record(h, Side.CLIENT, segment(ACK, seq, 0), false);
                case 'C' -> h.badChecksum(Side.CLIENT);
                case 'G' -> h.gaps(Side.CLIENT, 1);
                default -> throw new IllegalArgumentException("letter " + letter);
            }
        }
        return h.toString().replace("A", "").replace("D", "");
    }

    private static String history(Consumer<Wire> conversation) {
        Wire w = new Wire();
        conversation.accept(w);
        List<Connection<?>> all = w.finish();
        assertEquals(1, all.size(), "one connection");
        return all.get(0).historyText();
    }

    /** Zeek's table of letters, one conversation per letter; upper case for the originator, lower for the responder. */
    static Stream<Arguments> zeeksLetters() {
        return Stream.of(
            letter("s: a SYN without the ACK bit", "S", w -> w.c(0, SYN, 0)),
            letter("h: a SYN+ACK (handshake); a: a pure ACK", "ShA", w -> w.handshake(0)),
            letter("d: a packet with payload", "ShADd", w -> w.handshake(0).c(1, PSH | ACK, 10).s(1.1, PSH | ACK, 10)),
            letter("f: a packet with FIN", "ShAFf", w -> w.handshake(0).c(1, FIN | ACK, 0).s(1.1, FIN | ACK, 0)),
            letter("r: a packet with RST", "ShAr", w -> w.handshake(0).s(1, RST | ACK, 0)),
            letter("c: a packet with a bad checksum, and nothing else of it", "ShAC",
                w -> w.handshake(0).corrupt(true, 1, PSH | ACK, w.cseq, w.sseq, 10)),
            letter("g: a content gap (the responder acknowledges client bytes never seen)", "ShADaG", w -> {
                w.handshake(0).c(1, PSH | ACK, 10);
                w.cseq += 10; // sent, not captured
                w.s(1.1, ACK, 0);
            }),
            letter("t: a packet with retransmitted payload", "ShADT", w -> {
                w.handshake(0);
                int seq = w.cseq;
                w.c(1, PSH | ACK, 10).raw(true, 1.2, PSH | ACK, seq, w.sseq, 10);
            }),
            letter("w: a packet with a zero window advertisement", "ShAaw", w -> {
                w.handshake(0);
                w.window = 0;
                w.s(1, ACK, 0);
            }),
            letter("i: an inconsistent packet (FIN+RST)", "ShAI", w -> w.handshake(0).c(1, FIN | RST | ACK, 0)),
            letter("q: a multi-flag packet (SYN+FIN)", "Q", w -> w.c(0, SYN | FIN, 0)),
            letter("q: a multi-flag packet (SYN+RST)", "Q", w -> w.c(0, SYN | RST, 0)),
            letter("^: the direction was flipped (the first packet came from the responder)", "^hA",
                w -> w.s(0, SYN | ACK, 0).c(0.1, ACK, 0)));
    }

    private static Arguments letter(String what, String expected, Consumer<Wire> conversation) {
        return Arguments.of(what, expected, conversation);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("zeeksLetters")
    void eachOfZeeksLettersIsRecordedForWhatZeekDocuments(String what, String expected, Consumer<Wire> conversation) {
        assertEquals(expected, history(conversation), what);
    }

    @Test
    void aDIAndQAreRecordedAtMostOncePerDirectionHoweverManyAreSeen() {
        String h = history(w -> {
            w.handshake(0);
            for (int i = 0; i < 20; i++) w.c(1 + i, PSH | ACK, 10).s(1.5 + i, PSH | ACK, 10).c(1.6 + i, ACK, 0);
            for (int i = 0; i < 5; i++) w.raw(true, 30 + i, FIN | RST | ACK, w.cseq + i, w.sseq, 0);
        });
        assertEquals("ShADdI", h);
        assertEquals("Q", history(w -> {
            for (int i = 0; i < 5; i++) w.raw(true, i, SYN | FIN, 1000, 0, 0);
        }));
    }

    @Test
    void fHRAndSAreRecordedAgainWhenTheirSequenceNumberDiffersFromTheLastOfTheirKind() {
        // The same sequence number again (a retransmitted SYN, FIN or RST) is not recorded again.
        assertEquals("ShAFr", history(w -> {
            w.handshake(0);
            int fin = w.cseq;
            w.c(1, FIN | ACK, 0).raw(true, 1.2, FIN | ACK, fin, w.sseq, 0);
            w.s(2, RST, 0).raw(false, 2.1, RST, w.sseq, 0, 0);
        }));
        // A different one is.
        assertEquals("ShArrr", history(w -> {
            w.handshake(0);
            for (int i = 0; i < 3; i++) w.raw(false, 1 + i, RST, w.sseq + 100 * i, 0, 0);
        }));
        History h = new History();
        record(h, Side.CLIENT, segment(SYN, 1, 65535), false);
        record(h, Side.CLIENT, segment(SYN, 1, 65535), false);
        record(h, Side.CLIENT, segment(SYN, 2, 65535), false);
        // s and h share one slot: a SYN-ACK at the last SYN's number is not recorded, at another it is.
        record(h, Side.CLIENT, segment(SYN | ACK, 2, 65535), false);
        record(h, Side.CLIENT, segment(SYN | ACK, 3, 65535), false);
        assertEquals("SSH", h.toString());
    }

    @ParameterizedTest(name = "{0} x{1} -> {2} letters")
    @CsvSource({
        // c g t w: "the second instance represents that the event was seen (at least) 10 times; the third, 100 times"
        "C, 1, 1", "C, 9, 1", "C, 10, 2", "C, 99, 2", "C, 100, 3", "C, 1000, 4",
        "G, 1, 1", "G, 9, 1", "G, 10, 2", "G, 100, 3",
        "T, 1, 1", "T, 9, 1", "T, 10, 2", "T, 99, 2", "T, 100, 3", "T, 1000, 4",
        "W, 1, 1", "W, 10, 2", "W, 100, 3",
    })
    void cGTAndWAreRecordedOnALogarithmicScale(char letter, long n, int letters) {
        assertEquals(String.valueOf(letter).repeat(letters), repeated(letter, n), n + " events");
    }

    @Test
    void aHundredContentGapsThroughTheTrackerGiveThreeGs() {
        String h = history(w -> {
            w.handshake(0);
            for (int i = 0; i < 100; i++) {
                w.c(1 + i, PSH | ACK, 10);
                w.cseq += 10; // not captured
                w.s(1.5 + i, ACK, 0);
            }
        });
        assertEquals("ShADaGGG", h);
    }

    @ParameterizedTest(name = "{0} x{1} -> {2} letters")
    @CsvSource({
        // s h f r: every new sequence number up to the 10th (as Zeek), then the 100th, 1,000th ... (bounded)
        "S, 1, 1", "S, 2, 2", "S, 10, 10", "S, 11, 10", "S, 99, 10", "S, 100, 11", "S, 101, 11",
        "S, 999, 11", "S, 1000, 12", "S, 12345, 13",
        "H, 10, 10", "H, 11, 10", "H, 100, 11",
        "F, 3, 3", "F, 10, 10", "F, 11, 10", "F, 100, 11",
        "R, 1, 1", "R, 9, 9", "R, 10, 10", "R, 11, 10", "R, 100, 11", "R, 1000, 12",
    })
    void aSequenceLetterIsRecordedForTheFirstTenThenOnlyAtEachPowerOfTen(char letter, long n, int letters) {
        assertEquals(String.valueOf(letter).repeat(letters), repeated(letter, n), n + " events");
    }

    @ParameterizedTest(name = "occurrence {0} recorded: {1}")
    @CsvSource({
        "1, true", "2, true", "9, true", "10, true", "11, false", "50, false", "99, false", "100, true",
        "101, false", "1000, true", "1001, false", "10000, true", "1000000000000000000, true",
        "999999999999999999, false", "9223372036854775807, false",
    })
    void theRuleForSequenceLettersKeepsTheFirstTenAndEveryPowerOfTen(long n, boolean recorded) {
        assertEquals(recorded, History.recordsSequenceRepeat(n));
    }

    @ParameterizedTest(name = "occurrence {0} recorded: {1}")
    @CsvSource({"1, true", "2, false", "9, false", "10, true", "11, false", "100, true", "1000000000000000000, true",
        "9223372036854775807, false"})
    void theLogarithmicScaleKeepsThe1st10th100th(long n, boolean recorded) {
        assertEquals(recorded, History.isPowerOfTen(n));
    }

    @Test
    void withinOneSegmentTheFlagLetterComesFirstThenWThenTThenThePeersG() {
        String h = history(w -> {
            w.handshake(0);
            int seq = w.cseq;
            w.c(0.4, PSH | ACK, 10).s(0.5, PSH | ACK, 10);
            w.sseq += 10; // a server segment the tap missed
            w.window = 0;
            // One client segment: retransmitted payload, a zero window, and an ACK past the server's unseen bytes.
            w.raw(true, 2, PSH | ACK, seq, w.sseq, 10);
        });
        assertEquals("ShADdWTg", h);
    }

    @Test
    void aSegmentWithSynFinOrRstGetsNoDOrA() {
        // Zeek: payload with a FIN is an f, not a d; a SYN-ACK is an h, not an a.
        assertEquals("ShAf", history(w -> w.handshake(0).s(1, FIN | PSH | ACK, 30)));
    }

    @Test
    void aZeroWindowCountsNeitherOnARstNorFromAResetSideNorAfterThePeersFin() {
        assertEquals("ShAr", history(w -> {
            w.handshake(0);
            w.window = 0;
            w.s(1, RST | ACK, 0);
        }));
        assertEquals("ShAFa", history(w -> {
            w.handshake(0).c(1, FIN | ACK, 0);
            w.window = 0;
            w.s(1.1, ACK, 0); // the client sent its FIN: the server's window no longer matters
        }));
        assertEquals("ShAFWf", history(w -> {
            w.handshake(0);
            w.window = 0;
            w.c(1, FIN | ACK, 0); // a zero window from the side that closes still counts
            w.window = 65535;
            w.s(1.1, FIN | ACK, 0);
        }));
    }

    @Test
    void aBadChecksumIsRecordedOnItsSidesLogarithmicScaleAndChangesNothingElse() {
        Wire w = new Wire().handshake(0);
        for (int i = 0; i < 10; i++) w.corrupt(false, 1 + i, FIN | ACK, w.sseq, w.cseq, 0);
        List<Connection<?>> all = w.finish();
        Connection<?> c = all.get(0);
        assertEquals("ShAcc", c.historyText());
        assertEquals(1, c.packets(Side.SERVER), "the corrupt segments are not counted as sent");
        assertEquals(false, c.endpoint(Side.SERVER).finSeen, "nor do their FINs count");
    }

    @Test
    void aGapIsRecordedOnlyWhileBothSynsAreSeenAndNoRst() {
        // Mid-stream: the start of the stream is unseen, so an acknowledgement past it means nothing.
        assertEquals("DaA", history(w -> {
            w.c(0, PSH | ACK, 10);
            w.cseq += 10;
            w.s(0.1, ACK, 0).c(0.2, ACK, 0);
        }));
        // After a RST its acknowledgement number is not trusted.
        assertEquals("ShADRa", history(w -> {
            w.handshake(0).c(1, PSH | ACK, 10);
            w.raw(true, 2, RST | ACK, w.cseq, w.sseq, 0);
            w.cseq += 10;
            w.s(3, ACK, 0);
        }));
    }

    @Test
    void theAcknowledgementOfAFinIsNoGapNorIsDataSeenOutOfOrder() {
        // D, then T: the segment that fills the hole is below the highest sequence number sent (Zeek: a retransmission).
        assertEquals("ShADTFaf", history(w -> {
            w.handshake(0);
            int seq = w.cseq;
            // The second half first, then the first: both held, nothing missing when the ACK comes.
            w.raw(true, 1, PSH | ACK, seq + 10, w.sseq, 10).raw(true, 1.1, PSH | ACK, seq, w.sseq, 10);
            w.cseq = seq + 20;
            w.c(2, FIN | ACK, 0).s(2.1, ACK, 0).s(2.2, FIN | ACK, 0);
        }));
    }

    @Test
    void eachHolePassedByOneAcknowledgementIsAGap() {
        History counted = new History();
        counted.gaps(Side.SERVER, 2);
        assertEquals("g", counted.toString(), "2 of a logarithmic letter: one g");
        // Rounds of holes, each followed by bytes seen, one ACK passing all of a round: 4 + 4 + 1 holes, then 1 more.
        Consumer<Wire> nine = w -> {
            w.handshake(0);
            double t = 1;
            for (int holes : new int[] {4, 4, 1}) {
                for (int i = 0; i < holes; i++) {
                    w.cseq += 10; // not captured
                    w.c(t++, PSH | ACK, 10);
                }
                w.s(t++, ACK, 0);
            }
        };
        assertEquals("ShADaG", history(nine), "nine holes");
        assertEquals("ShADaGG", history(nine.andThen(w -> {
            w.cseq += 10;
            w.s(100, ACK, 0);
        })), "the tenth");
    }

    @Test
    void theSameSequenceNumberRepeatedIsNotARepeat() {
        History h = new History();
        for (int i = 0; i < 5; i++) record(h, Side.SERVER, segment(RST, 42, 65535), false);
        assertEquals("r", h.toString());
    }

    @Test
    void aLetterPastItsTenthRepeatStillTracksTheLastSequenceNumber() {
        History h = new History();
        for (int i = 0; i < 12; i++) record(h, Side.SERVER, segment(RST, i, 65535), false);
        // The 11th and 12th were not recorded, yet a RST again at seq 11 is the same one, not a 13th.
        record(h, Side.SERVER, segment(RST, 11, 65535), false);
        for (int i = 12; i < 99; i++) record(h, Side.SERVER, segment(RST, i, 65535), false);
        assertEquals("r".repeat(10), h.toString(), "99 distinct RSTs");
        record(h, Side.SERVER, segment(RST, 99, 65535), false);
        assertEquals("r".repeat(11), h.toString(), "the 100th distinct RST is the 11th letter");
    }

    @Test
    void theLongestPossibleRunOfOneLetterIsTwentySevenCharacters() {
        // Candidates: 1 .. 10, then every power of ten a 64-bit count reaches; the table above shows the
        // numbers between them are not recorded.
        long letters = 0;
        for (long n = 1; n > 0; n = n < 10 ? n + 1 : (n > Long.MAX_VALUE / 10 ? -1 : n * 10)) {
            if (History.recordsSequenceRepeat(n)) letters++;
        }
        // 1..10, then 100 .. 10^18: the most a side's letter can take with a 64-bit count.
        assertEquals(27, letters);
    }

    @Test
    void aMillionResetsAtDistinctSequenceNumbersGiveABoundedHistoryCell() {
        Wire w = new Wire().handshake(0);
        for (int i = 0; i < 1_000_000; i++) w.raw(true, 1 + i * 1e-6, RST, w.cseq + i, 0, 0);
        List<Connection<?>> all = w.finish();
        assertEquals(1, all.size(), "one connection");
        String h = all.get(0).historyText();
        // Handshake S h A, then R: the first ten, the 100th, 1,000th, 10,000th, 100,000th and 1,000,000th.
        assertEquals(18, h.length(), "history length");
        assertEquals("ShA" + "R".repeat(15), h);
    }

    @Test
    void everyLetterOnBothSidesAtOnceStaysWithinAFewHundredCharacters() {
        History h = new History();
        for (int i = 0; i < 200_000; i++) {
            for (Side side : Side.values()) {
                record(h, side, segment(SYN, i, 65535), false);
                record(h, side, segment(FIN | ACK, i, 0), true);
                record(h, side, segment(RST, i, 65535), false);
                h.badChecksum(side);
                h.gaps(side, 1);
            }
        }
        // Per side: s f r 10 + 4 each (100 .. 100,000), t w c g 6 each (1 .. 100,000).
        assertEquals(2 * (3 * 14 + 4 * 6), h.toString().length(), "history length");
    }

    @Test
    void aHistoryLongerThanTheLettersKeptInALongKeepsEveryLetterInOrderWithTheFlip() {
        History h = new History();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            record(h, Side.CLIENT, segment(RST, 100 + i, 65535), false);
            record(h, Side.SERVER, segment(RST, 900 + i, 65535), false);
            expected.append("Rr");
            if (i == 5) {
                h.flipped();
                expected.append('^');
            }
        }
        assertEquals(expected.toString(), h.toString(), "19 letters: " + History.PACKED + " packed, the rest built");
    }

    @Test
    void equalShortHistoriesShareOneTextAndEveryHistoryStillReadsLetterByLetter() {
        // Two connections with the same short history: the second row's text is the first's String (SHORT_TEXTS).
        History a = new History();
        History b = new History();
        for (History h : List.of(a, b)) {
            record(h, Side.CLIENT, segment(SYN, 1, 65535), false);
            record(h, Side.SERVER, segment(SYN | ACK, 9, 65535), false);
            record(h, Side.CLIENT, segment(ACK, 2, 65535), false);
        }
        assertEquals("Sh", a.toString().replace("A", ""));
        org.junit.jupiter.api.Assertions.assertSame(a.toString(), b.toString());
        // Many different histories through the shared slots, each read twice (from its slot, or built again when
        // another history took it): always the text built from its own letters.
        java.util.Random random = new java.util.Random(7);
        int[] kinds = {SYN, SYN | ACK, ACK, PSH | ACK, FIN | ACK, RST, ACK};
        for (int round = 0; round < 50_000; round++) {
            History h = new History();
            int n = 1 + random.nextInt(20); // past History.PACKED too
            for (int k = 0; k < n; k++) {
                Side side = random.nextBoolean() ? Side.CLIENT : Side.SERVER;
                TcpSegment seg = segment(kinds[random.nextInt(kinds.length)], random.nextInt(4), random.nextInt(3) == 0 ? 0 : 100);
                seg.payloadLength = random.nextInt(3) == 0 ? 10 : 0;
                record(h, side, seg, random.nextInt(5) == 0);
            }
            assertEquals(h.build(), h.toString());
            assertEquals(h.build(), h.toString());
        }
    }
}
