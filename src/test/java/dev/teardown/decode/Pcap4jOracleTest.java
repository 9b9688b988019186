package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder.Result;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.LinuxSllPacket;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;

/**
 * Checks the decoder against pcap4j's packet model, an independent decoder, on every frame of every capture
 * under {@code samples/} and on the hand-built frames. pcap4j reads Ethernet and Linux cooked v1 itself; for
 * the other link types the test strips the link header it knows the length of and hands pcap4j the IP packet.
 * Only pcap4j's pure-Java packet factories are used, never {@code Pcaps} (which loads libpcap).
 */
class Pcap4jOracleTest {
    private static final Path SAMPLES = Path.of(System.getProperty("basedir", ".")).resolve("samples");

    private DecodeStats stats = new DecodeStats();
    /** TCP segments of one file that pcap4j cannot be asked about (see {@link #pcap4jDecodes}). */
    private int tunnelled;
    private PacketDecoder decoder = new PacketDecoder(stats);
    private final TcpSegment out = new TcpSegment();

    @Test
    void handBuiltFramesAgreeWithPcap4j() throws Exception {
        int agreedTcp = 0;
        for (TestPackets.Sample sample : TestPackets.catalogue()) {
            if (sample.pcap4jReads()
                    && compare(sample.name(), sample.linkType(), sample.bytes(), sample.bytes().length)) {
                agreedTcp++;
            }
        }
        assertTrue(agreedTcp >= 20, "only " + agreedTcp + " TCP frames compared");
    }

