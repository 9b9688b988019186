package dev.teardown.decode;

import static dev.teardown.decode.TestPackets.bytes;
import static dev.teardown.decode.TestPackets.concat;
import static dev.teardown.decode.TestPackets.frame;
import static dev.teardown.decode.TestPackets.ipv4Tcp;
import static dev.teardown.decode.TestPackets.ipv6Tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder.Result;
import org.junit.jupiter.api.Test;

/** NFLOG, PPP, Cisco HDLC and PPPoE link types (hand-built frames; samples/crafted has NFLOG and PPP captures). */
class LinkFramingTest {
    private final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder = new PacketDecoder(stats);
    private final TcpSegment out = new TcpSegment();

    private Result decode(int linkType, byte[] b) {
        return decoder.decode(frame(linkType, b), out);
    }

    /** A TLV in big-endian order (what a big-endian host writes), padded to 4 bytes. */
    private static byte[] tlvBig(int type, byte[] value) {
        int length = 4 + value.length;
        byte[] t = concat(bytes(length >>> 8, length & 0xff, type >>> 8, type & 0xff), value);
        return concat(t, new byte[(4 - t.length % 4) % 4]);
    }

    @Test
    void nflogWrittenBigEndianFindsThePayloadTlvAndItsFamily() {
        byte[] frame = concat(bytes(10, 0, 0, 5), tlvBig(1, bytes(0x86, 0xdd, 3, 0)), tlvBig(9, ipv6Tcp()));
        assertEquals(Result.TCP, decode(LinkTypes.NFLOG, frame));
        assertEquals(6, out.ipVersion);
        assertEquals("", Tunnel.describe(out));
    }

    @Test
    void nflogWithoutAPayloadOrWithAZeroLengthTlvIsTruncatedAndOtherFamiliesAreNotIp() {
        assertEquals(Result.MALFORMED, decode(LinkTypes.NFLOG, concat(bytes(2, 0, 0, 5), tlvBig(1, bytes(8, 0, 3, 0)))));
        assertEquals(Result.MALFORMED, decode(LinkTypes.NFLOG, concat(bytes(2, 0, 0, 5), bytes(0, 0, 0, 1))));
        assertEquals(2, stats.count(Anomaly.TRUNCATED_LINK_HEADER));
        assertEquals(Result.SKIPPED, decode(LinkTypes.NFLOG, concat(bytes(7, 0, 0, 5), tlvBig(9, ipv4Tcp()))));
        assertEquals(1, stats.skipped(SkipReason.NOT_IP));
    }

    @Test
    void pppWithAndWithoutHdlcFramingAndWithACompressedProtocol() {
        assertEquals(Result.TCP, decode(LinkTypes.PPP, concat(bytes(0xff, 0x03, 0x00, 0x21), ipv4Tcp())));
        assertEquals(Result.TCP, decode(LinkTypes.PPP, concat(bytes(0x00, 0x57), ipv6Tcp())));
        assertEquals(Result.TCP, decode(LinkTypes.PPP_HDLC, concat(bytes(0xff, 0x03, 0x21), ipv4Tcp())));
        assertEquals(Result.SKIPPED, decode(LinkTypes.PPP, bytes(0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4))); // LCP
        assertEquals(Result.MALFORMED, decode(LinkTypes.PPP, bytes(0xff, 0x03)));
        assertEquals(3, stats.tcpSegments());
    }

    @Test
    void ciscoHdlcCarriesAnEthertypeAndPppoeFramesBeginWithTheirHeader() {
        assertEquals(Result.TCP, decode(LinkTypes.C_HDLC, concat(bytes(0x0f, 0, 0x08, 0x00), ipv4Tcp())));
        assertEquals(Result.MALFORMED, decode(LinkTypes.C_HDLC, bytes(0x0f, 0, 0x08)));
        byte[] v4 = ipv4Tcp();
        assertEquals(Result.TCP, decode(LinkTypes.PPP_ETHER,
            concat(bytes(0x11, 0, 0x12, 0x34, (v4.length + 2) >>> 8, (v4.length + 2) & 0xff, 0, 0x21), v4)));
        assertEquals("pppoe", Tunnel.describe(out));
    }
}
