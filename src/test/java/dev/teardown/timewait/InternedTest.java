package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.teardown.teardown.ServerEndpoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stage's shared keys: equal to freshly made ones always, and one object for a key seen lately. */
class InternedTest {

    @Test
    void everyKeyEqualsAFreshOneThroughCollisionsAndVersions() {
        Interned interned = new Interned();
        Random random = new Random(3);
        for (int i = 0; i < 8 * Interned.SLOTS; i++) {
            int v = random.nextBoolean() ? 4 : 6;
            long hi = v == 6 ? random.nextLong() : 0;
            long lo = v == 6 ? random.nextLong() : random.nextInt(16) & 0xffff_ffffL; // few IPv4 hosts, many ports
            int port = random.nextInt(65536);
            assertEquals(new ServerEndpoint(v, hi, lo, port), interned.server(v, hi, lo, port));
            assertEquals(new Host(v, hi, lo), interned.host(v, hi, lo));
        }
        assertEquals(new Host(6, 0, 1), interned.host(6, 0, 1));
        assertEquals(new Host(4, 0, 1), interned.host(4, 0, 1));
    }

    @Test
    void aKeySeenLatelyIsTheSameObject() {
        Interned interned = new Interned();
        assertSame(interned.server(4, 0, 0x7f000001L, 80), interned.server(4, 0, 0x7f000001L, 80));
        assertSame(interned.host(6, 1, 2), interned.host(6, 1, 2));
    }
}
