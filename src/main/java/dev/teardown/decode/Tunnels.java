package dev.teardown.decode;

import dev.teardown.capture.Bytes;
import dev.teardown.decode.PacketDecoder.Result;

/**
 * Takes encapsulation headers apart by offset, for {@link PacketDecoder}: MPLS label stacks, PPPoE sessions, GRE
 * (with transparent Ethernet bridging and ERSPAN types I to III), VXLAN, Geneve, GTP-U and IP-in-IP; each records
 * its layer in the segment ({@link Tunnel} says which keys the connection) and hands what it carries back to
 * {@link PacketDecoder#network}.
 *
 * <p>Every read is checked against {@code end}, the captured bytes within the enclosing IP packet's declared
 * length. A header the capture cuts is {@link Anomaly#TRUNCATED_TUNNEL_HEADER}; one that breaks its own rules
 * {@link Anomaly#BAD_TUNNEL_HEADER}; a payload not decoded {@link SkipReason#TUNNEL_PAYLOAD_UNKNOWN}; a layer past
 * {@link Tunnel#MAX_DEPTH} {@link SkipReason#TUNNEL_TOO_DEEP}, which bounds the recursion. Allocates nothing.
 */
final class Tunnels {
    private static final int ETHERTYPE_MPLS = 0x8847;
    private static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
    private static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
    /** Transparent Ethernet bridging (GRE "gretap", Geneve, NVGRE). */
    private static final int ETHERTYPE_TEB = 0x6558;
    private static final int ETHERTYPE_ERSPAN_2 = 0x88be;
    private static final int ETHERTYPE_ERSPAN_3 = 0x22eb;
    private static final int ETHERNET_HEADER = 14;

    private static final int PROTO_IPIP = 4;
    private static final int PROTO_UDP = 17;
    private static final int PROTO_IPV6 = 41;
    private static final int PROTO_GRE = 47;
    private static final int UDP_HEADER = 8;

    /** IANA's VXLAN port (RFC 7348 section 5), and Linux's default when {@code ip link add type vxlan} gets no dstport. */
    private static final int PORT_VXLAN = 4789;
    private static final int PORT_VXLAN_LINUX = 8472;
    private static final int PORT_GENEVE = 6081;
    private static final int PORT_GTPU = 2152;
    private static final int GTPU_G_PDU = 255;

    // PPP protocol numbers (RFC 1332, RFC 5072, RFC 3032 section 4.3).
    private static final int PPP_IPV4 = 0x0021;
    private static final int PPP_IPV6 = 0x0057;
    private static final int PPP_MPLS = 0x0281;

    private final PacketDecoder decoder;
    private final DecodeStats stats;

    Tunnels(PacketDecoder decoder, DecodeStats stats) {
        this.decoder = decoder;
        this.stats = stats;
    }

    /** A frame whose ethertype is not IP: MPLS and PPPoE are taken apart, anything else is not IP. */
    Result ethertype(byte[] b, int type, int p, int end, long wireEnd, TcpSegment out) {
        return switch (type) {
            case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST -> mpls(b, p, end, wireEnd, out);
            case ETHERTYPE_PPPOE_SESSION -> pppoe(b, p, end, wireEnd, out);
            default -> decoder.skipped(SkipReason.NOT_IP);
        };
    }

    /**
     * An IP payload that is not TCP, of protocol {@code proto} at {@code q}, in the IP header at {@code ip} that
     * declares the packet ends at {@code ipEnd}: UDP to a tunnel port, GRE and IP-in-IP are taken apart.
     */
    Result ipPayload(int proto, byte[] b, int ip, int q, long ipEnd, int end, TcpSegment out) {
        if (proto != PROTO_UDP && proto != PROTO_GRE && proto != PROTO_IPIP && proto != PROTO_IPV6) {
            return decoder.skipped(SkipReason.NOT_TCP);
        }
        int inner = (int) Math.min(end, ipEnd);
        boolean outer4 = (b[ip] & 0xf0) == 0x40;
        return switch (proto) {
            case PROTO_UDP -> udp(b, ip, q, inner, ipEnd, out);
            case PROTO_GRE -> gre(b, ip, q, inner, ipEnd, out);
            // RFC 2003 (4 in 4), RFC 4213 section 3 (6 in 4), RFC 2473 (either in IPv6).
            case PROTO_IPIP -> enter(outer4 ? Tunnel.IP4IN4 : Tunnel.IP4IN6, false, 0, true, outerPair(b, ip), out)
                ? decoder.network(b, PacketDecoder.ETHERTYPE_IPV4, q, inner, ipEnd, out) : tooDeep();
            default -> enter(outer4 ? Tunnel.IP6IN4 : Tunnel.IP6IN6, false, 0, true, outerPair(b, ip), out)
                ? decoder.network(b, PacketDecoder.ETHERTYPE_IPV6, q, inner, ipEnd, out) : tooDeep();
        };
    }

