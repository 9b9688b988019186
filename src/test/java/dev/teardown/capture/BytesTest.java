package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The byte-order helper agrees with {@link ByteBuffer} in both orders, at every offset, for every bit pattern. */
class BytesTest {
    @Test
    void readsAgreeWithByteBufferInBothOrders() {
        Random random = new Random(7323);
        byte[] b = new byte[64];
        for (int trial = 0; trial < 1_000; trial++) {
            random.nextBytes(b);
            int i = random.nextInt(b.length - 8);
            ByteBuffer big = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
            ByteBuffer little = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Short.toUnsignedInt(big.getShort(i)), Bytes.uint16(b, i));
            assertEquals(big.getInt(i), Bytes.int32(b, i));
            assertEquals(big.getLong(i), Bytes.int64(b, i));
            for (boolean bigEndian : new boolean[] {true, false}) {
                ByteBuffer expected = bigEndian ? big : little;
                assertEquals(Short.toUnsignedInt(expected.getShort(i)), Bytes.uint16(b, i, bigEndian));
                assertEquals(expected.getInt(i), Bytes.int32(b, i, bigEndian));
                assertEquals(Integer.toUnsignedLong(expected.getInt(i)), Bytes.uint32(b, i, bigEndian));
                assertEquals(expected.getLong(i), Bytes.int64(b, i, bigEndian));
            }
        }
    }

    @Test
    void writesAgreeWithByteBufferInBothOrders() {
        Random random = new Random(5952);
        for (int trial = 0; trial < 1_000; trial++) {
            int value = random.nextInt();
            for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
                byte[] written = new byte[6];
                Bytes.putInt32(written, 1, value, order == ByteOrder.BIG_ENDIAN);
                assertArrayEquals(ByteBuffer.allocate(6).order(order).putInt(1, value).array(), written);
            }
        }
    }
}
