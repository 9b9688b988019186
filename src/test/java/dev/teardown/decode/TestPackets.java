package dev.teardown.decode;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Builders for hand-made frames, and a catalogue of named frames that every decoder test runs over. */
final class TestPackets {
    private TestPackets() {}

    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int PROTO_ICMP = 1;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int ETHERTYPE_ARP = 0x0806;

    /** NOP, NOP, timestamps (TSval 0x01020304, TSecr 0x0a0b0c0d): what Linux sends on every segment. */
    static final byte[] TIMESTAMP_OPTIONS = bytes(1, 1, 8, 10, 1, 2, 3, 4, 10, 11, 12, 13);
    /** A Linux SYN's options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
    static final byte[] SYN_OPTIONS = bytes(2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7);

    /** A named frame and what the decoder should make of it whole. */
    record Sample(String name, int linkType, byte[] bytes, PacketDecoder.Result expected, boolean pcap4jReads) {
        @Override
        public String toString() { return name; }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }

    static Frame frame(int linkType, byte[] bytes) {
        Frame frame = new Frame();
        frame.set(bytes, 0, bytes.length, bytes.length, 1_700_000_000_123_456_789L, linkType, 0);
        return frame;
    }

    /** A TCP header (data offset from the options, which must be padded to 4 bytes) and payload. */
    static byte[] tcp(int srcPort, int dstPort, int seq, int ack, int flags, byte[] options, byte[] payload) {
        if (options.length % 4 != 0) {
            throw new IllegalArgumentException("options must fill whole words");
        }
        int headerLength = 20 + options.length;
        byte[] h = new byte[20];
        put16(h, 0, srcPort);
        put16(h, 2, dstPort);
        put32(h, 4, seq);
        put32(h, 8, ack);
        h[12] = (byte) (headerLength / 4 << 4);
        h[13] = (byte) flags;
        put16(h, 14, 64240);
        return concat(h, options, payload);
    }

