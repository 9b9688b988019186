package dev.teardown.h2;

import static dev.teardown.h2.H2Bytes.END_STREAM;
import static dev.teardown.h2.H2Bytes.concat;
import static dev.teardown.h2.H2Bytes.data;
import static dev.teardown.h2.H2Bytes.goaway;
import static dev.teardown.h2.H2Bytes.headers;
import static dev.teardown.h2.H2Bytes.preface;
import static dev.teardown.h2.H2Bytes.settings;
import static dev.teardown.h2.H2Bytes.settingsAck;
import static dev.teardown.stream.Chunks.everyByte;
import static dev.teardown.stream.Chunks.untimed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.stream.Chunks;
import dev.teardown.teardown.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One direction's frame layer, fed the way TCP delivers it: split anywhere, many frames at once, with holes. */
class FrameReaderTest {

    /** A reader of one side, begun, and what it reports written as short lines. */
    static final class Recorder implements FrameListener {
        final List<String> events = new ArrayList<>();
        final FrameReader reader;

        Recorder(Side side, boolean streamStart) {
            reader = new FrameReader(side, this);
            reader.begin(streamStart);
        }

        /** Hands the reader {@code frames} as one chunk at time {@code t}. */
        Recorder send(long t, byte[]... frames) {
            Chunks.send(reader, t, frames);
            return this;
        }

        @Override
        public void onPreface(Side side) {
            events.add("preface");
        }

        @Override
        public void onFrame(Side side, int type, int flags, int stream, int length, long t) {
            events.add("frame " + type + " " + flags + " " + stream + " " + length + " @" + t);
        }

        @Override
        public void onSetting(Side side, int id, long value) {
            events.add("setting " + id + "=" + value);
        }

        @Override
        public void onGoaway(Side side, int lastStream, long errorCode, long t) {
            events.add("goaway " + lastStream + " " + errorCode);
        }

        @Override
        public void onReset(Side side, int stream, long errorCode) {
            events.add("reset " + stream + " " + errorCode);
        }

        @Override
        public void onProblem(Side side, H2Problem problem) {
            events.add("problem " + problem);
        }
    }

    private static final byte[] CLIENT = concat(preface(), settings(3, 100, 4, 65535), headers(1, END_STREAM, 30),
        headers(3, 0, 12), data(3, END_STREAM, 200), goaway(0, 0, 5));

    /** What a fresh reader of {@code side} reports for {@code bytes} fed in pieces ending at {@code cuts}. */
    private static List<String> feed(Side side, byte[] bytes, int... cuts) {
        Recorder r = new Recorder(side, true);
        Chunks.feed(r.reader, bytes, cuts);
        return r.events;
    }

    @Test
    void aStreamSplitAtEveryByteOffsetGivesTheSameFrames() {
        List<String> whole = feed(Side.CLIENT, CLIENT);
        assertEquals(List.of("preface", "setting 3=100", "setting 4=65535", "frame 4 0 0 12 @0", "frame 1 5 1 30 @0",
            "frame 1 4 3 12 @0", "frame 0 1 3 200 @0", "goaway 0 0", "frame 7 0 0 13 @0"), whole);
        for (int cut = 1; cut < CLIENT.length; cut++) {
            assertEquals(untimed(whole), untimed(feed(Side.CLIENT, CLIENT, cut)), "split at " + cut);
            for (int second = cut + 1; second < CLIENT.length; second += 7) {
                assertEquals(untimed(whole), untimed(feed(Side.CLIENT, CLIENT, cut, second)), "split at " + cut + ", "
                    + second);
            }
        }
        assertEquals(untimed(whole), untimed(feed(Side.CLIENT, CLIENT, everyByte(CLIENT.length))),
            "one byte at a time");
    }

    /**
     * A header block in three frames, padding that fits and padding that does not, a RST_STREAM, a DATA frame inside
     * a header block and a CONTINUATION outside one (RFC 9113 sections 6.1, 6.4, 6.10).
     */
    private static final byte[] CHECKED = concat(settings(),
        H2Bytes.frame(H2Bytes.HEADERS, 0, 1, new byte[7]), H2Bytes.frame(H2Bytes.CONTINUATION, 0, 1, new byte[5]),
        H2Bytes.frame(H2Bytes.CONTINUATION, H2Bytes.END_HEADERS, 1, new byte[3]),
        H2Bytes.padded(H2Bytes.DATA, END_STREAM, 1, 9, 10), H2Bytes.padded(H2Bytes.DATA, 0, 3, 10, 10),
        H2Bytes.rstStream(3, 7), H2Bytes.frame(H2Bytes.HEADERS, 0, 5, new byte[2]), data(5, 0, 1),
        H2Bytes.frame(H2Bytes.CONTINUATION, H2Bytes.END_HEADERS, 7, new byte[1]));

