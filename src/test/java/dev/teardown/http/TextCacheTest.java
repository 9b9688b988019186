package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Header texts shared across connections: the same characters give the same String, other characters their own. */
class TextCacheTest {

    private static String of(TextCache cache, String text) {
        byte[] b = (text + "garbage after the length").getBytes(StandardCharsets.US_ASCII);
        return cache.of(b, text.length());
    }

    @Test
    void theSameTextFromTwoBuffersIsOneString() {
        TextCache cache = new TextCache();
        String first = of(cache, "keep-alive");
        String second = of(cache, "keep-alive");
        assertEquals("keep-alive", first);
        assertSame(first, second);
    }

    @Test
    void differentTextsStayDifferentEvenWhenTheyShareASlot() {
        TextCache cache = new TextCache();
        // More texts than slots: some share a slot and replace each other; each still reads back exactly.
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3 * TextCache.SLOTS; i++) assertEquals("timeout=" + i, of(cache, "timeout=" + i));
        }
        assertNotSame(of(cache, "close"), of(cache, "keep-alive"));
        assertEquals("", cache.of(new byte[0], 0));
    }
}
