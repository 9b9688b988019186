package dev.teardown.decode;

import static dev.teardown.decode.TestPackets.ETHERTYPE_IPV4;
import static dev.teardown.decode.TestPackets.ETHERTYPE_IPV6;
import static dev.teardown.decode.TestPackets.PROTO_TCP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;
import dev.teardown.capture.PacketSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The flow hash that spreads connections over threads: both directions alike on every link type and IP version,
 * never anything past the captured bytes, and an even spread.
 */
class FlowHashTest {
    private static final FlowHash HASH = FlowHash.keyed(0x243f6a8885a308d3L);
    private static TcpSegment decode(int linkType, byte[] bytes) {
        TcpSegment s = new TcpSegment();
        assertEquals(PacketDecoder.Result.TCP, new PacketDecoder(new DecodeStats()).decode(TestPackets.frame(linkType, bytes), s));
        return s;
    }

    /** One segment each way between the same two endpoints, framed by {@code frame}. */
    private static void bothWaysAlike(int linkType, boolean v6, Function<byte[], byte[]> frame) {
        String a = v6 ? "2001:db8::1" : "192.0.2.1";
        String b = v6 ? "2001:db8:0:1::80" : "198.51.100.7";
        byte[] out = TestPackets.tcp(40_000, 80, 1, 2, TcpSegment.ACK, new byte[0], TestPackets.ascii("GET"));
        byte[] back = TestPackets.tcp(80, 40_000, 2, 4, TcpSegment.ACK, new byte[0], new byte[0]);
        byte[] there = v6 ? TestPackets.ipv6(a, b, PROTO_TCP, out) : TestPackets.ipv4(a, b, PROTO_TCP, out);
        byte[] here = v6 ? TestPackets.ipv6(b, a, PROTO_TCP, back) : TestPackets.ipv4(b, a, PROTO_TCP, back);
        TcpSegment x = decode(linkType, frame.apply(there));
        TcpSegment y = decode(linkType, frame.apply(here));
        assertEquals(HASH.of(x), HASH.of(y));
        for (int n = 1; n <= 64; n++) assertEquals(HASH.worker(x, n), HASH.worker(y, n));
    }

    @Test
    void bothDirectionsOfAConnectionHashAlikeOnEveryLinkTypeAndIpVersion() {
        for (boolean v6 : new boolean[] {false, true}) {
            int ethertype = v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
            bothWaysAlike(LinkTypes.ETHERNET, v6, ip -> TestPackets.ethernet(ethertype, ip));
            bothWaysAlike(LinkTypes.ETHERNET, v6, ip -> TestPackets.ethernet(ethertype, ip, 0x8100));
            bothWaysAlike(LinkTypes.ETHERNET, v6, ip -> TestPackets.ethernet(ethertype, ip, 0x88a8, 0x8100));
            bothWaysAlike(LinkTypes.LINUX_SLL, v6, ip -> TestPackets.sll(ethertype, ip));
            bothWaysAlike(LinkTypes.LINUX_SLL2, v6, ip -> TestPackets.sll2(ethertype, ip));
            bothWaysAlike(LinkTypes.NULL, v6, ip -> TestPackets.loopback(v6 ? 24 : 2, false, ip));
            bothWaysAlike(LinkTypes.RAW, v6, ip -> ip);
        }
    }