    static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, new byte[0], 0x4000, payload);
    }

    /** An IPv4 header with {@code options} (padded to 4 bytes by the caller) and the flags/fragment word. */
    static byte[] ipv4(String src, String dst, int protocol, byte[] options, int flagsAndOffset, byte[] payload) {
        int headerLength = 20 + options.length;
        byte[] h = new byte[20];
        h[0] = (byte) (0x40 | headerLength / 4);
        put16(h, 2, headerLength + payload.length);
        put16(h, 4, 0x1234);
        put16(h, 6, flagsAndOffset);
        h[8] = 64;
        h[9] = (byte) protocol;
        put32(h, 12, (int) TestAddresses.parse(4, src)[1]);
        put32(h, 16, (int) TestAddresses.parse(4, dst)[1]);
        return concat(h, options, payload);
    }

    /** An IPv6 header; {@code payload} starts with any extension headers, the first named by {@code next}. */
    static byte[] ipv6(String src, String dst, int next, byte[] payload) {
        byte[] h = new byte[40];
        h[0] = 0x60;
        put16(h, 4, payload.length);
        h[6] = (byte) next;
        h[7] = 64;
        long[] s = TestAddresses.parse(6, src);
        long[] d = TestAddresses.parse(6, dst);
        put64(h, 8, s[0]);
        put64(h, 16, s[1]);
        put64(h, 24, d[0]);
        put64(h, 32, d[1]);
        return concat(h, payload);
    }

    /** A generic-format extension header (hop-by-hop, routing, destination options) of {@code units} * 8 bytes. */
    static byte[] extension(int next, int units) {
        byte[] h = new byte[units * 8];
        h[0] = (byte) next;
        h[1] = (byte) (units - 1);
        if (units * 8 >= 4) {
            h[2] = 1; // a PadN option filling the rest
            h[3] = (byte) (units * 8 - 4);
        }
        return h;
    }

    /** An IPv6 fragment header: offset in 8-byte units, and the M flag. */
    static byte[] fragmentHeader(int next, int offsetUnits, boolean more) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        put16(h, 2, offsetUnits << 3 | (more ? 1 : 0));
        put32(h, 4, 0xcafe);
        return h;
    }

    /** An authentication header with {@code icvBytes} of integrity check value (a multiple of 4). */
    static byte[] authenticationHeader(int next, int icvBytes) {
        byte[] h = new byte[12 + icvBytes];
        h[0] = (byte) next;
        h[1] = (byte) ((12 + icvBytes) / 4 - 2);
        put32(h, 4, 0x100);
        put32(h, 8, 1);
        return h;
    }

    /** An Ethernet II frame, with 802.1Q-style tags (each given by its TPID) in front of {@code ethertype}. */
    static byte[] ethernet(int ethertype, byte[] payload, int... tagTypes) {
        byte[] h = new byte[14 + 4 * tagTypes.length];
        for (int i = 0; i < 12; i++) {
            h[i] = (byte) (i < 6 ? 0x02 : 0x04);
        }
        int p = 12;
        for (int i = 0; i < tagTypes.length; i++) {
            put16(h, p, tagTypes[i]);
            put16(h, p + 2, 100 + i); // the VLAN id
            p += 4;
        }
        put16(h, p, ethertype);
        return concat(h, payload);
    }

    /** A Linux cooked v1 header: packet type, ARPHRD_ETHER, address length 6, address, protocol. */
    static byte[] sll(int protocol, byte[] payload) {
        byte[] h = new byte[16];
        put16(h, 0, 4); // sent by us
        put16(h, 2, 1);
        put16(h, 4, 6);
        for (int i = 6; i < 12; i++) {
            h[i] = 0x02;
        }
        put16(h, 14, protocol);
        return concat(h, payload);
    }

    /** A Linux cooked v2 header: protocol, reserved, interface index, ARPHRD_ETHER, type, address. */
    static byte[] sll2(int protocol, byte[] payload) {
        byte[] h = new byte[20];
        put16(h, 0, protocol);
        put32(h, 4, 1);
        put16(h, 8, 1);
        h[10] = 0;
        h[11] = 6;
        for (int i = 12; i < 18; i++) {
            h[i] = 0x02;
        }
        return concat(h, payload);
    }

    /** A 4-byte loopback family header in either byte order. */
    static byte[] loopback(int family, boolean bigEndian, byte[] payload) {
        byte[] h = new byte[4];
        put32(h, 0, bigEndian ? family : Integer.reverseBytes(family));
        return concat(h, payload);
    }

    static final byte[] HTTP_GET = ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

    static byte[] tcpData() {
        return tcp(40000, 80, 0x11223344, 0x55667788, TcpSegment.ACK | TcpSegment.PSH, TIMESTAMP_OPTIONS, HTTP_GET);
    }

    static byte[] tcpSyn() {
        return tcp(40000, 80, 0xfffffff0, 0, TcpSegment.SYN | TcpSegment.ECE | TcpSegment.CWR, SYN_OPTIONS,
                new byte[0]);
    }

    static byte[] ipv4Tcp() { return ipv4("192.0.2.1", "198.51.100.7", PROTO_TCP, tcpData()); }

    static byte[] ipv6Tcp() { return ipv6("2001:db8::1", "2001:db8:0:1::80", PROTO_TCP, tcpData()); }

    /** Every hand-built frame; truncation, fuzz and oracle tests run over all of them. */
    static List<Sample> catalogue() {
        List<Sample> list = new ArrayList<>();
        PacketDecoder.Result tcp = PacketDecoder.Result.TCP;
        PacketDecoder.Result skipped = PacketDecoder.Result.SKIPPED;
        PacketDecoder.Result malformed = PacketDecoder.Result.MALFORMED;
        byte[] v4 = ipv4Tcp();
        byte[] v6 = ipv6Tcp();
        list.add(new Sample("ethernet ipv4 tcp", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4, v4), tcp, true));
        list.add(new Sample("ethernet ipv6 tcp", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV6, v6), tcp, true));
        list.add(new Sample("ethernet ipv4 syn", LinkTypes.ETHERNET,
                ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcpSyn())), tcp, true));
        list.add(new Sample("ethernet ipv4 padded to 60 bytes", LinkTypes.ETHERNET, concat(ethernet(ETHERTYPE_IPV4,
                ipv4("10.0.0.2", "10.0.0.1", PROTO_TCP, tcp(80, 40000, 7, 9, TcpSegment.ACK, new byte[0],
                        new byte[0]))), new byte[6]), tcp, true));
        list.add(new Sample("802.1Q ipv4 tcp", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4, v4, 0x8100), tcp, true));
        list.add(new Sample("QinQ 88a8+8100 ipv6 tcp", LinkTypes.ETHERNET,
                ethernet(ETHERTYPE_IPV6, v6, 0x88a8, 0x8100), tcp, false));
        list.add(new Sample("triple tag 9100+8100+8100 ipv4 tcp", LinkTypes.ETHERNET,
                ethernet(ETHERTYPE_IPV4, v4, 0x9100, 0x8100, 0x8100), tcp, false));
        list.add(new Sample("ethernet arp", LinkTypes.ETHERNET, ethernet(ETHERTYPE_ARP, new byte[28]), skipped, true));
        list.add(new Sample("ethernet ipv4 udp", LinkTypes.ETHERNET,
                ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.53", PROTO_UDP, new byte[16])), skipped, true));
        list.add(new Sample("ipv4 with options", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4,
                ipv4("10.1.1.1", "10.2.2.2", PROTO_TCP, bytes(0x94, 4, 0, 0, 1, 1, 1, 0), 0, tcpData())), tcp, true));
        list.add(new Sample("ipv4 first fragment", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4,
                ipv4("10.1.1.1", "10.2.2.2", PROTO_TCP, new byte[0], 0x2000, tcpData())), skipped, true));
        list.add(new Sample("ipv4 last fragment", LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4,
                ipv4("10.1.1.1", "10.2.2.2", PROTO_TCP, new byte[0], 185, new byte[24])), skipped, true));
        list.add(new Sample("sll ipv4 tcp", LinkTypes.LINUX_SLL, sll(ETHERTYPE_IPV4, v4), tcp, true));
        list.add(new Sample("sll ipv6 tcp", LinkTypes.LINUX_SLL, sll(ETHERTYPE_IPV6, v6), tcp, true));
        list.add(new Sample("sll2 ipv4 tcp", LinkTypes.LINUX_SLL2, sll2(ETHERTYPE_IPV4, v4), tcp, true));
        list.add(new Sample("sll2 ipv6 tcp", LinkTypes.LINUX_SLL2, sll2(ETHERTYPE_IPV6, v6), tcp, true));
        list.add(new Sample("null little-endian AF_INET", LinkTypes.NULL, loopback(2, false, v4), tcp, true));
        list.add(new Sample("null big-endian AF_INET", LinkTypes.NULL, loopback(2, true, v4), tcp, true));
        list.add(new Sample("null little-endian AF_INET6 30 (macOS)", LinkTypes.NULL, loopback(30, false, v6),
                tcp, true));
        list.add(new Sample("null big-endian AF_INET6 24 (OpenBSD)", LinkTypes.NULL, loopback(24, true, v6),
                tcp, true));
        list.add(new Sample("null AF_INET6 28 (FreeBSD)", LinkTypes.NULL, loopback(28, false, v6), tcp, true));
        list.add(new Sample("null AF_INET6 10 (Linux)", LinkTypes.NULL, loopback(10, false, v6), tcp, true));
        list.add(new Sample("null AF_UNSPEC", LinkTypes.NULL, loopback(0, false, v4), skipped, false));
        list.add(new Sample("loop AF_INET", LinkTypes.LOOP, loopback(2, true, v4), tcp, true));
        list.add(new Sample("loop AF_INET6", LinkTypes.LOOP, loopback(24, true, v6), tcp, true));
        list.add(new Sample("raw 101 ipv4", LinkTypes.RAW, v4, tcp, true));
        list.add(new Sample("raw 101 ipv6", LinkTypes.RAW, v6, tcp, true));
        list.add(new Sample("raw 12 ipv4", LinkTypes.RAW_12, v4, tcp, true));
        list.add(new Sample("raw 14 ipv6", LinkTypes.RAW_14, v6, tcp, true));
        list.add(new Sample("ipv4 link type 228", LinkTypes.IPV4, v4, tcp, true));
        list.add(new Sample("ipv6 link type 229", LinkTypes.IPV6, v6, tcp, true));
        list.add(new Sample("ipv6 on link type 228", LinkTypes.IPV4, v6, malformed, false));
        list.add(new Sample("ipv6 hop-by-hop, destination options, routing", LinkTypes.RAW,
                ipv6("fe80::1", "ff02::2", 0, concat(extension(60, 1), extension(43, 2), extension(PROTO_TCP, 1),
                        tcpData())), tcp, true));
        // pcap4j 1.8.2 reads AH's length in 8-octet units like other extension headers (RFC 4302 section 2.2
        // says 4-octet units minus 2), so it cannot be the oracle here.
        list.add(new Sample("ipv6 authentication header", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 51, concat(authenticationHeader(PROTO_TCP, 12), tcpData())),
                tcp, false));
        list.add(new Sample("ipv6 atomic fragment", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 44, concat(fragmentHeader(PROTO_TCP, 0, false), tcpData())),
                tcp, false));
        list.add(new Sample("ipv6 first fragment", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 44, concat(fragmentHeader(PROTO_TCP, 0, true), tcpData())),
                skipped, true));
        list.add(new Sample("ipv6 middle fragment", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 44, concat(fragmentHeader(PROTO_TCP, 185, true), new byte[16])),
                skipped, true));
        list.add(new Sample("ipv6 esp", LinkTypes.RAW, ipv6("2001:db8::a", "2001:db8::b", 50, new byte[32]),
                skipped, false));
        list.add(new Sample("ipv6 no next header after hop-by-hop", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 0, extension(59, 1)), skipped, false));
        list.add(new Sample("ipv6 icmpv6", LinkTypes.RAW, ipv6("::1", "::1", 58, bytes(128, 0, 0, 0, 0, 1, 0, 1)),
                skipped, true));
        list.add(new Sample("ipv4-mapped ipv6 tcp", LinkTypes.RAW,
                ipv6("::ffff:192.0.2.1", "::ffff:192.0.2.2", PROTO_TCP, tcpSyn()), tcp, true));
        list.add(new Sample("ipv6 hop-by-hop, options, routing, AH, atomic fragment, options", LinkTypes.RAW,
                ipv6("2001:db8::a", "2001:db8::b", 0, concat(extension(60, 1), extension(43, 3), extension(51, 2),
                        authenticationHeader(44, 4), fragmentHeader(60, 0, false), extension(PROTO_TCP, 2),
                        tcpData())), tcp, false));
        list.add(new Sample("tcp option with length 1", LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP,
                tcp(40000, 80, 1, 2, TcpSegment.ACK, bytes(1, 1, 5, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0),
                        HTTP_GET)), tcp, true));
        list.add(new Sample("ipv4 icmp", LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_ICMP, new byte[8]),
                skipped, true));
        return list;
    }

    static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }

    static void put64(byte[] b, int i, long v) {
        put32(b, i, (int) (v >>> 32));
        put32(b, i + 4, (int) v);
    }
}
