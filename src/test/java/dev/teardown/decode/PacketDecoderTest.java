package dev.teardown.decode;

import static dev.teardown.decode.TestPackets.ETHERTYPE_IPV4;
import static dev.teardown.decode.TestPackets.ETHERTYPE_IPV6;
import static dev.teardown.decode.TestPackets.HTTP_GET;
import static dev.teardown.decode.TestPackets.PROTO_TCP;
import static dev.teardown.decode.TestPackets.PROTO_UDP;
import static dev.teardown.decode.TestPackets.SYN_OPTIONS;
import static dev.teardown.decode.TestPackets.TIMESTAMP_OPTIONS;
import static dev.teardown.decode.TestPackets.bytes;
import static dev.teardown.decode.TestPackets.concat;
import static dev.teardown.decode.TestPackets.ethernet;
import static dev.teardown.decode.TestPackets.extension;
import static dev.teardown.decode.TestPackets.fragmentHeader;
import static dev.teardown.decode.TestPackets.frame;
import static dev.teardown.decode.TestPackets.ipv4;
import static dev.teardown.decode.TestPackets.ipv4Tcp;
import static dev.teardown.decode.TestPackets.ipv6;
import static dev.teardown.decode.TestPackets.ipv6Tcp;
import static dev.teardown.decode.TestPackets.put16;
import static dev.teardown.decode.TestPackets.tcp;
import static dev.teardown.decode.TestPackets.tcpData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder.Result;
import dev.teardown.decode.TestPackets.Sample;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PacketDecoderTest {
    private final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder = new PacketDecoder(stats);
    private final TcpSegment out = new TcpSegment();

    private Result decode(int linkType, byte[] bytes) {
        return decoder.decode(frame(linkType, bytes), out);
    }

    static List<Sample> catalogue() { return TestPackets.catalogue(); }

    // ---- Fields ----

    @Test
    void ethernetIpv4SegmentFillsEveryField() {
        byte[] bytes = ethernet(ETHERTYPE_IPV4, ipv4Tcp());
        Frame frame = frame(LinkTypes.ETHERNET, bytes);

        assertEquals(Result.TCP, decoder.decode(frame, out));
        assertEquals(frame.timeNanos(), out.timeNanos);
        assertSame(bytes, out.data);
        assertEquals(4, out.ipVersion);
        assertEquals("192.0.2.1", Addresses.format(4, out.srcHi, out.srcLo));
        assertEquals("198.51.100.7", Addresses.format(4, out.dstHi, out.dstLo));
        assertEquals(0, out.srcHi);
        assertEquals(0xc6336407L, out.dstLo);
        assertEquals(40000, out.srcPort);
        assertEquals(80, out.dstPort);
        assertEquals(0x11223344, out.seq);
        assertEquals(0x55667788, out.ack);
        assertEquals(TcpSegment.ACK | TcpSegment.PSH, out.flags);
        assertEquals(64240, out.window);
        assertTrue(out.hasTimestamp);
        assertEquals(0x01020304, out.tsVal);
        assertEquals(0x0a0b0c0d, out.tsEcr);
        assertEquals(HTTP_GET.length, out.payloadLength);
        assertEquals(HTTP_GET.length, out.capturedPayloadLength);
        assertEquals(14 + 20 + 32, out.payloadOffset);
        assertPayload(HTTP_GET);
    }

    @Test
    void ipv6SegmentHoldsBothAddressHalves() {
        assertEquals(Result.TCP, decode(LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV6, ipv6Tcp())));
        assertEquals(6, out.ipVersion);
        assertEquals(0x20010db800000000L, out.srcHi);
        assertEquals(1L, out.srcLo);
        assertEquals("2001:db8::1", Addresses.format(6, out.srcHi, out.srcLo));
        assertEquals("2001:db8:0:1::80", Addresses.format(6, out.dstHi, out.dstLo));
        assertEquals(HTTP_GET.length, out.payloadLength);
        assertPayload(HTTP_GET);
    }

    @Test
    void synFlagsIncludeEceAndCwrAndSequenceWrapsAsRawBits() {
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, TestPackets.tcpSyn()));
        assertEquals(TcpSegment.SYN | TcpSegment.ECE | TcpSegment.CWR, out.flags);
        assertEquals(0xfffffff0, out.seq);
        assertEquals(0, out.payloadLength);
        assertEquals(1, TestSegments.sequenceLength(out));
        assertTrue(out.hasTimestamp);
        assertEquals(1, out.tsVal);
        assertEquals(0, out.tsEcr);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void everyHandBuiltFrameDecodesAsExpected(Sample sample) {
        assertEquals(sample.expected(), decode(sample.linkType(), sample.bytes()), () -> DecodeTotals.describe(stats));
        if (sample.expected() == Result.TCP) {
            assertTrue(out.srcPort == 40000 || out.srcPort == 80, "source port " + out.srcPort);
            assertEquals(out.payloadLength, out.capturedPayloadLength);
            assertArrayEquals(Arrays.copyOfRange(HTTP_GET, 0, out.payloadLength), payload());
        }
        assertEquals(1, stats.packets());
        assertEquals(1, stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
    }

    // ---- Link layers ----

    @Test
    void stackedVlanTagsAreWalked() {
        decode(LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV6, ipv6Tcp(), 0x88a8, 0x8100, 0x9100, 0x8100));
        assertEquals(6, out.ipVersion);
        assertEquals(14 + 16 + 40 + 32, out.payloadOffset);
        assertPayload(HTTP_GET);
    }

    @Test
    void vlanTagsAfterCookedHeadersAreWalked() {
        byte[] tagged = concat(bytes(0, 100, 0x08, 0x00), ipv4Tcp());
        assertEquals(Result.TCP, decode(LinkTypes.LINUX_SLL, TestPackets.sll(0x8100, tagged)));
        assertEquals(Result.TCP, decode(LinkTypes.LINUX_SLL2, TestPackets.sll2(0x8100, tagged)));
        assertPayload(HTTP_GET);
    }

    @Test
    void cookedFramesOfTheLoopbackDeviceAreCountedByTheirDeviceType() {
        byte[] sll = TestPackets.sll(0x0800, ipv4Tcp());
        byte[] sll2 = TestPackets.sll2(0x0800, ipv4Tcp());
        decode(LinkTypes.LINUX_SLL, sll);
        decode(LinkTypes.LINUX_SLL2, sll2);
        decode(LinkTypes.ETHERNET, ethernet(TestPackets.ETHERTYPE_IPV4, ipv4Tcp()));
        assertEquals(0, stats.loopbackFrames(), "ARPHRD_ETHER cooked frames are not loopback");
        sll[2] = 0x03; // ARPHRD_LOOPBACK, 772 = 0x0304
        sll[3] = 0x04;
        sll2[8] = 0x03;
        sll2[9] = 0x04;
        assertEquals(Result.TCP, decode(LinkTypes.LINUX_SLL, sll));
        assertEquals(Result.TCP, decode(LinkTypes.LINUX_SLL2, sll2));
        assertEquals(2, stats.loopbackFrames());
    }

    @Test
    void nonIpFramesAreSkippedAsNotIp() {
        decode(LinkTypes.ETHERNET, ethernet(TestPackets.ETHERTYPE_ARP, new byte[28]));
        decode(LinkTypes.ETHERNET, ethernet(0x88cc, new byte[40])); // LLDP
        decode(LinkTypes.ETHERNET, ethernet(46, new byte[46])); // 802.3: a length, not an ethertype
        decode(LinkTypes.LINUX_SLL, TestPackets.sll(0x0004, new byte[40])); // 802.2 LLC in a cooked capture
        decode(LinkTypes.LOOP, TestPackets.loopback(17, true, new byte[40])); // AF_IPX-ish
        assertEquals(5, stats.skipped(SkipReason.NOT_IP));
        assertEquals(5, DecodeTotals.skipped(stats));
    }

    @Test
    void unknownLinkTypeIsSkippedNotThrown() {
        assertEquals(Result.SKIPPED, decode(147, ipv4Tcp()));
        assertEquals(Result.SKIPPED, decode(-1, ipv4Tcp()));
        assertEquals(2, stats.skipped(SkipReason.UNSUPPORTED_LINK_TYPE));
    }

    @Test
    void rawIpWithAnotherVersionIsBadIpVersion() {
        byte[] bytes = ipv4Tcp();
        bytes[0] = 0x55;
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(Result.MALFORMED, decode(LinkTypes.ETHERNET, ethernet(ETHERTYPE_IPV4, ipv6Tcp())));
        assertEquals(Result.MALFORMED, decode(LinkTypes.IPV6, ipv4Tcp()));
        assertEquals(3, stats.count(Anomaly.BAD_IP_VERSION));
    }

    @Test
    void shortLinkHeadersAreTruncatedLinkHeader() {
        decode(LinkTypes.ETHERNET, new byte[13]);
        decode(LinkTypes.LINUX_SLL, new byte[15]);
        decode(LinkTypes.LINUX_SLL2, new byte[19]);
        decode(LinkTypes.NULL, new byte[3]);
        decode(LinkTypes.ETHERNET, Arrays.copyOf(ethernet(ETHERTYPE_IPV4, ipv4Tcp(), 0x8100), 17));
        assertEquals(5, stats.count(Anomaly.TRUNCATED_LINK_HEADER));
        assertEquals(5, DecodeTotals.malformed(stats));
    }

    // ---- IPv4 ----

    @Test
    void ipv4OptionsAreSkippedByHeaderLength() {
        byte[] options = bytes(0x94, 4, 0, 0, 0x44, 12, 5, 0, 0, 0, 0, 0); // router alert, timestamp option
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, options, 0, tcpData()));
        assertEquals(32 + 32, out.payloadOffset);
        assertEquals(40000, out.srcPort);
        assertPayload(HTTP_GET);
    }

    @Test
    void ethernetPaddingBeyondTotalLengthIsIgnored() {
        byte[] packet = ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcp(1, 2, 3, 4, TcpSegment.FIN, new byte[0],
                bytes('x')));
        byte[] padded = concat(ethernet(ETHERTYPE_IPV4, packet), bytes(0xaa, 0xaa, 0xaa, 0xaa, 0xaa));
        decode(LinkTypes.ETHERNET, padded);
        assertEquals(1, out.payloadLength);
        assertEquals(1, out.capturedPayloadLength);
        assertEquals(2, TestSegments.sequenceLength(out));
    }

    @Test
    void ipv4FragmentsAreSkippedWhateverTheyCarry() {
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, new byte[0], 0x2000, tcpData()));
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, new byte[0], 0x0010, new byte[40]));
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP, new byte[0], 0x2000, new byte[40]));
        assertEquals(3, stats.skipped(SkipReason.IP_FRAGMENT));
        // Don't-fragment alone is a whole packet.
        assertEquals(Result.TCP, decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, new byte[0],
                0x4000, tcpData())));
    }

    @Test
    void ipv4HeaderLengthBelowFiveWordsIsBadIpHeaderLength() {
        byte[] bytes = ipv4Tcp();
        bytes[0] = 0x44;
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(1, stats.count(Anomaly.BAD_IP_HEADER_LENGTH));
    }

    @Test
    void ipv4TotalLengthBelowHeaderLengthIsBadIpTotalLength() {
        byte[] bytes = ipv4Tcp();
        put16(bytes, 2, 19);
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        byte[] withOptions = ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, new byte[8], 0, tcpData());
        put16(withOptions, 2, 24);
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, withOptions));
        assertEquals(2, stats.count(Anomaly.BAD_IP_TOTAL_LENGTH));
    }

    @Test
    void ipv4TotalLengthTooShortForTheTcpHeaderIsBadIpTotalLength() {
        byte[] bytes = ipv4Tcp();
        put16(bytes, 2, 20 + 19);
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(1, stats.count(Anomaly.BAD_IP_TOTAL_LENGTH));
    }

    @Test
    void ipv4TotalLengthZeroIsSegmentationOffloadAndUsesTheWireLength() {
        byte[] bytes = ipv4Tcp();
        put16(bytes, 2, 0);
        Frame frame = new Frame();
        // Cut by the snapshot length too: the payload length still comes from the wire.
        frame.set(bytes, 0, 20 + 32 + 3, bytes.length, 0, LinkTypes.RAW, 0);
        assertEquals(Result.TCP, decoder.decode(frame, out));
        assertEquals(HTTP_GET.length, out.payloadLength);
        assertEquals(3, out.capturedPayloadLength);
    }

    @Test
    void ipv4HeaderWithOptionsCutByTheCaptureIsTruncatedIpHeader() {
        byte[] bytes = ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, new byte[8], 0, tcpData());
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, Arrays.copyOf(bytes, 24)));
        assertEquals(1, stats.count(Anomaly.TRUNCATED_IP_HEADER));
    }

    @Test
    void udpAndIcmpAreNotTcp() {
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_UDP, new byte[8]));
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", TestPackets.PROTO_ICMP, new byte[8]));
        decode(LinkTypes.RAW, ipv6("::1", "::2", PROTO_UDP, new byte[8]));
        assertEquals(3, stats.skipped(SkipReason.NOT_TCP));
    }

    // ---- IPv6 ----

    @Test
    void ipv6ExtensionHeaderChainIsWalkedToTcp() {
        // hop-by-hop, destination options, routing, AH, atomic fragment, destination options, TCP
        byte[] chain = concat(extension(60, 1), extension(43, 3), extension(51, 2),
                TestPackets.authenticationHeader(44, 4), fragmentHeader(60, 0, false), extension(PROTO_TCP, 2),
                tcpData());
        assertEquals(Result.TCP, decode(LinkTypes.RAW, ipv6("2001:db8::a", "2001:db8::b", 0, chain)));
        assertEquals(40 + 8 + 24 + 16 + 16 + 8 + 16 + 32, out.payloadOffset);
        assertEquals(HTTP_GET.length, out.payloadLength);
        assertPayload(HTTP_GET);
    }

    @Test
    void ipv6FragmentsAreSkippedButAtomicFragmentsDecoded() {
        decode(LinkTypes.RAW, ipv6("::1", "::2", 44, concat(fragmentHeader(PROTO_TCP, 0, true), tcpData())));
        decode(LinkTypes.RAW, ipv6("::1", "::2", 44, concat(fragmentHeader(PROTO_TCP, 3, false), new byte[24])));
        assertEquals(2, stats.skipped(SkipReason.IP_FRAGMENT));
        assertEquals(Result.TCP, decode(LinkTypes.RAW, ipv6("::1", "::2", 44,
                concat(fragmentHeader(PROTO_TCP, 0, false), tcpData()))));
    }

    @Test
    void ipv6EspAndNoNextHeaderAreNotTcp() {
        decode(LinkTypes.RAW, ipv6("::1", "::2", 50, new byte[40]));
        decode(LinkTypes.RAW, ipv6("::1", "::2", 0, concat(extension(59, 1))));
        decode(LinkTypes.RAW, ipv6("::1", "::2", 59, new byte[0]));
        assertEquals(3, stats.skipped(SkipReason.NOT_TCP));
    }

    @Test
    void ipv6ExtensionHeaderBeyondPayloadLengthIsBadIpTotalLength() {
        byte[] bytes = ipv6("::1", "::2", 0, concat(extension(PROTO_TCP, 4), tcpData()));
        put16(bytes, 4, 16); // the hop-by-hop header alone is 32 bytes
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(1, stats.count(Anomaly.BAD_IP_TOTAL_LENGTH));
    }

    @Test
    void ipv6ExtensionHeaderCutByTheCaptureIsTruncatedExtension() {
        byte[] bytes = ipv6("::1", "::2", 0, concat(extension(PROTO_TCP, 4), tcpData()));
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, Arrays.copyOf(bytes, 40 + 20)));
        assertEquals(1, stats.count(Anomaly.TRUNCATED_IPV6_EXTENSION));
    }

    @Test
    void ipv6PayloadLengthZeroIsJumboAndUsesTheWireLength() {
        byte[] bytes = ipv6("::1", "::2", 0, concat(extension(PROTO_TCP, 1), tcpData()));
        put16(bytes, 4, 0);
        assertEquals(Result.TCP, decode(LinkTypes.RAW, bytes));
        assertEquals(HTTP_GET.length, out.payloadLength);
    }

    // ---- TCP ----

    @Test
    void tcpDataOffsetBelowFiveIsBadTcpDataOffset() {
        byte[] bytes = ipv4Tcp();
        bytes[20 + 12] = 0x40;
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(1, stats.count(Anomaly.BAD_TCP_DATA_OFFSET));
    }

    @Test
    void tcpDataOffsetBeyondTheSegmentIsBadTcpDataOffset() {
        byte[] bytes = ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcp(1, 2, 3, 4, TcpSegment.ACK, new byte[0],
                new byte[8]));
        bytes[20 + 12] = (byte) 0xf0; // 60 bytes of header in a 28-byte segment
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, bytes));
        assertEquals(1, stats.count(Anomaly.BAD_TCP_DATA_OFFSET));
    }

    @Test
    void tcpHeaderCutByTheCaptureIsTruncatedTcpHeader() {
        assertEquals(Result.MALFORMED, decode(LinkTypes.RAW, Arrays.copyOf(ipv4Tcp(), 20 + 19)));
        assertEquals(1, stats.count(Anomaly.TRUNCATED_TCP_HEADER));
    }

    @Test
    void snaplenCutSegmentKeepsItsDeclaredPayloadLength() {
        byte[] whole = ethernet(ETHERTYPE_IPV4, ipv4Tcp());
        Frame frame = new Frame();
        frame.set(whole, 0, 14 + 20 + 32 + 5, whole.length, 0, LinkTypes.ETHERNET, 0);
        assertEquals(Result.TCP, decoder.decode(frame, out));
        assertEquals(HTTP_GET.length, out.payloadLength);
        assertEquals(5, out.capturedPayloadLength);
        assertPayload(Arrays.copyOf(HTTP_GET, 5));
    }

    @Test
    void optionsCutByA68ByteSnaplenStillDecodeTheSegment() {
        byte[] syn = ethernet(ETHERTYPE_IPV4, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, TestPackets.tcpSyn()));
        Frame frame = new Frame();
        frame.set(syn, 0, 68, syn.length, 0, LinkTypes.ETHERNET, 0); // ends inside the timestamps option
        assertEquals(Result.TCP, decoder.decode(frame, out));
        assertTrue(out.has(TcpSegment.SYN));
        assertFalse(out.hasTimestamp);
        assertEquals(0, out.capturedPayloadLength);
        assertEquals(0, stats.count(Anomaly.BAD_TCP_OPTION));
    }

    @Test
    void malformedOptionLengthsAreCountedButTheSegmentIsDecoded() {
        byte[][] badOptions = {
            bytes(2, 0, 0, 0), // length 0
            bytes(2, 1, 0, 0), // length 1
            bytes(1, 1, 2, 9), // runs past the header
            bytes(1, 1, 1, 3), // no room for the length byte
            bytes(8, 8, 0, 0, 0, 1, 0, 0), // timestamps with length 8
        };
        for (byte[] options : badOptions) {
            assertEquals(Result.TCP, decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP,
                    tcp(1, 2, 3, 4, TcpSegment.ACK, options, HTTP_GET))));
            assertPayload(HTTP_GET);
            assertFalse(out.hasTimestamp);
        }
        assertEquals(badOptions.length, stats.count(Anomaly.BAD_TCP_OPTION));
        assertEquals(badOptions.length, stats.tcpSegments());
        assertEquals(0, DecodeTotals.malformed(stats));
    }

    @Test
    void endOfOptionListStopsTheWalk() {
        byte[] options = concat(bytes(0, 0), TIMESTAMP_OPTIONS, bytes(0, 0));
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcp(1, 2, 3, 4, 0, options, new byte[0])));
        assertFalse(out.hasTimestamp);
        assertEquals(0, stats.count(Anomaly.BAD_TCP_OPTION));
    }

    @Test
    void timestampIsResetBetweenPackets() {
        decode(LinkTypes.RAW, ipv4Tcp());
        assertTrue(out.hasTimestamp);
        decode(LinkTypes.RAW, ipv4("10.0.0.1", "10.0.0.2", PROTO_TCP, tcp(1, 2, 3, 4, 0, new byte[0], new byte[0])));
        assertFalse(out.hasTimestamp);
        assertEquals(0, out.tsVal);
        assertEquals(0, out.tsEcr);
    }

    // ---- Robustness ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void everyTruncationOfEveryFrameDecodesWithoutThrowing(Sample sample) {
        byte[] whole = sample.bytes();
        TcpSegment full = new TcpSegment();
        Result wholeResult = new PacketDecoder(new DecodeStats()).decode(frame(sample.linkType(), whole), full);
        for (int cut = 0; cut < whole.length; cut++) {
            // The frame ends exactly at the end of its buffer, so any read past the captured bytes throws.
            int offset = 3;
            byte[] buffer = new byte[offset + cut];
            System.arraycopy(whole, 0, buffer, offset, cut);
            Frame frame = new Frame();
            frame.set(buffer, offset, cut, whole.length, 0, sample.linkType(), 0);
            Result result = decoder.decode(frame, out);
            String where = sample.name() + " cut at " + cut;
            if (result == Result.TCP) {
                assertEquals(Result.TCP, wholeResult, where);
                assertEquals(full.srcPort, out.srcPort, where);
                assertEquals(full.seq, out.seq, where);
                assertEquals(full.flags, out.flags, where);
                assertEquals(full.payloadLength, out.payloadLength, where);
                assertEquals(full.payloadOffset + offset, out.payloadOffset, where);
                assertEquals(Math.min(full.capturedPayloadLength, Math.max(0, cut - full.payloadOffset)),
                        out.capturedPayloadLength, where);
                assertTrue(out.capturedPayloadLength < full.capturedPayloadLength
                        || full.capturedPayloadLength == 0, where);
            } else if (wholeResult == Result.TCP) {
                assertEquals(Result.MALFORMED, result, where);
            }
        }
        assertEquals(whole.length, stats.packets());
        assertEquals(stats.packets(),
                stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(0x7ea2d0);
        int[] linkTypes = {LinkTypes.ETHERNET, LinkTypes.LINUX_SLL, LinkTypes.LINUX_SLL2, LinkTypes.NULL,
            LinkTypes.LOOP, LinkTypes.RAW, LinkTypes.RAW_12, LinkTypes.RAW_14, LinkTypes.IPV4, LinkTypes.IPV6, 105};
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[random.nextInt(160)];
            random.nextBytes(bytes);
            int linkType = linkTypes[random.nextInt(linkTypes.length)];
            // Steer a share of the frames past the first checks so the fuzz reaches the IP and TCP code.
            if (bytes.length > 60 && random.nextBoolean()) {
                steer(bytes, linkType, random);
            }
            decodeWithoutThrowing(linkType, bytes, random.nextInt(3) == 0 ? random.nextInt(1 << 20) : bytes.length);
        }
        assertEquals(200_000, stats.packets());
        assertTrue(stats.tcpSegments() > 0, () -> DecodeTotals.describe(stats));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void mutatedFramesNeverThrow(Sample sample) {
        Random random = new Random(sample.name().hashCode());
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = sample.bytes().clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            decodeWithoutThrowing(sample.linkType(), bytes, bytes.length);
        }
        assertEquals(stats.packets(),
                stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
    }

    @Test
    void frameWindowOutsideItsBufferIsABugNotTraffic() {
        Frame frame = new Frame();
        frame.set(new byte[10], 4, 7, 7, 0, LinkTypes.RAW, 0);
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(frame, out));
    }

    @Test
    void decodingAllocatesNothingPerPacket() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        Frame[] frames = TestPackets.catalogue().stream()
                .map(s -> frame(s.linkType(), s.bytes()))
                .toArray(Frame[]::new);
        for (int i = 0; i < 200_000; i++) {
            decoder.decode(frames[i % frames.length], out);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            decoder.decode(frames[i % frames.length], out);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 100_000, "decoding 1,000,000 frames allocated " + allocated + " bytes");
    }

    /** Puts a plausible link header and IP version/protocol in random bytes. */
    private static void steer(byte[] b, int linkType, Random random) {
        int ip = switch (linkType) {
            case LinkTypes.ETHERNET -> 14;
            case LinkTypes.LINUX_SLL -> 16;
            case LinkTypes.LINUX_SLL2 -> 20;
            case LinkTypes.NULL, LinkTypes.LOOP -> 4;
            default -> 0;
        };
        boolean v6 = random.nextBoolean();
        int ethertype = v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        switch (linkType) {
            case LinkTypes.ETHERNET -> put16(b, 12, ethertype);
            case LinkTypes.LINUX_SLL -> put16(b, 14, ethertype);
            case LinkTypes.LINUX_SLL2 -> put16(b, 0, ethertype);
            case LinkTypes.NULL, LinkTypes.LOOP -> TestPackets.put32(b, 0, v6 ? 24 : 2);
            default -> { }
        }
        if (ip + 40 > b.length) {
            return;
        }
        if (v6) {
            b[ip] = 0x60;
            b[ip + 6] = (byte) (random.nextBoolean() ? PROTO_TCP : new int[] {0, 43, 44, 51, 60}[random.nextInt(5)]);
        } else {
            b[ip] = (byte) (0x40 | (random.nextInt(4) == 0 ? random.nextInt(16) : 5));
            b[ip + 6] &= (byte) 0x40;
            b[ip + 7] = 0;
            b[ip + 9] = PROTO_TCP;
        }
    }

    private void decodeWithoutThrowing(int linkType, byte[] bytes, int originalLength) {
        Frame frame = new Frame();
        frame.set(bytes, 0, bytes.length, originalLength, 0, linkType, 0);
        try {
            Result result = decoder.decode(frame, out);
            if (result == Result.TCP) {
                assertTrue(out.capturedPayloadLength >= 0 && out.capturedPayloadLength <= out.payloadLength);
                assertTrue(out.capturedPayloadLength == 0
                        || out.payloadOffset + out.capturedPayloadLength <= bytes.length);
            }
        } catch (RuntimeException e) {
            fail("link type " + linkType + " frame " + java.util.HexFormat.of().formatHex(bytes) + " threw", e);
        }
    }

    private byte[] payload() {
        return Arrays.copyOfRange(out.data, out.payloadOffset, out.payloadOffset + out.capturedPayloadLength);
    }

    private void assertPayload(byte[] expected) {
        assertArrayEquals(expected, payload());
    }
}
