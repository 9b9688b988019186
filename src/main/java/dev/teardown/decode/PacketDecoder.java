package dev.teardown.decode;

import dev.teardown.capture.Bytes;
import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;

/**
 * Decodes the link, IP and TCP headers of one captured frame by offset into its bytes, filling a reused
 * {@link TcpSegment} and allocating nothing.
 *
 * <p>Whatever the bytes, {@link #decode} returns a {@link Result} and never throws: a packet that cannot be
 * decoded is counted in {@link DecodeStats} under one {@link Anomaly} and dropped (Zeek's "weird"). Every read
 * is bounds-checked against the captured length first. The declared lengths rule: the IP total length (or
 * IPv6 payload length) bounds the packet, so Ethernet padding is ignored and a packet cut short by the
 * snapshot length still reports its full {@link TcpSegment#payloadLength}.
 *
 * <p>Which anomaly names what: {@code TRUNCATED_*} when the capture ends inside a header (snapshot length
 * too small, or a cut-off record); {@code BAD_IP_TOTAL_LENGTH} when the declared IP length cannot hold the
 * headers it announces; {@code BAD_TCP_DATA_OFFSET} when the data offset is below 5 words or past the
 * declared segment. TCP options cut off by the snapshot length are read as far as they go and the segment is
 * still decoded, since old tcpdump's default 68-byte snapshot cut SYN options routinely.
 *
 * <p>Encapsulations ({@link Tunnel}: MPLS, PPPoE, GRE, ERSPAN, VXLAN, Geneve, GTP-U, IP-in-IP) are taken apart by
 * {@link Tunnels}, the rarer link types by {@link LinkFraming}; both come back through {@link #network}, at most
 * {@link Tunnel#MAX_DEPTH} layers deep, so the segment is the innermost one. Plain TCP over IP pays nothing for
 * them: they are reached only where the untunnelled path would have skipped the packet.
 *
 * <p>Not thread-safe: one decoder, with its own {@link DecodeStats}, per thread.
 */
public final class PacketDecoder {

    /** What {@link #decode} made of a frame; {@code out} holds a segment only after {@link #TCP}. */
    public enum Result { TCP, SKIPPED, MALFORMED }

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88a8;
    /** The pre-standard QinQ outer tag some switches still send. */
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    /** Not an ethertype: raw IP whose version is read from the header's first nibble. */
    static final int IP_ANY_VERSION = -1;

    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    /**
     * The Linux cooked header's device type of the loopback device (ARPHRD_LOOPBACK, include/uapi/linux/if_arp.h):
     * at byte 2 of SLL, byte 8 of SLL2.
     */
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int LOOPBACK_HEADER = 4;
    private static final int VLAN_TAG = 4;

    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    /** The shortest IPv6 extension header, and the fragment header's fixed length (RFC 8200 section 4). */
    private static final int IPV6_EXTENSION_MIN = 8;
    private static final int TCP_MIN_HEADER = 20;

    // IP protocol and IPv6 next-header numbers (IANA "Assigned Internet Protocol Numbers").
    private static final int HOP_BY_HOP = 0;
    private static final int PROTO_TCP = 6;
    private static final int ROUTING = 43;
    private static final int FRAGMENT = 44;
    private static final int AUTHENTICATION = 51;
    private static final int DESTINATION_OPTIONS = 60;
    private static final int MOBILITY = 135;
    private static final int HIP = 139;
    private static final int SHIM6 = 140;


    private final DecodeStats stats;
    private final Tunnels tunnels;
    private final LinkFraming links;
    private final boolean verifyChecksums;

    /** A decoder that leaves TCP checksums unchecked (loopback and offloading hosts capture them unfilled). */
    public PacketDecoder(DecodeStats stats) {
        this(stats, false);
    }

    /**
     * A decoder that, with {@code verifyChecksums}, checks the TCP checksum of every segment captured whole and marks
     * a failing one {@link TcpSegment#badChecksum} (counted as {@link Anomaly#BAD_TCP_CHECKSUM}).
     */
    public PacketDecoder(DecodeStats stats, boolean verifyChecksums) {
        if (stats == null) {
            throw new NullPointerException("stats");
        }
        this.verifyChecksums = verifyChecksums;
        this.stats = stats;
        this.tunnels = new Tunnels(this, stats);
        this.links = new LinkFraming(this);
    }

