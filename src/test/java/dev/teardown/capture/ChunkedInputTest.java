package dev.teardown.capture;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkedInputTest {

    private static byte[] counting(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    @Test
    void requestsKeepBytesContiguousAcrossCompaction() throws IOException {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(counting(1000)), "t", 16);
        for (int offset = 0; offset + 10 <= 1000; offset += 10) {
            assertTrue(in.request(10));
            assertEquals(offset, in.offset());
            for (int i = 0; i < 10; i++) {
                assertEquals((byte) (offset + i), in.buffer()[in.pos() + i]);
            }
            in.skip(10);
        }
        assertFalse(in.request(1));
        assertEquals(0, in.available());
    }

    @Test
    void requestLargerThanTheBufferGrowsIt() throws IOException {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(counting(100)), "t", 16);
        in.request(4);
        in.skip(3);

        assertTrue(in.request(90));
        assertEquals(3, in.offset());
        assertEquals((byte) 92, in.buffer()[in.pos() + 89]);
    }

    @Test
    void hugeRequestOnAShortStreamGrowsTheBufferOnlyAsFarAsTheDataGo() throws IOException {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(counting(1000)), "t", 16);

        assertFalse(in.request(60 << 20));
        assertEquals(1000, in.available());
        assertTrue(in.buffer().length <= 2048, "buffer of " + in.buffer().length + " bytes");
    }

    @Test
    void shortStreamLeavesWhatItHadAvailable() throws IOException {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(counting(7)), "t", 16);

        assertFalse(in.request(10));
        assertEquals(7, in.available());
    }

    @Test
    void discardSkipsPastTheBufferAndCountsWhatWasSkipped() throws IOException {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(counting(1000)), "t", 16);

        assertEquals(900, in.discard(900));
        assertEquals(900, in.offset());
        assertEquals(100, in.discard(500));
        assertEquals(1000, in.offset());
    }

    @Test
    void requestBeyondTheHardCapIsAFormatError() {
        ChunkedInput in = new ChunkedInput(new ByteArrayInputStream(new byte[0]), "t", 16);

        assertThrows(CaptureFormatException.class, () -> in.request(ChunkedInput.MAX_CAPACITY + 1));
    }

    @Test
    void streamThatEndsWithEofExceptionIsAShortStreamMarkedCutShort() throws IOException {
        InputStream gzipLike = new InputStream() {
            private int left = 5;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 1;
                }
                throw new EOFException("Unexpected end of ZLIB input stream");
            }
        };
        ChunkedInput in = new ChunkedInput(gzipLike, "t", 16);

        assertFalse(in.request(8));
        assertEquals(5, in.available());
        assertTrue(in.cutShort());
    }
}
