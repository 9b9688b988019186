package dev.teardown.timewait;

import dev.teardown.decode.Addresses;
import dev.teardown.teardown.Connection;

/**
 * A server endpoint (address in the decoder's two-long form, and port) as the timeline's maps key it: ordered
 * (IPv4 before IPv6, then address and port, numerically), so that a hash map of endpoints an attacker chose to
 * collide stays O(log n) per lookup (tree bins), and hashed by hand, being hashed several times per connection.
 */
final class ServerKey implements Comparable<ServerKey> {
    final int ipVersion;
    final long hi;
    final long lo;
    final int port;

    ServerKey(int ipVersion, long hi, long lo, int port) {
        this.ipVersion = ipVersion;
        this.hi = hi;
        this.lo = lo;
        this.port = port;
    }

    /** The server endpoint of {@code c}. */
    static ServerKey of(Connection<?> c) {
        return new ServerKey(c.ipVersion(), c.serverHi(), c.serverLo(), c.serverPort());
    }

    /** The address as outputs write it (RFC 5952 for IPv6). */
    String ip() {
        return Addresses.format(ipVersion, hi, lo);
    }

    @Override
    public int compareTo(ServerKey o) {
        int c = Integer.compare(ipVersion, o.ipVersion);
        if (c == 0) c = Long.compareUnsigned(hi, o.hi);
        if (c == 0) c = Long.compareUnsigned(lo, o.lo);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKey k && k.lo == lo && k.port == port && k.hi == hi && k.ipVersion == ipVersion;
    }

    @Override
    public int hashCode() {
        long h = lo * 0x9e3779b97f4a7c15L + hi * 31 + port * 0xc2b2ae3d27d4eb4fL + ipVersion;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return Addresses.endpoint(ipVersion, ip(), port);
    }
}
