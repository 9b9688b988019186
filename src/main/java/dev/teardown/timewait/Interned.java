package dev.teardown.timewait;

import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.ServerEndpoint;

/**
 * The keys the stage's parts count by, one object per server endpoint, host or client and server pair seen lately:
 * direct-mapped tables of the last ones made, so the connections of one server or client share a key instead of
 * each making its own.
 * A slot two keys share only makes a key again (no chain to flood). Memory: {@link #SLOTS} keys of each kind.
 * Not thread-safe: one per stage.
 */
final class Interned {
    static final int SLOTS = 256;
    private final ServerEndpoint[] servers = new ServerEndpoint[SLOTS];
    private final Host[] hosts = new Host[SLOTS];
    private final ClientServer[] pairs = new ClientServer[SLOTS];

    private static int slot(int ipVersion, long hi, long lo, int port) {
        long h = lo * 0x9e3779b97f4a7c15L + hi * 31 + ipVersion + port * 0x51_7cc1_b727_220aL;
        return (int) (h ^ h >>> 29) & (SLOTS - 1);
    }

    /** The server endpoint of {@code c}. */
    ServerEndpoint server(ConnectionView c) {
        return server(c.ipVersion(), c.serverHi(), c.serverLo(), c.serverPort());
    }

    /**
     * The server endpoint of {@code c}, whose state is {@code s}: looked up once per connection and kept on the state,
     * so a later event about it reads neither the connection's addresses nor a table (on a parallel run's merger,
     * both are out of its cache).
     */
    ServerEndpoint server(ConnectionView c, TimeWaitState s) {
        ServerEndpoint e = s.server;
        if (e == null) s.server = e = server(c);
        return e;
    }

    /** The client host of {@code c}, whose state is {@code s}, kept on the state as {@link #server(ConnectionView, TimeWaitState)}. */
    Host client(ConnectionView c, TimeWaitState s) {
        Host h = s.client;
        if (h == null) s.client = h = client(c);
        return h;
    }

    /** The server host of {@code c}, whose state is {@code s}, kept on the state as {@link #server(ConnectionView, TimeWaitState)}. */
    Host serverHost(ConnectionView c, TimeWaitState s) {
        Host h = s.serverHost;
        if (h == null) {
            ServerEndpoint e = s.server; // most often known by now: then the connection is not read
            s.serverHost = h = e != null ? host(e.ipVersion(), e.hi(), e.lo()) : serverHost(c);
        }
        return h;
    }

    /** The server endpoint {@code port} on address {@code (v, hi, lo)}. */
    ServerEndpoint server(int v, long hi, long lo, int port) {
        int slot = slot(v, hi, lo, port);
        ServerEndpoint e = servers[slot];
        if (e == null || e.lo() != lo || e.hi() != hi || e.port() != port || e.ipVersion() != v) {
            servers[slot] = e = new ServerEndpoint(v, hi, lo, port);
        }
        return e;
    }

    /** The client host of {@code c}. */
    Host client(ConnectionView c) {
        return host(c.ipVersion(), c.clientHi(), c.clientLo());
    }

    /** The server host of {@code c}. */
    Host serverHost(ConnectionView c) {
        return host(c.ipVersion(), c.serverHi(), c.serverLo());
    }

    /**
     * The pair of {@code client} and {@code server}, keys of this table: the same object as last time for the same
     * two keys, so the timeline's counters find it by identity (no record made per connection with a client TIME_WAIT).
     */
    ClientServer pair(Host client, ServerEndpoint server) {
        int slot = (slot(client.ipVersion(), client.hi(), client.lo(), server.port()) * 31 + (int) server.lo()) & (SLOTS - 1);
        ClientServer p = pairs[slot];
        if (p == null || p.client() != client || p.server() != server) pairs[slot] = p = new ClientServer(client, server);
        return p;
    }

    /** The host of address {@code (v, hi, lo)}. */
    Host host(int v, long hi, long lo) {
        int slot = slot(v, hi, lo, -1);
        Host h = hosts[slot];
        if (h == null || h.lo() != lo || h.hi() != hi || h.ipVersion() != v) hosts[slot] = h = new Host(v, hi, lo);
        return h;
    }
}
