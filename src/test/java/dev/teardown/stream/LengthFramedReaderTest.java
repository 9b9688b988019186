package dev.teardown.stream;

import static dev.teardown.stream.Chunks.everyByte;
import static dev.teardown.stream.Chunks.feed;
import static dev.teardown.stream.Chunks.untimed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The framing TLS and HTTP/2 share, on a toy format built byte by byte: a 3-byte header (a type from 1 to 3, a 16-bit
 * length), a body of that length; a body's first byte 0xee tells the reader to stop, as a session does when the bytes
 * prove not to be its protocol; an optional prefix {@code "HI"}.
 */
class LengthFramedReaderTest {

    /** The toy format's reader, writing what happens as short lines. */
    static final class Toy extends LengthFramedReader {
        final List<String> events = new ArrayList<>();
        boolean stopOnBadHeader;
        private int type;
        private int read;
        private int prefixBytes;

        Toy(boolean prefixed) {
            super(3, prefixed);
        }

        @Override
        protected int header(byte[] h, int at) {
            type = h[at];
            read = 0;
            return type >= 1 && type <= 3 ? (h[at + 1] & 0xff) << 8 | (h[at + 2] & 0xff) : -1;
        }

        @Override
        protected void body(byte[] b, int p, int n) {
            if (n > 0 && read == 0 && b[p] == (byte) 0xee) {
                events.add("stop");
                stop();
            }
            read += n;
        }

        @Override
        protected void bodyLost() {
            events.add("body lost");
        }

        @Override
        protected void recordEnd(long t) {
            events.add("record " + type + " read " + read + " @" + t);
        }

        @Override
        protected void trouble(Trouble trouble) {
            events.add(trouble.toString());
            if (trouble == Trouble.BAD_HEADER && stopOnBadHeader) stop();
        }

        @Override
        protected boolean plausibleAt(byte[] b, int at) {
            return b[at] >= 1 && b[at] <= 3 && b[at + 1] == 0;
        }

        @Override
        protected void lost() {
            events.add("lost");
        }

        @Override
        protected int prefix(byte[] b, int p, int end) {
            while (p < end && prefixBytes < 2) {
                if (b[p] != "HI".charAt(prefixBytes)) {
                    lose();
                    return end;
                }
                p++;
                prefixBytes++;
            }
            if (prefixBytes == 2) {
                events.add("prefix");
                prefixDone();
            }
            return p;
        }
    }

