package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.ServerEndpoint;
import java.lang.reflect.Proxy;
import java.util.Map;
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
            Host client = interned.host(v, hi, lo + 1);
            ServerEndpoint server = interned.server(v, hi, lo, port);
            assertEquals(new ClientServer(new Host(v, hi, lo + 1), new ServerEndpoint(v, hi, lo, port)),
                interned.pair(client, server));
        }
        assertEquals(new Host(6, 0, 1), interned.host(6, 0, 1));
        assertEquals(new Host(4, 0, 1), interned.host(4, 0, 1));
    }

    @Test
    void aKeySeenLatelyIsTheSameObject() {
        Interned interned = new Interned();
        assertSame(interned.server(4, 0, 0x7f000001L, 80), interned.server(4, 0, 0x7f000001L, 80));
        assertSame(interned.host(6, 1, 2), interned.host(6, 1, 2));
        Host client = interned.host(4, 0, 0x0a000001L);
        ServerEndpoint server = interned.server(4, 0, 0x7f000001L, 80);
        assertSame(interned.pair(client, server), interned.pair(client, server));
    }

    @Test
    void aConnectionsKeysAreLookedUpOnceAndKeptOnItsStateTheServersHostFromItsEndpoint() {
        Interned interned = new Interned();
        TimeWaitState s = new TimeWaitState();
        ConnectionView c = view(Map.of("ipVersion", 4, "clientHi", 0L, "clientLo", 0x0a000001L, "serverHi", 0L,
            "serverLo", 0x0a000002L, "serverPort", 80));
        ServerEndpoint server = interned.server(c, s);
        Host client = interned.client(c, s);
        assertEquals(new ServerEndpoint(4, 0, 0x0a000002L, 80), server);
        assertEquals(new Host(4, 0, 0x0a000001L), client);
        // From now on the state answers: a view whose addresses cannot be read (a connection out of the cache of a
        // parallel run's merger) is not read.
        ConnectionView unreadable = view(Map.of());
        assertSame(server, interned.server(unreadable, s));
        assertSame(client, interned.client(unreadable, s));
        assertEquals(new Host(4, 0, 0x0a000002L), interned.serverHost(unreadable, s));
    }

    /** A connection that answers only {@code fields} (by method name) and fails on anything else. */
    private static ConnectionView view(Map<String, Object> fields) {
        return (ConnectionView) Proxy.newProxyInstance(ConnectionView.class.getClassLoader(),
            new Class<?>[] {ConnectionView.class}, (proxy, method, args) -> {
                Object v = fields.get(method.getName());
                if (v == null) throw new AssertionError("read " + method.getName());
                return v;
            });
    }
}