    /**
     * Decodes {@code frame} into {@code out}.
     *
     * @return {@link Result#TCP} when {@code out} now holds the frame's TCP segment; otherwise the frame was
     *     counted as skipped or malformed and {@code out}'s fields are unspecified
     * @throws IllegalArgumentException only if the frame's window lies outside its buffer (a reader bug, not
     *     bad traffic)
     */
    public Result decode(Frame frame, TcpSegment out) {
        stats.packetSeen();
        byte[] b = frame.data();
        int start = frame.offset();
        int captured = frame.capturedLength();
        if (start < 0 || captured < 0 || start > b.length - captured) {
            throw new IllegalArgumentException("frame window [" + start + ", +" + captured
                    + ") lies outside its " + b.length + "-byte buffer");
        }
        int end = start + captured;
        // Where the packet ended on the wire; stands in for an IP length of 0 (segmentation offload, jumbograms).
        long wireEnd = (long) start + Math.max(captured, frame.originalLength());

        out.timeNanos = frame.timeNanos();
        out.data = b;
        out.tunnelId = 0;
        out.tunnelDepth = 0;
        int type;
        int p;
        switch (frame.linkType()) {
            case LinkTypes.ETHERNET -> {
                if (captured < ETHERNET_HEADER) {
                    return malformed(Anomaly.TRUNCATED_LINK_HEADER);
                }
                type = Bytes.uint16(b, start + 12);
                p = start + ETHERNET_HEADER;
            }
            case LinkTypes.LINUX_SLL -> {
                if (captured < SLL_HEADER) {
                    return malformed(Anomaly.TRUNCATED_LINK_HEADER);
                }
                type = Bytes.uint16(b, start + 14);
                if (Bytes.uint16(b, start + 2) == ARPHRD_LOOPBACK) stats.loopbackFrame();
                p = start + SLL_HEADER;
            }
            case LinkTypes.LINUX_SLL2 -> {
                if (captured < SLL2_HEADER) {
                    return malformed(Anomaly.TRUNCATED_LINK_HEADER);
                }
                type = Bytes.uint16(b, start);
                if (Bytes.uint16(b, start + 8) == ARPHRD_LOOPBACK) stats.loopbackFrame();
                p = start + SLL2_HEADER;
            }
            case LinkTypes.NULL, LinkTypes.LOOP -> {
                if (captured < LOOPBACK_HEADER) {
                    return malformed(Anomaly.TRUNCATED_LINK_HEADER);
                }
                int family = Bytes.int32(b, start);
                // NULL writes the family in the capturing host's byte order; families are small, so a value
                // with only high bytes set was written little-endian.
                if (frame.linkType() == LinkTypes.NULL && (family & 0xffff) == 0) {
                    family = Integer.reverseBytes(family);
                }
                type = ethertypeOfFamily(family);
                p = start + LOOPBACK_HEADER;
            }
            case LinkTypes.RAW, LinkTypes.RAW_12, LinkTypes.RAW_14 -> {
                type = IP_ANY_VERSION;
                p = start;
            }
            case LinkTypes.IPV4 -> {
                type = ETHERTYPE_IPV4;
                p = start;
            }
            case LinkTypes.IPV6 -> {
                type = ETHERTYPE_IPV6;
                p = start;
            }
            default -> {
                // The rarer link types (NFLOG, PPP, Cisco HDLC, PPPoE) find their protocol in a header of their own.
                return links.decode(frame.linkType(), b, start, end, wireEnd, out);
            }
        }
        return network(b, type, p, end, wireEnd, out);
    }

    /**
     * Decodes from a network-layer header of protocol {@code type} (an ethertype, or {@link #IP_ANY_VERSION})
     * at {@code p}, reading below {@code end}; {@code wireEnd} stands in for an IP length of 0. Link layers and
     * every encapsulation that carries a frame or a packet come here.
     */
    Result network(byte[] b, int type, int p, int end, long wireEnd, TcpSegment out) {
        // IEEE 802.1Q tags, stacked any number deep (802.1ad QinQ); libpcap re-inserts them after cooked
        // headers too. Each tag holds 2 bytes of TCI and the next ethertype.
        while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD) {
            if (end - p < VLAN_TAG) {
                return malformed(out.tunnelDepth == 0 ? Anomaly.TRUNCATED_LINK_HEADER : Anomaly.TRUNCATED_TUNNEL_HEADER);
            }
            type = Bytes.uint16(b, p + 2);
            p += VLAN_TAG;
        }

