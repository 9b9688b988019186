package dev.teardown.hostile;

import dev.teardown.hostile.PcapBuilder.Endpoint;

/**
 * Crafted captures of hostile traffic, each sized by one number n so that tests can compare the work done for
 * n, 2n and 4n. Packet times start at 2023-11-14T22:13:20Z and advance by a fixed step per packet.
 */
public final class HostileCaptures {
    private HostileCaptures() {}

    static final long START_NANOS = 1_700_000_000_000_000_000L;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;
    static final int FIN = 0x01;

    /** The server that floods, storms and short connections go to: 10.0.0.2:80. */
    static final Endpoint SERVER = Endpoint.v4(10, 0, 0, 2, 80);

    /** The client endpoint number {@code i}: addresses from 10.128.0.0 up, ports 1024..65023 cycling. */
    static Endpoint client(int i) {
        return Endpoint.v4(0x0a80_0000 + i / 64_000, 1024 + i % 64_000);
    }

    /** {@code n} half-open connections: one SYN from each of n client endpoints, never answered. */
    public static byte[] synFlood(int n) {
        PcapBuilder p = new PcapBuilder(n);
        for (int i = 0; i < n; i++) p.tcp(START_NANOS + i * 10_000L, client(i), SERVER, 1000 + i, 0, SYN);
        return p.toByteArray();
    }

    /**
     * A scan of {@code n} distinct server endpoints from one client: a SYN to each, answered by RST+ACK (the
     * port is closed); targets are 10.64.0.0 up, ports 1..65000.
     */
    public static byte[] portScan(int n) {
        PcapBuilder p = new PcapBuilder(2 * n);
        Endpoint scanner = Endpoint.v4(10, 0, 0, 1, 40_000);
        for (int i = 0; i < n; i++) {
            Endpoint target = Endpoint.v4(0x0a40_0000 + i / 65_000, 1 + i % 65_000);
            long t = START_NANOS + i * 20_000L;
            p.tcp(t, scanner, target, 7 * i, 0, SYN);
            p.tcp(t + 10_000, target, scanner, 0, 7 * i + 1, RST | ACK);
        }
        return p.toByteArray();
    }

    /**
     * {@code n} IPv6 connection attempts (SYN and SYN+ACK) from clients in 2001:db8:0:1::/64 to
     * [2001:db8::1]:80 whose flow keys all share one hash under the shipped, unkeyed flow hash
     * ({@link ShippedFlowHash}).
     */
    public static byte[] collidingFlows(int n) {
        PcapBuilder p = new PcapBuilder(2 * n);
        Endpoint server = Endpoint.v6(ShippedFlowHash.SERVER_HI, ShippedFlowHash.SERVER_LO, ShippedFlowHash.SERVER_PORT);
        for (int i = 0; i < n; i++) {
            Endpoint client = Endpoint.v6(ShippedFlowHash.CLIENT_HI, ShippedFlowHash.clientLo(i), ShippedFlowHash.CLIENT_PORT);
            long t = START_NANOS + i * 20_000L;
            p.tcp(t, client, server, 1000 + i, 0, SYN);
            p.tcp(t + 10_000, server, client, 5000 + i, 1001 + i, SYN | ACK);
        }
        return p.toByteArray();
    }

    /**
     * The same shape as {@link #collidingFlows} with clients numbered 1, 2, 3 ... in the same /64: what the
     * colliding flows cost when their keys do not collide.
     */
    public static byte[] sequentialFlows(int n) {
        PcapBuilder p = new PcapBuilder(2 * n);
        Endpoint server = Endpoint.v6(ShippedFlowHash.SERVER_HI, ShippedFlowHash.SERVER_LO, ShippedFlowHash.SERVER_PORT);
        for (int i = 0; i < n; i++) {
            Endpoint client = Endpoint.v6(ShippedFlowHash.CLIENT_HI, i + 1, ShippedFlowHash.CLIENT_PORT);
            long t = START_NANOS + i * 20_000L;
            p.tcp(t, client, server, 1000 + i, 0, SYN);
            p.tcp(t + 10_000, server, client, 5000 + i, 1001 + i, SYN | ACK);
        }
        return p.toByteArray();
    }

    /**
     * One established connection, then {@code n} RSTs from the client, each with a different sequence number
     * (an attacker guessing the window, or a broken middlebox): RFC 5961 section 3 challenge-ACK territory.
     */
    public static byte[] rstStorm(int n) {
        PcapBuilder p = new PcapBuilder(n + 3);
        Endpoint client = client(0);
        int c = 1000;
        int s = 5000;
        long t = START_NANOS;
        p.tcp(t, client, SERVER, c, 0, SYN);
        p.tcp(t + 1000, SERVER, client, s, c + 1, SYN | ACK);
        p.tcp(t + 2000, client, SERVER, c + 1, s + 1, ACK);
        for (int i = 0; i < n; i++) p.tcp(t + 3000 + i * 1000L, client, SERVER, c + 1 + 1 + i * 1460, 0, RST);
        return p.toByteArray();
    }

    /**
     * {@code n} complete, short connections one after another (handshake, client FIN, server FIN, last ACK),
     * 10 ms apart, from client endpoints {@link #client} 0..n-1: the traffic of a busy HTTP/1.0 client.
     */
    public static byte[] shortConnections(int n) {
        PcapBuilder p = new PcapBuilder(7 * n);
        for (int i = 0; i < n; i++) {
            Endpoint client = client(i);
            long t = START_NANOS + i * 10_000_000L;
            int c = 1000 + i;
            int s = 900_000 + i;
            p.tcp(t, client, SERVER, c, 0, SYN);
            p.tcp(t + 100_000, SERVER, client, s, c + 1, SYN | ACK);
            p.tcp(t + 200_000, client, SERVER, c + 1, s + 1, ACK);
            p.tcp(t + 300_000, client, SERVER, c + 1, s + 1, FIN | ACK);
            p.tcp(t + 400_000, SERVER, client, s + 1, c + 2, ACK);
            p.tcp(t + 500_000, SERVER, client, s + 1, c + 2, FIN | ACK);
            p.tcp(t + 600_000, client, SERVER, c + 2, s + 2, ACK);
        }
        return p.toByteArray();
    }
}
