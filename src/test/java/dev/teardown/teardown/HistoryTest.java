package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.decode.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The history letters, and the bound on how often one letter repeats (docs/output.md, {@code history}). */
class HistoryTest {

    private static TcpSegment segment(int flags, int seq, int window) {
        TcpSegment t = new TcpSegment();
        t.flags = flags;
        t.seq = seq;
        t.window = window;
        return t;
    }

    /** The history after {@code n} events of one kind from the client, each at a new sequence number. */
    private static String repeated(char letter, long n) {
        History h = new History();
        for (long i = 0; i < n; i++) {
            int seq = (int) i;
            switch (letter) {
                case 'S' -> h.record(Side.CLIENT, segment(SYN, seq, 65535), false);
                case 'F' -> h.record(Side.CLIENT, segment(FIN, seq, 65535), false);
                case 'R' -> h.record(Side.CLIENT, segment(RST, seq, 65535), false);
                case 'T' -> h.record(Side.CLIENT, segment(0, seq, 65535), true);
                case 'W' -> h.record(Side.CLIENT, segment(0, seq, 0), false);
                default -> throw new IllegalArgumentException("letter " + letter);
            }
        }
        return h.toString();
    }

    @ParameterizedTest(name = "{0} x{1} -> {2} letters")
    @CsvSource({
        // s h f r: every new sequence number up to the 10th (as Zeek), then the 100th, 1,000th ...
        "S, 1, 1", "S, 2, 2", "S, 10, 10", "S, 11, 10", "S, 99, 10", "S, 100, 11", "S, 101, 11",
        "S, 999, 11", "S, 1000, 12", "S, 12345, 13",
        "F, 3, 3", "F, 10, 10", "F, 11, 10", "F, 100, 11",
        "R, 1, 1", "R, 9, 9", "R, 10, 10", "R, 11, 10", "R, 100, 11", "R, 1000, 12",
        // t w: the 1st, 10th, 100th ... (as Zeek)
        "T, 1, 1", "T, 9, 1", "T, 10, 2", "T, 99, 2", "T, 100, 3", "T, 1000, 4",
        "W, 1, 1", "W, 10, 2", "W, 100, 3",
    })
    void aRepeatedLetterIsRecordedForTheFirstTenThenAtEachPowerOfTen(char letter, long n, int letters) {
        String h = repeated(letter, n);
        assertEquals(String.valueOf(letter).repeat(letters), h, n + " events");
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

    @Test
    void theSameSequenceNumberRepeatedIsNotARepeat() {
        History h = new History();
        for (int i = 0; i < 5; i++) h.record(Side.SERVER, segment(RST, 42, 65535), false);
        assertEquals("r", h.toString());
    }

    @Test
    void aLetterPastItsTenthRepeatStillTracksTheLastSequenceNumber() {
        History h = new History();
        for (int i = 0; i < 12; i++) h.record(Side.SERVER, segment(RST, i, 65535), false);
        // The 11th and 12th were not recorded, yet a RST again at seq 11 is the same one, not a 13th.
        h.record(Side.SERVER, segment(RST, 11, 65535), false);
        for (int i = 12; i < 99; i++) h.record(Side.SERVER, segment(RST, i, 65535), false);
        assertEquals("r".repeat(10), h.toString(), "99 distinct RSTs");
        h.record(Side.SERVER, segment(RST, 99, 65535), false);
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
                h.record(side, segment(SYN, i, 65535), false);
                h.record(side, segment(SYN | ACK, i, 65535), false);
                h.record(side, segment(FIN | ACK, i, 0), true);
                h.record(side, segment(RST, i, 65535), false);
            }
        }
        // Per side: s h f r 10 + 4 each (100 .. 100,000), t w 6 each (1 .. 100,000).
        assertEquals(2 * (4 * 14 + 2 * 6), h.toString().length(), "history length");
    }
}
