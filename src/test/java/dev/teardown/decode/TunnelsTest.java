package dev.teardown.decode;

import static dev.teardown.decode.TestPackets.PROTO_TCP;
import static dev.teardown.decode.TestPackets.bytes;
import static dev.teardown.decode.TestPackets.concat;
import static dev.teardown.decode.TestPackets.ethernet;
import static dev.teardown.decode.TestPackets.frame;
import static dev.teardown.decode.TestPackets.ipv4;
import static dev.teardown.decode.TestPackets.ipv4Tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encapsulations against the crafted captures of samples/crafted (built packet by packet by samples/craft.py,
 * where each is described): the inner 4-tuple, the tunnel chain and key, truncation at every byte, and the header
 * rules that make a tunnelled packet malformed or skipped.
 */
class TunnelsTest {
    private static final Path CRAFTED = Path.of("samples/crafted");
    /** Where the outer UDP header ends in the crafted UDP tunnels (Ethernet 14, IPv4 20, UDP 8). */
    private static final int OUTER_UDP_END = 42;

    private final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder = new PacketDecoder(stats);
    private final TcpSegment out = new TcpSegment();

    static Stream<Arguments> crafted() {
        return Stream.of(
            Arguments.of("gre-key", "gre:1000", true),
            Arguments.of("gretap-vlan", "gre", true),
            Arguments.of("erspan2", "erspan2", false),
            Arguments.of("erspan3", "erspan3", false),
            Arguments.of("geneve", "geneve:7", true),
            Arguments.of("mpls", "mpls", false),
            Arguments.of("mpls-pw", "mpls", false),
            Arguments.of("gtpu", "gtpu", true),
            Arguments.of("ipip", "4in4", true),
            Arguments.of("ip4in6", "4in6", true),
            Arguments.of("pppoe", "pppoe", false),
            Arguments.of("nflog", "", false),
            Arguments.of("ppp", "", false),
            Arguments.of("vxlan-two-vnis", "vxlan:42", true));
    }

    private static List<TestCaptureReader.Record> read(String name) throws IOException {
        return TestCaptureReader.read(CRAFTED.resolve(name + ".pcap"));
    }