    /** One test per capture file present when the tests run, so new samples are picked up as they appear. */
    @TestFactory
    Stream<DynamicTest> sampleCapturesAgreeWithPcap4j() throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(SAMPLES)) {
            try (Stream<Path> walk = Files.walk(SAMPLES)) { // samples/crafted/ too
                walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng)$")).forEach(files::add);
            }
        }
        assertTrue(files.size() >= 30, "sample captures found: " + files.size());
        files.sort(null);
        return files.stream().map(file -> DynamicTest.dynamicTest(SAMPLES.relativize(file).toString(), () -> {
            stats = new DecodeStats();
            decoder = new PacketDecoder(stats);
            List<TestCaptureReader.Record> records = TestCaptureReader.read(file);
            assertTrue(records.size() > 0, file + " holds no packets");
            int agreedTcp = 0;
            tunnelled = 0;
            for (int i = 0; i < records.size(); i++) {
                TestCaptureReader.Record r = records.get(i);
                if (compare(file.getFileName() + " frame " + (i + 1), r.linkType(), r.bytes(), r.originalLength())) {
                    agreedTcp++;
                }
            }
            assertEquals(stats.packets(),
                    stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
            // pcap4j must have decoded, and agreed on, every segment we call TCP: a pcap4j that decodes
            // nothing (or a frame it cannot read) fails here instead of passing unseen.
            assertTrue(agreedTcp > 0 || tunnelled > 0, file + ": no TCP segment compared");
            assertEquals(stats.tcpSegments(), agreedTcp + tunnelled, file + ": TCP segments pcap4j agreed on");
            System.out.printf("%s: %d frames, %d TCP segments agree with pcap4j; %s%n",
                    file.getFileName(), records.size(), agreedTcp, DecodeTotals.describe(stats));
        }));
    }

    /**
     * Decodes one frame both ways and asserts agreement.
     *
     * @return true if both found a TCP segment (and agreed on it)
     */
    private boolean compare(String where, int linkType, byte[] bytes, int originalLength) throws Exception {
        Frame frame = new Frame();
        frame.set(bytes, 0, bytes.length, originalLength, 0, linkType, 0);
        Result ours = decoder.decode(frame, out);
        if (ours == Result.TCP && !pcap4jDecodes(linkType, out)) {
            tunnelled++;
            return false;
        }
        Packet theirs = pcap4j(linkType, bytes);
        TcpPacket tcp = theirs == null ? null : theirs.get(TcpPacket.class);
        String context = where + " (link type " + linkType + "): " + HexFormat.of().formatHex(bytes)
                + "\npcap4j: " + theirs;
        if (tcp == null) {
            // pcap4j may give up on a frame the snapshot length cut; a whole frame it reads must not be TCP to us.
            if (theirs != null && bytes.length >= originalLength) {
                assertNotEquals(Result.TCP, ours, context);
            }
            return false;
        }
        assertEquals(Result.TCP, ours, context);

        Packet ip = theirs.get(IpV4Packet.class) != null ? theirs.get(IpV4Packet.class) : theirs.get(IpV6Packet.class);
        int declaredPayload;
        TcpPacket.TcpHeader th = tcp.getHeader();
        if (ip instanceof IpV4Packet v4) {
            assertEquals(4, out.ipVersion, context);
            assertAddress(v4.getHeader().getSrcAddr().getAddress(), out.srcHi, out.srcLo, context);
            assertAddress(v4.getHeader().getDstAddr().getAddress(), out.dstHi, out.dstLo, context);
            int total = v4.getHeader().getTotalLengthAsInt();
            declaredPayload = total == 0 ? -1 : total - v4.getHeader().length() - th.length();
        } else {
            IpV6Packet v6 = (IpV6Packet) ip;
            assertEquals(6, out.ipVersion, context);
            assertAddress(v6.getHeader().getSrcAddr().getAddress(), out.srcHi, out.srcLo, context);
            assertAddress(v6.getHeader().getDstAddr().getAddress(), out.dstHi, out.dstLo, context);
            int extensions = 0;
            for (Packet p = v6.getPayload(); p != tcp; p = p.getPayload()) {
                extensions += p.getHeader().length();
            }
            declaredPayload = v6.getHeader().getPayloadLengthAsInt() - extensions - th.length();
        }
        assertEquals(th.getSrcPort().valueAsInt(), out.srcPort, context);
        assertEquals(th.getDstPort().valueAsInt(), out.dstPort, context);
        assertEquals(th.getSequenceNumber(), out.seq, context);
        assertEquals(th.getAcknowledgmentNumber(), out.ack, context);
        assertEquals(th.getWindowAsInt(), out.window, context);
        // pcap4j keeps ECE and CWR in the low bits of its 6-bit "reserved" field.
        int flags = (th.getFin() ? TcpSegment.FIN : 0) | (th.getSyn() ? TcpSegment.SYN : 0)
                | (th.getRst() ? TcpSegment.RST : 0) | (th.getPsh() ? TcpSegment.PSH : 0)
                | (th.getAck() ? TcpSegment.ACK : 0) | (th.getUrg() ? TcpSegment.URG : 0)
                | ((th.getReserved() & 1) != 0 ? TcpSegment.ECE : 0)
                | ((th.getReserved() & 2) != 0 ? TcpSegment.CWR : 0);
        assertEquals(flags, out.flags, context);
        byte[] payload = tcp.getPayload() == null ? new byte[0] : tcp.getPayload().getRawData();
        assertEquals(payload.length, out.capturedPayloadLength, context);
        assertArrayEquals(payload, java.util.Arrays.copyOfRange(out.data, out.payloadOffset,
                out.payloadOffset + out.capturedPayloadLength), context);
        if (declaredPayload >= 0) {
            assertEquals(declaredPayload, out.payloadLength, context);
        }
        String src = Addresses.format(out.ipVersion, out.srcHi, out.srcLo);
        long[] parsed = TestAddresses.parse(out.ipVersion, src);
        assertEquals(out.srcHi, parsed[0], context);
        assertEquals(out.srcLo, parsed[1], context);
        return true;
    }

    /**
     * Whether pcap4j 1.8 can be the oracle for a segment: it decodes none of the encapsulations (MPLS, PPPoE, GRE,
     * ERSPAN, VXLAN, Geneve, GTP-U, IP-in-IP) nor NFLOG, so those segments are left to tshark (TsharkOracleTest
     * compares every crafted tunnel capture); PPP it does decode.
     */
    private static boolean pcap4jDecodes(int linkType, TcpSegment s) {
        return s.tunnelDepth == 0 && linkType != LinkTypes.NFLOG;
    }

    /** pcap4j's decoding of a frame, or null if it cannot read the link type or throws on the bytes. */
    private static Packet pcap4j(int linkType, byte[] bytes) {
        try {
            return switch (linkType) {
                case LinkTypes.ETHERNET -> EthernetPacket.newPacket(withoutServiceTag(bytes), 0, bytes.length - serviceTagLength(bytes));
                case LinkTypes.LINUX_SLL -> LinuxSllPacket.newPacket(bytes, 0, bytes.length);
                case LinkTypes.LINUX_SLL2 -> bytes.length >= 20 && (bytes[0] == 0x08 && bytes[1] == 0x00
                        || bytes[0] == (byte) 0x86 && bytes[1] == (byte) 0xdd) ? ip(bytes, 20) : null;
                case LinkTypes.NULL, LinkTypes.LOOP -> ip(bytes, 4);
                case LinkTypes.RAW, LinkTypes.RAW_12, LinkTypes.RAW_14, LinkTypes.IPV4, LinkTypes.IPV6 -> ip(bytes, 0);
                // RFC 1662's address and control bytes first (HDLC-like framing), or the bare protocol.
                case LinkTypes.PPP, LinkTypes.PPP_HDLC -> bytes.length >= 2 && bytes[0] == (byte) 0xff && bytes[1] == 3
                    ? org.pcap4j.packet.HdlcPppPacket.newPacket(bytes, 0, bytes.length)
                    : org.pcap4j.packet.PppPacket.newPacket(bytes, 0, bytes.length);
                default -> null;
            };
        } catch (IllegalRawDataException | RuntimeException e) {
            return null;
        }
    }

    /** 4 when the frame carries an 802.1ad service tag (EtherType 0x88a8), which pcap4j 1.8 does not know. */
    private static int serviceTagLength(byte[] frame) {
        return frame.length >= 18 && (frame[12] & 0xff) == 0x88 && (frame[13] & 0xff) == 0xa8 ? 4 : 0;
    }

    /** The frame with its 802.1ad outer tag cut out, so pcap4j reads the inner 802.1Q frame it does know. */
    private static byte[] withoutServiceTag(byte[] frame) {
        if (serviceTagLength(frame) == 0) return frame;
        byte[] inner = new byte[frame.length - 4];
        System.arraycopy(frame, 0, inner, 0, 12);
        System.arraycopy(frame, 16, inner, 12, frame.length - 16);
        return inner;
    }

    private static Packet ip(byte[] bytes, int offset) throws IllegalRawDataException {
        if (bytes.length <= offset) {
            return null;
        }
        return switch ((bytes[offset] & 0xf0) >> 4) {
            case 4 -> IpV4Packet.newPacket(bytes, offset, bytes.length - offset);
            case 6 -> IpV6Packet.newPacket(bytes, offset, bytes.length - offset);
            default -> null;
        };
    }

    private static void assertAddress(byte[] expected, long hi, long lo, String context) {
        byte[] actual = expected.length == 4
                ? ByteBuffer.allocate(4).putInt((int) lo).array()
                : ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
        if (expected.length == 4) {
            assertEquals(0, hi, context);
            assertEquals(0, lo >>> 32, context);
        }
        assertArrayEquals(expected, actual, context);
    }
}