        int version;
        if (type == ETHERTYPE_IPV4) {
            version = 4;
        } else if (type == ETHERTYPE_IPV6) {
            version = 6;
        } else if (type == IP_ANY_VERSION) {
            if (p >= end) {
                return malformed(Anomaly.TRUNCATED_IP_HEADER);
            }
            version = (b[p] & 0xf0) >>> 4;
        } else {
            // MPLS and PPPoE, or not IP at all.
            return tunnels.ethertype(b, type, p, end, wireEnd, out);
        }

        if (version == 4) {
            return ipv4(b, p, end, wireEnd, out);
        } else if (version == 6) {
            return ipv6(b, p, end, wireEnd, out);
        }
        return malformed(Anomaly.BAD_IP_VERSION);
    }

    /** IPv4 (RFC 791 section 3.1). */
    private Result ipv4(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        if (end - p < IPV4_MIN_HEADER) {
            return malformed(Anomaly.TRUNCATED_IP_HEADER);
        }
        int versionAndLength = b[p] & 0xff;
        if (versionAndLength >>> 4 != 4) {
            return malformed(Anomaly.BAD_IP_VERSION);
        }
        int headerLength = (versionAndLength & 0x0f) << 2;
        if (headerLength < IPV4_MIN_HEADER) {
            return malformed(Anomaly.BAD_IP_HEADER_LENGTH);
        }
        int totalLength = Bytes.uint16(b, p + 2);
        // A total length of 0 is what Linux leaves on segmentation-offload super-packets captured on the
        // sending host (Wireshark: "probably TSO"; pcap4j does the same): the wire length stands in.
        long ipEnd = totalLength != 0 ? p + (long) totalLength : wireEnd;
        if (ipEnd - p < headerLength) {
            return malformed(Anomaly.BAD_IP_TOTAL_LENGTH);
        }
        if (end - p < headerLength) {
            return malformed(Anomaly.TRUNCATED_IP_HEADER);
        }
        // Flags and fragment offset: MF (0x2000) set or a non-zero offset (low 13 bits) is a fragment.
        if ((Bytes.uint16(b, p + 6) & 0x3fff) != 0) {
            return skipped(SkipReason.IP_FRAGMENT);
        }
        if ((b[p + 9] & 0xff) != PROTO_TCP) {
            // UDP, GRE or IP-in-IP may carry a tunnel; anything else is not TCP.
            return tunnels.ipPayload(b[p + 9] & 0xff, b, p, p + headerLength, ipEnd, end, out);
        }
        out.ipVersion = 4;
        out.srcHi = 0;
        out.srcLo = Bytes.int32(b, p + 12) & 0xffff_ffffL;
        out.dstHi = 0;
        out.dstLo = Bytes.int32(b, p + 16) & 0xffff_ffffL;
        return tcp(b, p + headerLength, ipEnd, end, out);
    }

    /** IPv6 (RFC 8200 sections 3 and 4), walking the extension header chain to TCP. */
    private Result ipv6(byte[] b, int p, int end, long wireEnd, TcpSegment out) {
        if (end - p < IPV6_HEADER) {
            return malformed(Anomaly.TRUNCATED_IP_HEADER);
        }
        if ((b[p] & 0xf0) != 0x60) {
            return malformed(Anomaly.BAD_IP_VERSION);
        }
        int payloadLength = Bytes.uint16(b, p + 4);
        // Payload length 0: a jumbogram (RFC 2675) or a Linux BIG TCP super-packet; the wire length stands in.
        long ipEnd = payloadLength != 0 ? p + (long) IPV6_HEADER + payloadLength : wireEnd;
        int next = b[p + 6] & 0xff;
        int q = p + IPV6_HEADER;
        while (next != PROTO_TCP) {
            if (!isExtensionHeader(next)) {
                // UDP, GRE and IP-in-IP may carry a tunnel; ICMPv6, ESP (50, encrypted), no next header (59) and
                // anything unknown are not TCP.
                return tunnels.ipPayload(next, b, p, q, ipEnd, end, out);
            }
            // Every extension header is at least 8 bytes, so the walk advances and ends.
            if (ipEnd - q < IPV6_EXTENSION_MIN) {
                return malformed(Anomaly.BAD_IP_TOTAL_LENGTH);
            }
            if (end - q < IPV6_EXTENSION_MIN) {
                return malformed(Anomaly.TRUNCATED_IPV6_EXTENSION);
            }
            int length = switch (next) {
                case FRAGMENT -> IPV6_EXTENSION_MIN;
                // RFC 4302 section 2.2: AH's length byte counts 4-octet units, minus 2.
                case AUTHENTICATION -> ((b[q + 1] & 0xff) + 2) << 2;
                // RFC 8200 section 4.3: the length byte counts 8-octet units after the first 8 octets.
                default -> ((b[q + 1] & 0xff) + 1) << 3;
            };
            if (ipEnd - q < length) {
                return malformed(Anomaly.BAD_IP_TOTAL_LENGTH);
            }
            if (end - q < length) {
                return malformed(Anomaly.TRUNCATED_IPV6_EXTENSION);
            }
            // RFC 8200 section 4.5: offset in the high 13 bits, M in the lowest. Offset 0 with M clear is an
            // atomic fragment (RFC 6946): a whole packet, decoded as such.
            if (next == FRAGMENT && (Bytes.uint16(b, q + 2) & 0xfff9) != 0) {
                return skipped(SkipReason.IP_FRAGMENT);
            }
            next = b[q] & 0xff;
            q += length;
        }
        out.ipVersion = 6;
        out.srcHi = Bytes.int64(b, p + 8);
        out.srcLo = Bytes.int64(b, p + 16);
        out.dstHi = Bytes.int64(b, p + 24);
        out.dstLo = Bytes.int64(b, p + 32);
        return tcp(b, q, ipEnd, end, out);
    }

    /** TCP (RFC 9293 section 3.1); {@code ipEnd} is where the IP header says the segment ends. */
    private Result tcp(byte[] b, int t, long ipEnd, int end, TcpSegment out) {
        int capturedEnd = (int) Math.min(end, ipEnd);
        if (ipEnd - t < TCP_MIN_HEADER) {
            return malformed(Anomaly.BAD_IP_TOTAL_LENGTH);
        }
        if (capturedEnd - t < TCP_MIN_HEADER) {
            return malformed(Anomaly.TRUNCATED_TCP_HEADER);
        }
        int headerLength = (b[t + 12] & 0xf0) >>> 2;
        if (headerLength < TCP_MIN_HEADER || headerLength > ipEnd - t) {
            return malformed(Anomaly.BAD_TCP_DATA_OFFSET);
        }
        out.srcPort = Bytes.uint16(b, t);
        out.dstPort = Bytes.uint16(b, t + 2);
        out.seq = Bytes.int32(b, t + 4);
        out.ack = Bytes.int32(b, t + 8);
        out.flags = b[t + 13] & 0xff;
        out.window = Bytes.uint16(b, t + 14);
        out.hasTimestamp = false;
        out.tsVal = 0;
        out.tsEcr = 0;
        int payloadOffset = t + headerLength;
        if (headerLength > TCP_MIN_HEADER && !TcpOptions.read(b, t + TCP_MIN_HEADER, payloadOffset,
                Math.min(payloadOffset, capturedEnd), out)) {
            stats.anomaly(Anomaly.BAD_TCP_OPTION);
        }
        out.payloadLength = (int) (ipEnd - payloadOffset);
        out.payloadOffset = payloadOffset;
        out.capturedPayloadLength = Math.max(0, capturedEnd - payloadOffset);
        // Only a segment captured whole can be checked; one cut by the snapshot length passes.
        out.badChecksum = verifyChecksums && capturedEnd == ipEnd && !TcpChecksum.valid(out, b, t, capturedEnd);
        if (out.badChecksum) stats.anomaly(Anomaly.BAD_TCP_CHECKSUM);
        stats.tcpSegment();
        return Result.TCP;
    }

    /** The IPv6 extension headers that may precede TCP (RFC 8200 section 4; RFC 7045 lists them all). */
    private static boolean isExtensionHeader(int next) {
        return switch (next) {
            case HOP_BY_HOP, ROUTING, FRAGMENT, DESTINATION_OPTIONS, AUTHENTICATION, MOBILITY, HIP, SHIM6 -> true;
            default -> false;
        };
    }

    /** The ethertype for a loopback header's address family; BSDs number AF_INET6 differently. */
    private static int ethertypeOfFamily(int family) {
        return switch (family) {
            case 2 -> ETHERTYPE_IPV4;
            // Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, macOS 30.
            case 10, 24, 28, 30 -> ETHERTYPE_IPV6;
            default -> 0;
        };
    }

    Result skipped(SkipReason reason) {
        stats.skip(reason);
        return Result.SKIPPED;
    }

    Result malformed(Anomaly anomaly) {
        stats.malformed(anomaly);
        return Result.MALFORMED;
    }
}