    private Result decode(TestCaptureReader.Record r) {
        return decoder.decode(frame(r.linkType(), r.bytes()), out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void everyPacketDecodesToTheInnerTupleWithItsTunnelChain(String name, String chain, boolean keyed) throws IOException {
        List<TestCaptureReader.Record> records = read(name);
        TestCaptureReader.Record first = records.get(0);
        assertEquals(Result.TCP, decode(first), name);
        assertEquals("10.0.0.1", Addresses.format(4, out.srcHi, out.srcLo));
        assertEquals("10.0.0.2", Addresses.format(4, out.dstHi, out.dstLo));
        assertEquals(80, out.dstPort);
        assertTrue(out.has(TcpSegment.SYN));
        assertEquals(chain, Tunnel.describe(out));
        // Keyed tunnels set a context; MPLS, PPPoE, ERSPAN and link types do not.
        assertEquals(keyed, out.tunnelId != 0, "tunnel id " + out.tunnelId);
        long clientToServer = out.tunnelId;
        // The answer (the SYN-ACK) comes back in the same context, whatever the encapsulation (GTP-U's TEID differs).
        assertEquals(Result.TCP, decode(records.get(1)));
        assertEquals(80, out.srcPort);
        assertEquals(clientToServer, out.tunnelId, "both directions share the tunnel context");
        for (TestCaptureReader.Record r : records) assertEquals(Result.TCP, decode(r), name);
        assertEquals(records.size() + 2, stats.tcpSegments());
    }

    @Test
    void twoVxlanVnisCarryingTheSameInnerTupleHaveDifferentContexts() throws IOException {
        List<TestCaptureReader.Record> records = read("vxlan-two-vnis");
        decode(records.get(0));
        long vni42 = out.tunnelId;
        assertEquals("vxlan:42", Tunnel.describe(out));
        decode(records.get(2));
        assertEquals("vxlan:43", Tunnel.describe(out));
        assertEquals(41040, out.srcPort);
        assertNotEquals(vni42, out.tunnelId);
        assertEquals(2, stats.tunnelled(Tunnel.VXLAN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void everyTruncationIsANamedSkipOrAnomalyNeverAReadPastTheCapture(String name, String chain, boolean keyed)
            throws IOException {
        for (TestCaptureReader.Record r : read(name).subList(0, 4)) {
            byte[] whole = r.bytes();
            assertEquals(Result.TCP, decode(r));
            int fullPayload = out.capturedPayloadLength;
            for (int cut = 0; cut < whole.length; cut++) {
                // The frame ends exactly at the end of its buffer: a read past the captured bytes would throw.
                byte[] buffer = java.util.Arrays.copyOf(whole, cut);
                Frame f = new Frame();
                f.set(buffer, 0, cut, whole.length, 0, r.linkType(), 0);
                long malformedBefore = DecodeTotals.malformed(stats);
                long notTcpBefore = stats.skipped(SkipReason.NOT_TCP);
                Result result = decoder.decode(f, out);
                String where = name + " cut at " + cut;
                if (result == Result.TCP) {
                    // Only options or payload may be missing, and only what the capture holds is payload.
                    assertEquals(Math.min(fullPayload, Math.max(0, cut - out.payloadOffset)), out.capturedPayloadLength, where);
                } else if (result == Result.SKIPPED) {
                    // Before the UDP port is seen nothing says the packet is a tunnel: it is UDP, not TCP.
                    assertTrue(cut < OUTER_UDP_END && stats.skipped(SkipReason.NOT_TCP) == notTcpBefore + 1, where);
                } else {
                    assertEquals(malformedBefore + 1, DecodeTotals.malformed(stats), where);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crafted")
    void mutatedTunnelFramesNeverThrow(String name, String chain, boolean keyed) throws IOException {
        Random random = new Random(name.hashCode());
        List<TestCaptureReader.Record> records = read(name);
        for (int i = 0; i < 3_000; i++) {
            TestCaptureReader.Record r = records.get(random.nextInt(records.size()));
            byte[] b = r.bytes().clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            decoder.decode(frame(r.linkType(), b), out);
            assertTrue(out.tunnelDepth <= Tunnel.MAX_DEPTH);
        }
        assertEquals(stats.packets(), stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
    }

    /** {@code depth} IPv4-in-IPv4 headers around a TCP packet, in an Ethernet frame. */
    private static byte[] nested(int depth) {
        byte[] p = ipv4Tcp();
        for (int i = 0; i < depth; i++) p = ipv4("192.0.2." + (i + 10), "192.0.2." + (i + 100), 4, p);
        return ethernet(0x0800, p);
    }

    @Test
    void eightLayersDecodeAndANinthIsSkippedAsTooDeep() {
        assertEquals(Result.TCP, decoder.decode(frame(LinkTypes.ETHERNET, nested(Tunnel.MAX_DEPTH)), out));
        assertEquals(String.join(">", java.util.Collections.nCopies(8, "4in4")), Tunnel.describe(out));
        assertEquals(Result.SKIPPED, decoder.decode(frame(LinkTypes.ETHERNET, nested(Tunnel.MAX_DEPTH + 1)), out));
        assertEquals(1, stats.skipped(SkipReason.TUNNEL_TOO_DEEP));
    }

    @Test
    void theSameInnerTupleBetweenOtherTunnelEndsHasAnotherContext() {
        byte[] inner = ipv4Tcp();
        decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 4, inner))), out);
        long ab = out.tunnelId;
        decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4("192.0.2.2", "192.0.2.1", 4, inner))), out);
        assertEquals(ab, out.tunnelId, "the pair of ends is unordered");
        decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.3", 4, inner))), out);
        assertNotEquals(ab, out.tunnelId);
    }

    private Result greCarrying(int flagsAndVersion, int protocol, byte[] payload) {
        byte[] gre = concat(bytes(flagsAndVersion >>> 8, flagsAndVersion & 0xff, protocol >>> 8, protocol & 0xff), payload);
        return decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 47, gre))), out);
    }

    @Test
    void greRulesPayloadsNotDecodedAreSkippedByName() {
        assertEquals(Result.TCP, greCarrying(0, 0x0800, ipv4Tcp()));
        assertEquals("gre", Tunnel.describe(out));
        assertEquals(Result.SKIPPED, greCarrying(0, 0x880b, new byte[8])); // PPP
        assertEquals(Result.SKIPPED, greCarrying(0x0001, 0x880b, new byte[8])); // version 1: PPTP
        assertEquals(Result.SKIPPED, greCarrying(0x4000, 0x0800, ipv4Tcp())); // RFC 1701 routing
        assertEquals(3, stats.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN));
        assertEquals(Result.MALFORMED, greCarrying(0x2000, 0x0800, bytes(0, 0))); // key announced, cut
        assertEquals(1, stats.count(Anomaly.TRUNCATED_TUNNEL_HEADER));
    }

    private Result udpTo(int port, byte[] payload) {
        byte[] udp = concat(bytes(0xc0, 0, port >>> 8, port & 0xff, 0, 8 + payload.length, 0, 0), payload);
        return decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4("192.0.2.1", "192.0.2.2", 17, udp))), out);
    }

    @Test
    void udpTunnelHeadersThatBreakTheirRulesAreBadTunnelHeader() {
        byte[] innerFrame = ethernet(0x0800, ipv4Tcp());
        assertEquals(Result.TCP, udpTo(4789, concat(bytes(0x08, 0, 0, 0, 0, 0, 5, 0), innerFrame)));
        assertEquals("vxlan:5", Tunnel.describe(out));
        assertEquals(Result.TCP, udpTo(8472, concat(bytes(0x08, 0, 0, 0, 0, 0, 5, 0), innerFrame)), "Linux's default port");
        assertEquals(Result.MALFORMED, udpTo(4789, concat(bytes(0, 0, 0, 0, 0, 0, 5, 0), innerFrame))); // no I flag
        assertEquals(Result.MALFORMED, udpTo(6081, concat(bytes(0x40, 0, 0x65, 0x58, 0, 0, 1, 0), innerFrame))); // version 1
        assertEquals(Result.MALFORMED, udpTo(2152, concat(bytes(0x50, 0xff, 0, 0, 0, 0, 0, 1), ipv4Tcp()))); // GTPv2
        assertEquals(Result.MALFORMED, udpTo(2152, concat(bytes(0x24, 0xff, 0, 0, 0, 0, 0, 1), ipv4Tcp()))); // GTP'
        assertEquals(5, stats.count(Anomaly.BAD_TUNNEL_HEADER) + 1);
        assertEquals(Result.SKIPPED, udpTo(2152, bytes(0x32, 1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0))); // echo request
        assertEquals(Result.SKIPPED, udpTo(6081, concat(bytes(0, 0, 0x88, 0x47, 0, 0, 1, 0), innerFrame))); // MPLS in Geneve
        assertEquals(2, stats.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN));
        assertEquals(Result.SKIPPED, udpTo(53, new byte[12]));
        assertEquals(1, stats.skipped(SkipReason.NOT_TCP));
    }

    @Test
    void gtpuExtensionOfLengthZeroIsBadAndTheChainIsWalked() {
        byte[] twoExtensions = bytes(0x34, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x85, 1, 0, 9, 0x40, 2, 1, 2, 3, 4, 5, 6, 0);
        assertEquals(Result.TCP, udpTo(2152, concat(twoExtensions, ipv4Tcp())));
        assertEquals("gtpu", Tunnel.describe(out));
        byte[] zeroLength = bytes(0x34, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x85, 0, 0, 9, 0);
        assertEquals(Result.MALFORMED, udpTo(2152, concat(zeroLength, ipv4Tcp())));
        assertEquals(1, stats.count(Anomaly.BAD_TUNNEL_HEADER));
    }

    @Test
    void mplsPayloadThatIsNeitherIpNorAControlWordIsSkipped() {
        byte[] stack = bytes(0, 0x06, 0x41, 0x40);
        assertEquals(Result.SKIPPED, decoder.decode(frame(LinkTypes.ETHERNET,
            ethernet(0x8847, concat(stack, bytes(0x10, 0, 0, 0), new byte[20]))), out));
        assertEquals(1, stats.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN));
        assertEquals(1, stats.tunnelled(Tunnel.MPLS));
    }

    @Test
    void pppoeDiscoveryIsNotIpAndOtherPppProtocolsAreNotDecoded() {
        assertEquals(Result.SKIPPED, decoder.decode(frame(LinkTypes.ETHERNET,
            ethernet(0x8864, bytes(0x11, 0x09, 0, 0, 0, 2, 0xc0, 0x21))), out)); // PADI code, on a session ethertype
        assertEquals(1, stats.skipped(SkipReason.NOT_IP));
        assertEquals(Result.SKIPPED, decoder.decode(frame(LinkTypes.ETHERNET,
            ethernet(0x8864, bytes(0x11, 0, 0, 1, 0, 2, 0xc0, 0x21))), out)); // LCP
        assertEquals(1, stats.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN));
        assertEquals(Result.MALFORMED, decoder.decode(frame(LinkTypes.ETHERNET,
            ethernet(0x8864, bytes(0x12, 0, 0, 1, 0, 2, 0, 0x21))), out)); // version 1, type 2
        assertEquals(1, stats.count(Anomaly.BAD_TUNNEL_HEADER));
    }

    @Test
    void untunnelledSegmentsCarryNoTunnelFieldsAfterATunnelledOne() throws IOException {
        decode(read("gre-key").get(0));
        assertEquals(1, out.tunnelDepth);
        assertEquals(Result.TCP, decoder.decode(frame(LinkTypes.ETHERNET, ethernet(0x0800, ipv4Tcp())), out));
        assertEquals(0, out.tunnelDepth);
        assertEquals(0, out.tunnelId);
        assertEquals("", Tunnel.describe(out));
        assertEquals(PROTO_TCP, 6);
    }
}
