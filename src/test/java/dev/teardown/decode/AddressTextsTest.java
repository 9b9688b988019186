package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Remembered address texts: always what Addresses.format writes, and one String for an address seen lately. */
class AddressTextsTest {

    @Test
    void everyAddressReadsAsAddressesFormatsItThroughCollisionsAndBothVersions() {
        AddressTexts texts = new AddressTexts();
        Random random = new Random(7);
        long[][] seen = new long[4 * AddressTexts.SLOTS][];
        for (int i = 0; i < seen.length; i++) {
            boolean v6 = random.nextBoolean();
            seen[i] = new long[] {v6 ? 6 : 4, v6 ? random.nextLong() : 0, v6 ? random.nextLong() : random.nextInt() & 0xffff_ffffL};
        }
        for (int round = 0; round < 3; round++) {
            for (long[] a : seen) {
                assertEquals(Addresses.format((int) a[0], a[1], a[2]), texts.format((int) a[0], a[1], a[2]));
            }
        }
        // The same low bits as an IPv4 address and as an IPv6 one are two texts.
        assertEquals("0.0.0.1", texts.format(4, 0, 1));
        assertEquals("::1", texts.format(6, 0, 1));
    }

    @Test
    void anAddressSeenLatelyIsTheSameString() {
        AddressTexts texts = new AddressTexts();
        assertSame(texts.format(4, 0, 0x7f000001L), texts.format(4, 0, 0x7f000001L));
    }
}