    /** The ethertype a PPP protocol number carries, or 0 when it is none decoded (LCP, IPCP, ...). */
    static int pppEthertype(int protocol) {
        return switch (protocol) {
            case PPP_IPV4 -> PacketDecoder.ETHERTYPE_IPV4;
            case PPP_IPV6 -> PacketDecoder.ETHERTYPE_IPV6;
            case PPP_MPLS -> ETHERTYPE_MPLS;
            default -> 0;
        };
    }

    /** MPLS label stack (RFC 3032 section 2.1): 4-byte entries until the one with the bottom-of-stack bit. */
    private Result mpls(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        boolean bottom;
        do {
            if (end - p < 4) {
                return truncated();
            }
            bottom = (b[p + 2] & 0x01) != 0;
            p += 4;
        } while (!bottom);
        if (p >= end) {
            return truncated();
        }
        if (!enter(Tunnel.MPLS, false, 0, false, 0, out)) {
            return tooDeep();
        }
        // Nothing names the payload: IP by its version nibble, or a pseudo-wire control word (RFC 4385 section 3,
        // first nibble 0) before an Ethernet frame (RFC 4448 section 4.6).
        return switch ((b[p] & 0xf0) >>> 4) {
            case 4 -> decoder.network(b, PacketDecoder.ETHERTYPE_IPV4, p, end, wireEnd, out);
            case 6 -> decoder.network(b, PacketDecoder.ETHERTYPE_IPV6, p, end, wireEnd, out);
            case 0 -> end - p < 4 ? truncated() : ethernet(b, p + 4, end, wireEnd, out);
            default -> decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        };
    }

