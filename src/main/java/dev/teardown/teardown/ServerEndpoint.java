package dev.teardown.teardown;

import dev.teardown.decode.Addresses;

/**
 * A server endpoint: address (in the decoder's two-long form) and port, the key every per-endpoint table uses
 * (live status, TIME_WAIT timeline). Ordered (IPv4 before IPv6, then address and port, numerically), so a hash
 * map of endpoints an attacker chose to collide stays O(log n) per lookup (tree bins), and rows sort the same
 * way everywhere.
 *
 * @param ipVersion 4 or 6
 * @param hi the address's high 64 bits (0 for IPv4)
 * @param lo the address's low 64 bits
 * @param port the server port
 */
public record ServerEndpoint(int ipVersion, long hi, long lo, int port) implements Comparable<ServerEndpoint> {

    /** The server endpoint of {@code c}. */
    public static ServerEndpoint of(ConnectionView c) {
        return new ServerEndpoint(c.ipVersion(), c.serverHi(), c.serverLo(), c.serverPort());
    }

    /** The address as outputs write it (RFC 5952 for IPv6). */
    public String ip() {
        return Addresses.format(ipVersion, hi, lo);
    }

    /** {@code ip:port}, or {@code [ip]:port} for IPv6. */
    public String text() {
        return Addresses.endpoint(ipVersion, ip(), port);
    }

    @Override
    public int compareTo(ServerEndpoint o) {
        int c = Integer.compare(ipVersion, o.ipVersion);
        if (c == 0) c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) c = Long.compareUnsigned(lo, o.lo);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public int hashCode() {
        // By hand: hashed several times per connection (the timeline), and the record's default is slower.
        long h = lo * 0x9e3779b97f4a7c15L + hi * 31 + port * 0xc2b2ae3d27d4eb4fL + ipVersion;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerEndpoint k && k.lo == lo && k.port == port && k.hi == hi && k.ipVersion == ipVersion;
    }
}