    @Test
    void headerBlocksPaddingAndResetsAreReadWhereverTheStreamIsSplit() {
        List<String> whole = feed(Side.SERVER, CHECKED);
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 1 0 1 7 @0", "frame 9 0 1 5 @0", "frame 9 4 1 3 @0",
            "frame 0 9 1 10 @0", "problem BAD_PADDING", "frame 0 8 3 10 @0", "reset 3 7", "frame 3 0 3 4 @0",
            "frame 1 0 5 2 @0", "problem BAD_CONTINUATION", "frame 0 0 5 1 @0", "problem BAD_CONTINUATION",
            "frame 9 4 7 1 @0"), whole);
        for (int cut = 1; cut < CHECKED.length; cut++) {
            assertEquals(untimed(whole), untimed(feed(Side.SERVER, CHECKED, cut)), "split at " + cut);
        }
        assertEquals(untimed(whole), untimed(feed(Side.SERVER, CHECKED, everyByte(CHECKED.length))),
            "one byte at a time");
    }

    @ParameterizedTest(name = "type {0} flags {1}: pad {3} of {2} bytes bad: {4}")
    @CsvSource({
        "0, 8, 10, 9, false", // DATA: the padding may leave no data at all
        "0, 8, 10, 10, true", // ... but not be the payload's length (section 6.1)
        "0, 8, 1, 0, false",
        "1, 8, 10, 9, false", // HEADERS: an empty header block fragment
        "1, 8, 10, 10, true",
        "1, 40, 10, 4, false", // HEADERS with PRIORITY: 5 bytes more are the priority's (section 6.2)
        "1, 40, 10, 5, true",
        "5, 8, 10, 5, false", // PUSH_PROMISE: 4 bytes are the promised stream id (section 6.6)
        "5, 8, 10, 6, true",
    })
    void aPadLengthMustLeaveRoomForTheFramesOtherFields(int type, int flags, int length, int pad, boolean bad) {
        int headersEnd = type == H2Bytes.DATA ? 0 : H2Bytes.END_HEADERS;
        List<String> events = feed(Side.SERVER, concat(settings(), H2Bytes.padded(type, flags | headersEnd, 2, pad,
            length)));
        assertEquals(bad, events.contains("problem BAD_PADDING"), events.toString());
    }

    @Test
    void aPadLengthTheCaptureLostIsNotJudged() {
        Recorder r = new Recorder(Side.SERVER, true).send(0, settings(),
            Arrays.copyOf(H2Bytes.padded(H2Bytes.DATA, 0, 1, 200, 10), 9));
        r.reader.gap(10, 1);
        assertEquals(List.of("frame 4 0 0 0 @0", "problem STREAM_GAP", "frame 0 8 1 10 @1"), r.events);
    }

    @Test
    void aHeaderBlockOpenWhenTheDirectionWasLostIsNotJudgedAfterwards() {
        Recorder r = new Recorder(Side.SERVER, true).send(0, settings(), H2Bytes.frame(H2Bytes.HEADERS, 0, 1,
            new byte[3]));
        r.reader.gap(5, 1); // outside a payload: lost until a chunk begins with a frame header
        r.send(2, data(3, END_STREAM, 4));
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 1 0 1 3 @0", "problem STREAM_GAP", "frame 0 1 3 4 @2"),
            r.events);
    }

    @Test
    void aContinuationWhereTheDirectionResumedMayContinueABlockThatWasLost() {
        Recorder r = new Recorder(Side.CLIENT, false).send(0, H2Bytes.frame(H2Bytes.CONTINUATION, 0, 5, new byte[2]),
            H2Bytes.frame(H2Bytes.CONTINUATION, H2Bytes.END_HEADERS, 5, new byte[2]), data(5, END_STREAM, 1),
            H2Bytes.frame(H2Bytes.CONTINUATION, H2Bytes.END_HEADERS, 5, new byte[2]));
        assertEquals(List.of("frame 9 0 5 2 @0", "frame 9 4 5 2 @0", "frame 0 1 5 1 @0", "problem BAD_CONTINUATION",
            "frame 9 4 5 2 @0"), r.events, "only the last CONTINUATION is known to be outside a block");
    }

    @Test
    void aResetWhoseCodeWasLostSaysSo() {
        Recorder r = new Recorder(Side.SERVER, true).send(0, settings(), Arrays.copyOf(H2Bytes.rstStream(1, 7), 11));
        r.reader.gap(2, 1);
        assertEquals(List.of("frame 4 0 0 0 @0", "problem STREAM_GAP", "reset 1 -1", "frame 3 0 1 4 @1"), r.events);
    }

    @Test
    void aFrameEndsAtTheTimeOfTheChunkThatCompletedIt() {
        byte[] b = concat(settings(), headers(1, 0, 40));
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 1 4 1 40 @1"), feed(Side.SERVER, b, 20));
    }

    @Test
    void theServerHasNoPrefaceAndItsFirstFrameMustBeSettings() {
        assertEquals(List.of("frame 4 1 0 0 @0"), feed(Side.SERVER, settingsAck()));
        assertEquals(List.of("problem BAD_FRAME"), feed(Side.SERVER, headers(1, 0, 3)));
    }

    @Test
    void aClientPrefaceThatIsNotOneIsABadFrame() {
        byte[] b = "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of("problem BAD_FRAME"), feed(Side.CLIENT, b));
    }

    @Test
    void aFrameLongerThanTheReceiversLimitIsBadUntilTheReceiverRaisedIt() {
        byte[] big = concat(settings(), data(1, 0, 20_000));
        assertEquals(List.of("frame 4 0 0 0 @0", "problem BAD_FRAME"), feed(Side.SERVER, big));
        Recorder r = new Recorder(Side.SERVER, true);
        r.reader.allow(32_768); // the client's SETTINGS_MAX_FRAME_SIZE
        r.send(0, big);
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 0 0 1 20000 @0"), r.events);
    }

    @Test
    void aLimitOutsideTheRfcsRangeIsIgnored() {
        FrameReader reader = new Recorder(Side.SERVER, true).reader;
        reader.allow(1L << 24);
        assertFalse(reader.resumesAt(data(1, 0, 16_385), 0, 9));
    }

    @Test
    void aHoleInsideAPayloadKeepsTheFraming() {
        Recorder r = new Recorder(Side.SERVER, true);
        r.send(0, settings(), Arrays.copyOf(data(1, END_STREAM, 100), 9 + 40));
        r.reader.gap(60, 1);
        r.send(2, headers(3, END_STREAM, 5));
        assertEquals(List.of("frame 4 0 0 0 @0", "problem STREAM_GAP", "frame 0 1 1 100 @1", "frame 1 5 3 5 @2"),
            r.events);
    }

    @Test
    void aHoleOutsideAPayloadLosesTheDirectionUntilAChunkStartsWithAFrameHeader() {
        Recorder r = new Recorder(Side.SERVER, true).send(0, settings(), Arrays.copyOf(headers(1, 0, 10), 4));
        r.reader.gap(15, 1);
        r.send(2, new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        r.send(3, data(1, END_STREAM, 7), goaway(1, 0, 0));
        assertEquals(List.of("frame 4 0 0 0 @0", "problem STREAM_GAP", "frame 0 1 1 7 @3", "goaway 1 0",
            "frame 7 0 0 8 @3"), r.events);
    }

    @Test
    void aBadHeaderAfterwardsResynchronisesAtTheNextFrameHeader() {
        Recorder r = new Recorder(Side.SERVER, true);
        r.send(0, settings(), H2Bytes.frame(H2Bytes.PING, 0, 0, new byte[7]));
        r.send(1, headers(1, 0, 2));
        assertEquals(List.of("frame 4 0 0 0 @0", "problem BAD_FRAME", "frame 1 4 1 2 @1"), r.events);
    }

    @Test
    void aDirectionThatBeganLostWaitsForAFrameHeaderAndNeedsNoSettingsFirst() {
        Recorder r = new Recorder(Side.CLIENT, false).send(0, headers(5, END_STREAM, 3));
        assertEquals(List.of("frame 1 5 5 3 @0"), r.events);
    }

    @Test
    void aGoawayWhoseFieldsWereLostSaysSo() {
        Recorder r = new Recorder(Side.SERVER, true).send(0, settings(), Arrays.copyOf(goaway(7, 2, 4), 9 + 2));
        r.reader.gap(10, 1);
        assertEquals(List.of("frame 4 0 0 0 @0", "problem STREAM_GAP", "goaway -1 -1", "frame 7 0 0 12 @1"),
            r.events);
    }

    @Test
    void unknownFrameTypesAreExtensionsAndPass() {
        byte[] b = concat(settings(), H2Bytes.frame(0xb, 0xff, 0, new byte[3]));
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 11 255 0 3 @0"), feed(Side.SERVER, b));
    }

    @Test
    void theReservedBitIsIgnoredOnReceiptButNotWhenResynchronising() {
        byte[] h = headers(1, 0, 1);
        h[5] |= (byte) 0x80;
        assertEquals(List.of("frame 4 0 0 0 @0", "frame 1 4 1 1 @0"), feed(Side.SERVER, concat(settings(), h)));
        assertFalse(new Recorder(Side.SERVER, true).reader.resumesAt(h, 0, h.length));
    }

    @ParameterizedTest(name = "type {0} flags {1} stream {2} length {3}: {4}")
    @CsvSource({
        "0, 1, 1, 0, true", "0, 0, 0, 5, false",
        "1, 4, 3, 10, true", "1, 4, 0, 10, false",
        "2, 0, 1, 5, true", "2, 0, 1, 4, false", "2, 0, 0, 5, false",
        "3, 0, 1, 4, true", "3, 0, 1, 8, false", "3, 0, 0, 4, false",
        "4, 0, 0, 12, true", "4, 0, 0, 7, false", "4, 0, 1, 6, false", "4, 1, 0, 0, true", "4, 1, 0, 6, false",
        "5, 4, 1, 4, true", "5, 4, 1, 3, false", "5, 4, 0, 8, false",
        "6, 0, 0, 8, true", "6, 1, 0, 8, true", "6, 0, 0, 9, false", "6, 0, 1, 8, false",
        "7, 0, 0, 8, true", "7, 0, 0, 20, true", "7, 0, 0, 7, false", "7, 0, 3, 8, false",
        "8, 0, 0, 4, true", "8, 0, 5, 4, true", "8, 0, 0, 5, false",
        "9, 4, 1, 100, true", "9, 4, 0, 100, false",
        "200, 0, 0, 16384, true", "0, 0, 1, 16385, false",
        // PADDED (0x8) and PRIORITY (0x20) add fields the length must hold; flags a type does not define do not
        "0, 8, 1, 0, false", "0, 8, 1, 1, true", "0, 32, 1, 0, true",
        "1, 8, 1, 0, false", "1, 32, 1, 4, false", "1, 32, 1, 5, true", "1, 40, 1, 5, false", "1, 45, 1, 6, true",
        "5, 12, 1, 4, false", "5, 12, 1, 5, true", "5, 32, 1, 4, true",
    })
    void headersAreValidAsSection6Says(int type, int flags, int stream, int length, boolean valid) {
        assertEquals(valid, FrameReader.validHeader(type, flags, stream, length, FrameReader.DEFAULT_MAX_FRAME));
    }

    @Test
    void resynchronisingWantsOnlyTheFlagsATypeDefines() {
        FrameReader reader = new Recorder(Side.SERVER, true).reader;
        assertTrue(reader.resumesAt(data(1, 0x09, 1), 0, 9));
        assertFalse(reader.resumesAt(data(1, 0x02, 0), 0, 9));
        assertFalse(reader.resumesAt(H2Bytes.frame(0xb, 0, 0, new byte[0]), 0, 9), "no extension types");
        assertFalse(reader.resumesAt(data(1, 0, 0), 0, 8), "a whole header");
    }

    @Test
    void aStoppedReaderReportsNothing() {
        Recorder r = new Recorder(Side.CLIENT, true);
        r.reader.stop();
        r.send(0, CLIENT).reader.gap(5, 1);
        assertEquals(List.of(), r.events);
        assertEquals(FrameReader.State.STOPPED, r.reader.state());
    }
}
