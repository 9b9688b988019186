package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A column's bytes are made once per run of equal Strings given, and always from the text given now. */
class CellCacheTest {
    @Test
    void theSameOrAnEqualStringAgainIsNotEncodedAgainAnotherTextIs() {
        AtomicInteger calls = new AtomicInteger();
        Function<String, byte[]> encode = s -> {
            calls.incrementAndGet();
            return s.getBytes(StandardCharsets.UTF_8);
        };
        CellCache cells = new CellCache(2);
        String a = "keep-alive";
        byte[] first = cells.of(0, a, encode);
        assertSame(first, cells.of(0, a, encode));
        assertEquals(1, calls.get(), "the same String: encoded once");
        // A parallel run's workers each make their own copy of a text (an address), and their records alternate.
        String sameText = new String("keep-alive".toCharArray());
        assertSame(first, cells.of(0, sameText, encode));
        assertEquals(1, calls.get(), "another String object with the same text: not encoded again");
        assertArrayEquals("close".getBytes(StandardCharsets.UTF_8), cells.of(1, "close", encode), "columns apart");
        assertEquals(2, calls.get());
        String other = "keep-alivE";
        assertArrayEquals(other.getBytes(StandardCharsets.UTF_8), cells.of(0, other, encode), "another text");
        assertEquals(3, calls.get());
        assertArrayEquals(first, cells.of(0, a, encode), "and back: the slot holds one text");
        assertEquals(4, calls.get());
    }
}
