package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The secret keys of the flow hashes: eight bytes of the kernel's random device, big-endian. */
class SecretSeedTest {
    @Test
    void eightBytesMakeTheKeyBigEndianAndAShortReadMakesNone() {
        assertEquals(0x0102030405060708L, SecretSeed.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertEquals(-1L, SecretSeed.fromBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
        assertEquals(SecretSeed.NONE, SecretSeed.fromBytes(new byte[7]), "the device ended early");
        assertEquals(SecretSeed.NONE, SecretSeed.fromBytes(new byte[0]));
    }

    @Test
    void everyKeyDrawnIsNew() {
        // Two equal keys out of 1,000 draws of 64 random bits: about one chance in 2^45.
        Set<Long> keys = new HashSet<>();
        for (int i = 0; i < 1_000; i++) keys.add(SecretSeed.next());
        assertEquals(1_000, keys.size());
    }
}
