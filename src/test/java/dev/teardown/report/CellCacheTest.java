package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A column's bytes are made once per String object given, and always from the String given now. */
class CellCacheTest {
    @Test
    void theSameStringAgainIsNotEncodedAgainAnotherOneIsEvenWithTheSameText() {
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
        String sameText = new String("keep-alive".toCharArray());
        assertArrayEquals(first, cells.of(0, sameText, encode));
        assertEquals(2, calls.get(), "another String object: encoded again (no comparison of the text)");
        assertArrayEquals("close".getBytes(StandardCharsets.UTF_8), cells.of(1, "close", encode), "columns apart");
        assertArrayEquals(first, cells.of(0, sameText, encode));
        assertEquals(3, calls.get());
    }
}