    private static byte[] record(int type, int length) {
        byte[] r = new byte[3 + length];
        r[0] = (byte) type;
        r[1] = (byte) (length >>> 8);
        r[2] = (byte) length;
        return r;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static Toy started() {
        Toy toy = new Toy(false);
        toy.begin(true);
        return toy;
    }

    private static final byte[] STREAM = concat(record(1, 5), record(2, 0), record(3, 300), record(1, 1));

    @Test
    void aStreamSplitAtEveryByteOffsetGivesTheSameRecords() {
        Toy whole = started();
        feed(whole, STREAM);
        assertEquals(List.of("record 1 read 5 @0", "record 2 read 0 @0", "record 3 read 300 @0", "record 1 read 1 @0"),
            whole.events);
        for (int cut = 1; cut < STREAM.length; cut++) {
            Toy split = started();
            feed(split, STREAM, cut);
            assertEquals(untimed(whole.events), untimed(split.events), "cut at " + cut);
        }
        Toy bytes = started();
        feed(bytes, STREAM, everyByte(STREAM.length));
        assertEquals(untimed(whole.events), untimed(bytes.events), "one byte at a time");
    }

    @Test
    void aRecordEndsAtTheTimeOfTheChunkThatCompletedIt() {
        Toy toy = started();
        feed(toy, concat(record(1, 10), record(2, 10)), 2, 20);
        assertEquals(List.of("record 1 read 10 @1", "record 2 read 10 @2"), toy.events);
    }

    @Test
    void aHoleInsideABodyKeepsTheFraming() {
        Toy toy = started();
        byte[] first = record(1, 100);
        toy.data(first, 0, 40, 1);
        toy.gap(63, 2);
        byte[] next = record(2, 4);
        toy.data(next, 0, next.length, 3);
        assertEquals(List.of("GAP", "body lost", "record 1 read 37 @2", "record 2 read 4 @3"), toy.events);
    }

    @Test
    void aHoleOutsideABodyLosesTheDirectionUntilAChunkStartsWithAPlausibleHeader() {
        Toy toy = started();
        byte[] first = record(1, 10);
        toy.data(first, 0, 8, 1);
        toy.gap(20, 2); // longer than the rest of the body
        byte[] next = record(3, 2);
        toy.data(concat(new byte[] {9}, next), 0, 1 + next.length, 3); // does not start with a header: ignored
        toy.data(next, 0, next.length, 4);
        assertEquals(List.of("GAP", "lost", "record 3 read 2 @4"), toy.events);
        assertEquals(LengthFramedReader.State.HEADER, toy.state());
    }

    @Test
    void aHeaderNoSenderWritesLosesTheDirection() {
        Toy toy = started();
        byte[] b = concat(record(1, 1), record(7, 1), record(2, 1));
        toy.data(b, 0, b.length, 1);
        byte[] next = record(2, 1);
        toy.data(next, 0, next.length, 2);
        assertEquals(List.of("record 1 read 1 @1", "lost", "BAD_HEADER", "record 2 read 1 @2"), toy.events);
    }

    @Test
    void aReaderThatBeganMidStreamStartsLost() {
        Toy toy = new Toy(true);
        toy.begin(false);
        assertEquals(LengthFramedReader.State.RESYNC, toy.state());
        byte[] b = record(2, 3);
        toy.data(b, 0, b.length, 1);
        assertEquals(List.of("lost", "record 2 read 3 @1"), toy.events, "no prefix looked for");
    }

    @Test
    void aPrefixedReaderReadsItsPrefixFirstWhereverTheChunksSplitIt() {
        byte[] b = concat("HI".getBytes(java.nio.charset.StandardCharsets.US_ASCII), record(1, 2));
        for (int cut = 1; cut < b.length; cut++) {
            Toy toy = new Toy(true);
            toy.begin(true);
            feed(toy, b, cut);
            assertEquals(List.of("prefix", "record 1 read 2"), untimed(toy.events), "cut at " + cut);
        }
        Toy wrong = new Toy(true);
        wrong.begin(true);
        feed(wrong, concat(new byte[] {'H', 'O'}, record(1, 2)));
        assertEquals(List.of("lost"), wrong.events);
        assertEquals(LengthFramedReader.State.RESYNC, wrong.state());
    }

    @Test
    void aStoppedReaderStaysStoppedWhatever() {
        Toy toy = started();
        toy.stopOnBadHeader = true;
        byte[] b = concat(record(9, 1), record(1, 1));
        toy.data(b, 0, b.length, 1);
        assertEquals(LengthFramedReader.State.STOPPED, toy.state(), "stopped while telling of the bad header");
        toy.begin(false);
        toy.gap(5, 2);
        toy.data(b, 3, 4, 3);
        assertEquals(List.of("lost", "BAD_HEADER"), toy.events);
        assertEquals(LengthFramedReader.State.STOPPED, toy.state());
    }

    @Test
    void aBodyThatStopsTheReaderEndsTheChunkThere() {
        Toy toy = started();
        byte[] body = record(1, 2);
        body[3] = (byte) 0xee;
        byte[] b = concat(body, record(2, 0));
        toy.data(b, 0, b.length, 1);
        assertEquals(List.of("stop"), toy.events);
    }

    @Test
    void resumingWantsAWholeHeader() {
        Toy toy = started();
        byte[] b = record(1, 0);
        assertTrue(toy.resumesAt(b, 0, 3));
        assertFalse(toy.resumesAt(b, 0, 2));
        assertFalse(toy.resumesAt(record(5, 0), 0, 3));
    }
}