    @Test
    void theTunnelContextIsHashedAndStillTheSameBothWays() {
        byte[] tcp = TestPackets.tcp(40_000, 80, 1, 2, TcpSegment.ACK, new byte[0], new byte[0]);
        byte[] back = TestPackets.tcp(80, 40_000, 2, 1, TcpSegment.ACK, new byte[0], new byte[0]);
        TcpSegment ab = decode(LinkTypes.RAW, TestPackets.ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcp));
        TcpSegment ba = decode(LinkTypes.RAW, TestPackets.ipv4("10.0.0.2", "10.0.0.1", PROTO_TCP, back));
        long plain = HASH.of(ab);
        ab.tunnelId = 42;
        ba.tunnelId = 42;
        assertEquals(HASH.of(ab), HASH.of(ba));
        assertNotEquals(plain, HASH.of(ab));
        ba.tunnelId = 43;
        assertNotEquals(HASH.of(ab), HASH.of(ba));
    }

    @Test
    void anIpv6SegmentBehindExtensionHeadersAndAnAtomicFragmentHashesLikeThePlainOne() {
        byte[] tcp = TestPackets.tcp(40_000, 80, 1, 2, TcpSegment.ACK, new byte[0], new byte[0]);
        byte[] plain = TestPackets.ipv6("2001:db8::1", "2001:db8::2", PROTO_TCP, tcp);
        byte[] wrapped = TestPackets.ipv6("2001:db8::1", "2001:db8::2", 0, TestPackets.concat(
            TestPackets.extension(60, 1), TestPackets.extension(44, 2), TestPackets.fragmentHeader(PROTO_TCP, 0, false), tcp));
        assertEquals(HASH.of(decode(LinkTypes.RAW, plain)), HASH.of(decode(LinkTypes.RAW, wrapped)));
    }

    @Test
    void swappingTheEndsOfAnyTupleKeepsItsHashAndChangingAnyFieldChangesIt() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            TcpSegment s = new TcpSegment();
            boolean v6 = random.nextBoolean();
            s.srcHi = v6 ? random.nextLong() : 0;
            s.srcLo = v6 ? random.nextLong() : random.nextLong() & 0xffff_ffffL;
            s.dstHi = v6 ? random.nextLong() : 0;
            s.dstLo = v6 ? random.nextLong() : random.nextLong() & 0xffff_ffffL;
            s.srcPort = random.nextInt(65_536);
            s.dstPort = random.nextInt(65_536);
            long h = HASH.of(s);
            TcpSegment r = new TcpSegment();
            r.srcHi = s.dstHi;
            r.srcLo = s.dstLo;
            r.dstHi = s.srcHi;
            r.dstLo = s.srcLo;
            r.srcPort = s.dstPort;
            r.dstPort = s.srcPort;
            assertEquals(h, HASH.of(r));
            r.srcPort ^= 1;
            assertNotEquals(h, HASH.of(r), "a port is part of the tuple");
            r.srcPort ^= 1;
            r.dstLo ^= 1L << random.nextInt(v6 ? 64 : 32);
            assertNotEquals(h, HASH.of(r), "an address is part of the tuple");
        }
    }

    @Test
    void aFrameCutAnywhereIsHashedOnlyFromItsCapturedBytes() {
        SplittableRandom random = new SplittableRandom(2);
        for (TestPackets.Sample sample : TestPackets.catalogue()) {
            byte[] whole = sample.bytes();
            Integer wholeWorker = null;
            TcpSegment s = new TcpSegment();
            PacketDecoder decoder = new PacketDecoder(new DecodeStats());
            if (decoder.decode(TestPackets.frame(sample.linkType(), whole), s) == PacketDecoder.Result.TCP) {
                wholeWorker = HASH.worker(s, 7);
            }
            for (int cut = 0; cut <= whole.length; cut++) {
                Integer seen = null;
                for (int fill = 0; fill < 3; fill++) {
                    // The frame's bytes up to the cut, then garbage the hash must never see.
                    byte[] buffer = new byte[whole.length + 16];
                    random.nextBytes(buffer);
                    System.arraycopy(whole, 0, buffer, 0, cut);
                    Frame f = new Frame();
                    f.set(buffer, 0, cut, whole.length, 1L, sample.linkType(), 0);
                    if (decoder.decode(f, s) != PacketDecoder.Result.TCP) continue;
                    int worker = HASH.worker(s, 7);
                    if (seen != null) assertEquals(seen, worker, sample + " cut at " + cut);
                    seen = worker;
                    assertEquals(wholeWorker, worker, sample + " cut at " + cut + ": a segment's tuple is in its headers");
                }
            }
        }
    }

    @Test
    void everySegmentOfEveryConnectionInTheSamplesGoesToOneWorker() throws IOException {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            captures = walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        int connections = 0;
        for (Path p : captures) {
            Map<String, Integer> workers = new HashMap<>();
            try (PacketSource source = CaptureFiles.open(p)) {
                Frame f = new Frame();
                TcpSegment s = new TcpSegment();
                PacketDecoder decoder = new PacketDecoder(new DecodeStats());
                while (source.next(f)) {
                    if (decoder.decode(f, s) != PacketDecoder.Result.TCP) continue;
                    String a = s.srcHi + "/" + s.srcLo + ":" + s.srcPort;
                    String b = s.dstHi + "/" + s.dstLo + ":" + s.dstPort;
                    // A connection is its 4-tuple in its tunnel context (two VXLAN VNIs carry one tuple).
                    String tuple = (a.compareTo(b) < 0 ? a + " " + b : b + " " + a) + " " + s.tunnelId;
                    Integer before = workers.putIfAbsent(tuple, HASH.worker(s, 3));
                    if (before != null) assertEquals(before, HASH.worker(s, 3), p + " " + tuple);
                }
            }
            connections += workers.size();
        }
        assertTrue(connections > 50, "tuples checked: " + connections);
    }

    @Test
    void everyKeyKeepsBothDirectionsTogetherAndAnotherKeyDealsTheConnectionsOtherwise() {
        SplittableRandom random = new SplittableRandom(3);
        FlowHash[] hashes = {FlowHash.random(), FlowHash.random(), FlowHash.keyed(1), FlowHash.keyed(2)};
        int[] moved = new int[hashes.length];
        for (int i = 0; i < 1_000; i++) {
            TcpSegment s = new TcpSegment();
            s.srcLo = random.nextLong() & 0xffff_ffffL;
            s.dstLo = random.nextLong() & 0xffff_ffffL;
            s.srcPort = random.nextInt(65_536);
            s.dstPort = random.nextInt(65_536);
            TcpSegment r = new TcpSegment();
            r.srcLo = s.dstLo;
            r.dstLo = s.srcLo;
            r.srcPort = s.dstPort;
            r.dstPort = s.srcPort;
            for (int h = 0; h < hashes.length; h++) {
                assertEquals(hashes[h].worker(s, 4), hashes[h].worker(r, 4));
                if (hashes[h].worker(s, 4) != HASH.worker(s, 4)) moved[h]++;
            }
        }
        // Unrelated keys agree on a connection's worker a quarter of the time, by chance.
        for (int m : moved) assertTrue(m > 600 && m < 900, "moved " + java.util.Arrays.toString(moved));
    }

    @Test
    void connectionsSpreadEvenlyEvenWhenOnlyTheClientPortChanges() {
        for (int n : new int[] {2, 3, 4, 16}) {
            int[] counts = new int[n];
            TcpSegment s = new TcpSegment();
            s.srcLo = 0x0a000001L;
            s.dstLo = 0x0a000002L;
            s.dstPort = 80;
            int total = 60_000;
            for (int port = 1024; port < 1024 + total; port++) {
                s.srcPort = port;
                int w = HASH.worker(s, n);
                assertTrue(w >= 0 && w < n);
                counts[w]++;
            }
            for (int c : counts) {
                assertTrue(Math.abs(c - total / (double) n) < total * 0.02, n + " workers: " + java.util.Arrays.toString(counts));
            }
        }
    }
}
