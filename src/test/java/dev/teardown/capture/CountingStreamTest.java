package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The count of bytes taken from a file, whichever way they are taken. */
class CountingStreamTest {
    @Test
    void countsSingleBytesBlocksAndSkipsButNotTheEnd() throws IOException {
        CountingStream in = new CountingStream(new ByteArrayInputStream(new byte[100]));
        in.read();
        assertEquals(1, in.count());
        assertEquals(40, in.read(new byte[40], 0, 40));
        assertEquals(41, in.count());
        assertEquals(9, in.skip(9));
        assertEquals(50, in.count());
        assertEquals(50, in.readAllBytes().length);
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(new byte[10], 0, 10));
        assertEquals(100, in.count());
    }

    @Test
    void markIsRefusedSoNoByteIsCountedTwice() {
        assertFalse(new CountingStream(new ByteArrayInputStream(new byte[1])).markSupported());
    }
}
