package dev.teardown.teardown;

import dev.teardown.decode.Addresses;

/**
 * How many connections of one server endpoint each side holds in TIME-WAIT at a moment.
 *
 * @param key the server address and port
 * @param client connections whose client side holds TIME-WAIT
 * @param server connections whose server side holds TIME-WAIT
 */
public record ServerTimeWait(Key key, long client, long server) {

    /**
     * A server endpoint: address (in the decoder's two-long form) and port. Comparable, so a hash map of
     * endpoints an attacker chose to collide stays O(log n) per lookup (tree bins).
     */
    public record Key(int ipVersion, long hi, long lo, int port) implements Comparable<Key> {
        /** The server endpoint of {@code c}. */
        public static Key of(Connection<?> c) {
            return new Key(c.ipVersion(), c.serverHi(), c.serverLo(), c.serverPort());
        }

        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(ipVersion, o.ipVersion);
            if (c == 0) c = Long.compareUnsigned(hi, o.hi);
            if (c == 0) c = Long.compareUnsigned(lo, o.lo);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }

    /** Sockets held in TIME-WAIT by either side (a simultaneous close counts twice, as the kernels do). */
    public long total() {
        return client + server;
    }

    /** The endpoint as {@code ip:port}, or {@code [ip]:port} for IPv6. */
    public String endpoint() {
        return Addresses.endpoint(key.ipVersion(), Addresses.format(key.ipVersion(), key.hi(), key.lo()), key.port());
    }
}
