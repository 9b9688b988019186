package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one copy a decoder makes: a line split across segments, bounded, its large buffer dropped once parsed. */
class SplitLineTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void piecesAppendInOrderAndNothingIsCopiedBeforeTheFirst() {
        SplitLine line = new SplitLine(100);
        assertNull(line.bytes);
        byte[] b = ascii("GET /index.html HTTP/1.1\r");
        assertTrue(line.append(b, 0, 4));
        assertTrue(line.append(b, 4, 0));
        assertTrue(line.append(b, 4, b.length - 4));
        assertEquals("GET /index.html HTTP/1.1\r", new String(line.bytes, 0, line.length, StandardCharsets.US_ASCII));
    }

    @Test
    void aLinePastItsLimitIsRefusedAndNothingOfItAppended() {
        SplitLine line = new SplitLine(10);
        byte[] b = ascii("0123456789AB");
        assertTrue(line.append(b, 0, 6));
        assertFalse(line.append(b, 6, 5));
        assertEquals(6, line.length);
        assertTrue(line.append(b, 6, 4), "exactly the limit");
        assertEquals(10, line.bytes.length, "grown to the limit, never past it");
    }

    @Test
    void aTakenLineKeepsASmallBufferAndDropsALargeOne() {
        SplitLine small = new SplitLine(100_000);
        small.append(new byte[200], 0, 200);
        byte[] kept = small.bytes;
        small.taken();
        assertEquals(0, small.length);
        assertSame(kept, small.bytes);

        SplitLine large = new SplitLine(100_000);
        large.append(new byte[SplitLine.KEPT + 1], 0, SplitLine.KEPT + 1);
        assertNotNull(large.bytes);
        large.taken();
        assertNull(large.bytes, "idle connections keep little");
        assertTrue(large.append(ascii("again"), 0, 5));
    }

    @Test
    void releaseDropsEverything() {
        SplitLine line = new SplitLine(100);
        line.append(ascii("Host: a"), 0, 7);
        line.release();
        assertNull(line.bytes);
        assertEquals(0, line.length);
    }
}
