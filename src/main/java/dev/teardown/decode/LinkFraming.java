package dev.teardown.decode;

import dev.teardown.capture.Bytes;
import dev.teardown.capture.LinkTypes;
import dev.teardown.decode.PacketDecoder.Result;

/**
 * The link types whose protocol is found in a header of their own, for {@link PacketDecoder}: Linux NFLOG, PPP
 * (bare or in HDLC-like framing), Cisco HDLC and PPPoE; each finds the packet and hands it to
 * {@link PacketDecoder#network}. Reads below the captured end only; allocates nothing.
 */
final class LinkFraming {
    /** NFLOG's TLV type for the packet itself (linux/netfilter/nfnetlink_log.h, {@code NFULA_PAYLOAD}). */
    private static final int NFULA_PAYLOAD = 9;
    private static final int NFLOG_HEADER = 4;
    private static final int TLV_HEADER = 4;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;

    private final PacketDecoder decoder;

    LinkFraming(PacketDecoder decoder) {
        this.decoder = decoder;
    }

    /** Decodes a frame of {@code linkType} from {@code start}; an unknown link type is skipped. */
    Result decode(int linkType, byte[] b, int start, int end, long wireEnd, TcpSegment out) {
        return switch (linkType) {
            case LinkTypes.NFLOG -> nflog(b, start, end, out);
            case LinkTypes.PPP, LinkTypes.PPP_HDLC -> ppp(b, start, end, wireEnd, out);
            case LinkTypes.C_HDLC -> end - start < 4 ? decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER)
                : decoder.network(b, Bytes.uint16(b, start + 2), start + 4, end, wireEnd, out);
            case LinkTypes.PPP_ETHER -> decoder.network(b, ETHERTYPE_PPPOE_SESSION, start, end, wireEnd, out);
            default -> decoder.skipped(SkipReason.UNSUPPORTED_LINK_TYPE);
        };
    }

    /**
     * NFLOG (https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html): address family, version 0, resource id, then
     * TLVs (length including its 4-byte header, type; each padded to 4 bytes) until {@code NFULA_PAYLOAD}. Length
     * and type are in the capturing host's byte order: types are small, so the first TLV's type byte that is not
     * zero says which.
     */
    private Result nflog(byte[] b, int start, int end, TcpSegment out) {
        if (end - start < NFLOG_HEADER + TLV_HEADER) {
            return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
        }
        int type = switch (b[start] & 0xff) {
            case 2 -> PacketDecoder.ETHERTYPE_IPV4; // AF_INET
            case 10 -> PacketDecoder.ETHERTYPE_IPV6; // AF_INET6 (Linux)
            default -> 0;
        };
        if (type == 0) {
            return decoder.skipped(SkipReason.NOT_IP);
        }
        boolean little = b[start + NFLOG_HEADER + 2] != 0;
        int i = start + NFLOG_HEADER;
        while (end - i >= TLV_HEADER) {
            int length = little ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : Bytes.uint16(b, i);
            int tlvType = little ? (b[i + 2] & 0xff) | (b[i + 3] & 0x7f) << 8 : Bytes.uint16(b, i + 2) & 0x7fff;
            if (length < TLV_HEADER) {
                return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
            }
            if (tlvType == NFULA_PAYLOAD) {
                long tlvEnd = (long) i + length;
                return decoder.network(b, type, i + TLV_HEADER, (int) Math.min(end, tlvEnd), tlvEnd, out);
            }
            i += (length + 3) & ~3;
        }
        // No payload TLV in what was captured.
        return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
    }

    /**
     * PPP (RFC 1661 section 2): RFC 1662's {@code ff 03} if present, then the protocol, one byte when compressed
     * (RFC 1661 section 6.5: an odd first byte).
     */
    private Result ppp(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        if (p >= end) {
            return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
        }
        if ((b[p] & 0xff) == 0xff) {
            // RFC 1662's all-stations address; the control byte must follow (no protocol starts 0xff).
            if (end - p < 3) {
                return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
            }
            p += 2;
        }
        int protocol;
        if ((b[p] & 0x01) != 0) {
            protocol = b[p] & 0xff;
            p += 1;
        } else {
            if (end - p < 2) {
                return decoder.malformed(Anomaly.TRUNCATED_LINK_HEADER);
            }
            protocol = Bytes.uint16(b, p);
            p += 2;
        }
        int type = Tunnels.pppEthertype(protocol);
        return type == 0 ? decoder.skipped(SkipReason.NOT_IP) : decoder.network(b, type, p, end, wireEnd, out);
    }
}
