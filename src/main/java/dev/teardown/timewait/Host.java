package dev.teardown.timewait;

import dev.teardown.decode.Addresses;

/**
 * A host by its address: the unit the kernel's TIME_WAIT limit applies to ({@code tcp_max_tw_buckets} is per
 * network namespace, and a namespace is what one address is seen from). Ordered as {@link
 * dev.teardown.teardown.ServerEndpoint}: IPv4 before IPv6, then numerically.
 *
 * @param ipVersion 4 or 6
 * @param hi the address's high 64 bits (0 for IPv4)
 * @param lo the address's low 64 bits
 */
public record Host(int ipVersion, long hi, long lo) implements Comparable<Host> {

    /** The address as outputs write it (RFC 5952 for IPv6). */
    public String ip() {
        return Addresses.format(ipVersion, hi, lo);
    }

    @Override
    public int compareTo(Host o) {
        int c = Integer.compare(ipVersion, o.ipVersion);
        if (c == 0) c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public int hashCode() {
        long h = lo * 0x9e3779b97f4a7c15L + hi * 31 + ipVersion;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Host k && k.lo == lo && k.hi == hi && k.ipVersion == ipVersion;
    }
}
