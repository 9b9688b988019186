package dev.teardown.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One side's bytes as the tap saw them: the frontier, blocks beyond holes, and the holes an acknowledgement passes. */
class EndpointTest {

    private static Endpoint from(int isn) {
        Endpoint e = new Endpoint(Side.CLIENT);
        e.startBytes(isn);
        return e;
    }

    @Test
    void bytesInOrderMoveTheFrontierAndTheirAcknowledgementPassesNoHole() {
        Endpoint e = from(1000);
        e.bytesSeen(1001, 1101);
        e.bytesSeen(1101, 1201);
        assertEquals(1201, e.frontier);
        assertEquals(0, e.acknowledged(1201));
        assertEquals(0, e.acknowledged(1001), "an old acknowledgement");
    }

    @Test
    void anAcknowledgementPastEverythingSeenIsOneHole() {
        Endpoint e = from(1000);
        e.bytesSeen(1001, 1101);
        assertEquals(1, e.acknowledged(1301));
        assertEquals(1301, e.frontier);
        assertEquals(0, e.acknowledged(1301), "counted once");
    }

    @Test
    void holesBetweenBlocksCountOnceEachAndAFilledHoleNotAtAll() {
        Endpoint e = from(0);
        e.bytesSeen(101, 201); // hole 1..101
        e.bytesSeen(301, 401); // hole 201..301
        e.bytesSeen(1, 101); // the first hole filled: the frontier runs to 201
        assertEquals(201, e.frontier);
        assertEquals(1, e.acknowledged(401), "only 201..301 was never seen");
        assertEquals(401, e.frontier);
    }

    @Test
    void anAcknowledgementInsideABlockCountsTheHoleBeforeItAndTakesTheWholeBlock() {
        Endpoint e = from(0);
        e.bytesSeen(101, 201);
        assertEquals(1, e.acknowledged(150));
        assertEquals(201, e.frontier, "the rest of the block was seen");
        assertEquals(0, e.acknowledged(201));
    }

    @Test
    void overlappingAndTouchingBlocksMergeAndTheFinIsNotAByte() {
        Endpoint e = from(0);
        e.bytesSeen(101, 151);
        e.bytesSeen(140, 201);
        e.bytesSeen(201, 251);
        e.finSeen = true;
        e.finSeq = 251;
        assertEquals(1, e.acknowledged(252), "one hole (1..101); the FIN's sequence number is no byte");
        assertEquals(251, e.frontier);
    }

    @Test
    void pastFourBlocksTheTwoClosestMergeSoAHoleIsMissedNeverInvented() {
        Endpoint e = from(0);
        // Blocks at 11, 31, 51, 71 (holes of 10 before each), then one at 85: the hole 81..85 is the smallest.
        for (int start : new int[] {11, 31, 51, 71, 85}) e.bytesSeen(start, start + 10);
        assertEquals(4, e.acknowledged(95), "five holes, one forgotten");
        assertEquals(95, e.frontier);
    }

    @Test
    void sequenceNumbersWrap() {
        Endpoint e = from(0xffff_fff0);
        e.bytesSeen(0xffff_fff1, 0xffff_fff1 + 0x20);
        assertEquals(0x11, e.frontier);
        assertEquals(1, e.acknowledged(0x31));
    }
}