    /** PPPoE session stage (RFC 2516 section 4): version and type 1, code 0, session id, length, then PPP. */
    Result pppoe(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        if (end - p < 8) {
            return truncated();
        }
        if ((b[p] & 0xff) != 0x11) {
            return bad();
        }
        if (b[p + 1] != 0) {
            return decoder.skipped(SkipReason.NOT_IP); // a discovery packet (PADI, PADO, ..., PADT)
        }
        int length = Bytes.uint16(b, p + 4); // the PPP protocol field and its payload
        if (length < 2) {
            return bad();
        }
        if (!enter(Tunnel.PPPOE, false, 0, false, 0, out)) {
            return tooDeep();
        }
        int type = pppEthertype(Bytes.uint16(b, p + 6));
        if (type == 0) {
            return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        long pppEnd = p + 6L + length;
        return decoder.network(b, type, p + 8, (int) Math.min(end, pppEnd), Math.min(wireEnd, pppEnd), out);
    }

    /** GRE (RFC 2784 section 2, RFC 2890 section 2): flags and version, protocol type, optional fields. */
    private Result gre(byte[] b, int ip, int q, int end, long wireEnd, TcpSegment out) {
        if (end - q < 4) {
            return truncated();
        }
        int flags = Bytes.uint16(b, q);
        int protocol = Bytes.uint16(b, q + 2);
        boolean checksum = (flags & 0x8000) != 0;
        boolean keyed = (flags & 0x2000) != 0;
        boolean sequenced = (flags & 0x1000) != 0;
        // Version 1 is PPTP's enhanced GRE (RFC 2637); the routing bit is RFC 1701's source routing: not decoded.
        if ((flags & 0x0007) != 0 || (flags & 0x4000) != 0) {
            return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        int length = 4 + (checksum ? 4 : 0) + (keyed ? 4 : 0) + (sequenced ? 4 : 0);
        if (end - q < length) {
            return truncated();
        }
        int r = q + length;
        switch (protocol) {
            case ETHERTYPE_ERSPAN_2:
                // ERSPAN type I has no header and no sequence number; type II has both.
                return sequenced ? erspan2(b, r, end, wireEnd, out) : enter(Tunnel.ERSPAN1, false, 0, false, 0, out)
                    ? ethernet(b, r, end, wireEnd, out) : tooDeep();
            case ETHERTYPE_ERSPAN_3:
                return erspan3(b, r, end, wireEnd, out);
            case ETHERTYPE_TEB, PacketDecoder.ETHERTYPE_IPV4, PacketDecoder.ETHERTYPE_IPV6, ETHERTYPE_MPLS,
                ETHERTYPE_MPLS_MULTICAST:
                break;
            default:
                return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        long key = keyed ? Bytes.int32(b, q + (checksum ? 8 : 4)) & 0xffff_ffffL : 0;
        if (!enter(Tunnel.GRE, keyed, key, true, keyed ? key : outerPair(b, ip), out)) {
            return tooDeep();
        }
        return protocol == ETHERTYPE_TEB ? ethernet(b, r, end, wireEnd, out)
            : decoder.network(b, protocol, r, end, wireEnd, out);
    }

    /** ERSPAN type II (draft-foschiano-erspan section 4.1): version 1, VLAN, CoS, session id, index; then Ethernet. */
    private Result erspan2(byte[] b, int r, int end, long wireEnd, TcpSegment out) {
        if (end - r < 8) {
            return truncated();
        }
        if ((b[r] & 0xf0) != 0x10) {
            return bad();
        }
        return enter(Tunnel.ERSPAN2, false, 0, false, 0, out) ? ethernet(b, r + 8, end, wireEnd, out) : tooDeep();
    }

    /**
     * ERSPAN type III (draft-foschiano-erspan section 4.2): version 2, 12 bytes and an 8-byte platform subheader
     * when the O bit is set; the frame type says Ethernet (0) or IP (2).
     */
    private Result erspan3(byte[] b, int r, int end, long wireEnd, TcpSegment out) {
        if (end - r < 12) {
            return truncated();
        }
        if ((b[r] & 0xf0) != 0x20) {
            return bad();
        }
        int frameType = (b[r + 10] & 0x7c) >>> 2;
        int s = r + 12 + ((b[r + 11] & 0x01) != 0 ? 8 : 0);
        if (end - s < 0) {
            return truncated();
        }
        if (frameType != 0 && frameType != 2) {
            return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        if (!enter(Tunnel.ERSPAN3, false, 0, false, 0, out)) {
            return tooDeep();
        }
        return frameType == 0 ? ethernet(b, s, end, wireEnd, out)
            : decoder.network(b, PacketDecoder.IP_ANY_VERSION, s, end, wireEnd, out);
    }

    /** UDP to a tunnel's port: VXLAN, Geneve, GTP-U; any other UDP is not TCP. */
    private Result udp(byte[] b, int ip, int q, int end, long wireEnd, TcpSegment out) {
        if (end - q < UDP_HEADER) {
            return decoder.skipped(SkipReason.NOT_TCP); // too short to say which port: nothing says it is a tunnel
        }
        int r = q + UDP_HEADER;
        return switch (Bytes.uint16(b, q + 2)) {
            case PORT_VXLAN, PORT_VXLAN_LINUX -> vxlan(b, r, end, wireEnd, out);
            case PORT_GENEVE -> geneve(b, r, end, wireEnd, out);
            case PORT_GTPU -> gtpu(b, ip, r, end, wireEnd, out);
            default -> decoder.skipped(SkipReason.NOT_TCP);
        };
    }

    /** VXLAN (RFC 7348 section 5): flags with I set, 24-bit VNI, then an Ethernet frame. */
    private Result vxlan(byte[] b, int r, int end, long wireEnd, TcpSegment out) {
        if (end - r < 8) {
            return truncated();
        }
        if ((b[r] & 0x08) == 0) {
            return bad();
        }
        long vni = Bytes.int32(b, r + 4) >>> 8 & 0xff_ffffL;
        return enter(Tunnel.VXLAN, true, vni, true, vni, out) ? ethernet(b, r + 8, end, wireEnd, out) : tooDeep();
    }

    /** Geneve (RFC 8926 section 3.4): version 0, options length in 4-byte words, protocol type, 24-bit VNI. */
    private Result geneve(byte[] b, int r, int end, long wireEnd, TcpSegment out) {
        if (end - r < 8) {
            return truncated();
        }
        if ((b[r] & 0xc0) != 0) {
            return bad();
        }
        int s = r + 8 + ((b[r] & 0x3f) << 2);
        if (end - s < 0) {
            return truncated();
        }
        int protocol = Bytes.uint16(b, r + 2);
        if (protocol != ETHERTYPE_TEB && protocol != PacketDecoder.ETHERTYPE_IPV4
                && protocol != PacketDecoder.ETHERTYPE_IPV6) {
            return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        long vni = Bytes.int32(b, r + 4) >>> 8 & 0xff_ffffL;
        if (!enter(Tunnel.GENEVE, true, vni, true, vni, out)) {
            return tooDeep();
        }
        return protocol == ETHERTYPE_TEB ? ethernet(b, s, end, wireEnd, out) : decoder.network(b, protocol, s, end, wireEnd, out);
    }

    /**
     * GTP-U (3GPP TS 29.281 section 5): version 1, protocol type 1, message type, TEID; with any of the E, S, PN
     * flags a sequence number, N-PDU number and next extension type, then the extension chain (each header's
     * length in 4-byte units, its last byte the next type). Only a G-PDU (type 255) carries a user packet.
     */
    private Result gtpu(byte[] b, int ip, int r, int end, long wireEnd, TcpSegment out) {
        if (end - r < 8) {
            return truncated();
        }
        int flags = b[r] & 0xff;
        if (flags >>> 5 != 1 || (flags & 0x10) == 0) {
            return bad(); // version 2 is GTP-C; protocol type 0 is GTP' (charging)
        }
        if ((b[r + 1] & 0xff) != GTPU_G_PDU) {
            return decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        }
        int s = r + 8;
        if ((flags & 0x07) != 0) {
            if (end - s < 4) {
                return truncated();
            }
            int next = (flags & 0x04) != 0 ? b[s + 3] & 0xff : 0;
            s += 4;
            while (next != 0) {
                if (end - s < 1) {
                    return truncated();
                }
                int length = (b[s] & 0xff) << 2;
                if (length == 0) {
                    return bad();
                }
                if (end - s < length) {
                    return truncated();
                }
                next = b[s + length - 1] & 0xff;
                s += length;
            }
        }
        if (s >= end) {
            return truncated();
        }
        if (!enter(Tunnel.GTPU, false, 0, true, outerPair(b, ip), out)) {
            return tooDeep();
        }
        return switch ((b[s] & 0xf0) >>> 4) {
            case 4 -> decoder.network(b, PacketDecoder.ETHERTYPE_IPV4, s, end, wireEnd, out);
            case 6 -> decoder.network(b, PacketDecoder.ETHERTYPE_IPV6, s, end, wireEnd, out);
            default -> decoder.skipped(SkipReason.TUNNEL_PAYLOAD_UNKNOWN);
        };
    }

    /** An Ethernet frame carried by a tunnel: destination, source, ethertype. */
    private Result ethernet(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        if (end - p < ETHERNET_HEADER) {
            return truncated();
        }
        return decoder.network(b, Bytes.uint16(b, p + 12), p + ETHERNET_HEADER, end, wireEnd, out);
    }

    /**
     * Records a layer of {@code kind} (its {@code id} shown when {@code shown}) and, when {@code keyed}, keys the
     * connection on {@code key}; false when the packet is already {@link Tunnel#MAX_DEPTH} layers deep.
     */
    private boolean enter(Tunnel kind, boolean shown, long id, boolean keyed, long key, TcpSegment out) {
        if (out.tunnelDepth == Tunnel.MAX_DEPTH) {
            return false;
        }
        out.tunnelLayers[out.tunnelDepth++] = Tunnel.layer(kind, shown, id);
        if (keyed) {
            out.tunnelId = Tunnel.key(out.tunnelId, kind, key);
        }
        stats.tunnel(kind);
        return true;
    }

    /** The unordered pair of addresses of the IP header at {@code ip} (already checked whole). */
    private static long outerPair(byte[] b, int ip) {
        if ((b[ip] & 0xf0) == 0x40) {
            return Tunnel.pair4(Bytes.int32(b, ip + 12) & 0xffff_ffffL, Bytes.int32(b, ip + 16) & 0xffff_ffffL);
        }
        return Tunnel.pair6(Bytes.int64(b, ip + 8), Bytes.int64(b, ip + 16), Bytes.int64(b, ip + 24),
            Bytes.int64(b, ip + 32));
    }

    private Result truncated() {
        return decoder.malformed(Anomaly.TRUNCATED_TUNNEL_HEADER);
    }

    private Result bad() {
        return decoder.malformed(Anomaly.BAD_TUNNEL_HEADER);
    }

    private Result tooDeep() {
        return decoder.skipped(SkipReason.TUNNEL_TOO_DEEP);
    }
}
