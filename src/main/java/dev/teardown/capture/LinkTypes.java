package dev.teardown.capture;

/**
 * The libpcap {@code LINKTYPE_} values that the decode stage understands, as {@link Frame#linkType()} carries them
 * (https://www.tcpdump.org/linktypes.html).
 */
public final class LinkTypes {
    private LinkTypes() {}

    /** BSD loopback: a 4-byte address family in the capturing host's byte order. */
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    /** PPP (RFC 1661), with or without RFC 1662's {@code ff 03} address and control bytes. */
    public static final int PPP = 9;
    /** {@code DLT_RAW} as some systems number it: raw IP, version in the first nibble. */
    public static final int RAW_12 = 12;
    /** {@code DLT_RAW} as OpenBSD numbers it. */
    public static final int RAW_14 = 14;
    /** PPP in HDLC-like framing (RFC 1662). */
    public static final int PPP_HDLC = 50;
    /** PPPoE (RFC 2516): the frame begins with the PPPoE header. */
    public static final int PPP_ETHER = 51;
    /** Raw IP, version in the first nibble. */
    public static final int RAW = 101;
    /** OpenBSD loopback: a 4-byte address family in network byte order. */
    public static final int LOOP = 108;
    /** Cisco HDLC: address, control, then an ethertype. */
    public static final int C_HDLC = 104;
    /** Linux "cooked" capture v1: a 16-byte header with the protocol at offset 14. */
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    /** Linux netfilter log ({@code tcpdump -i nflog:N}): family, version, resource id, then TLVs, the packet in one. */
    public static final int NFLOG = 239;
    /** Linux "cooked" capture v2 (tcpdump -i any since libpcap 1.10): a 20-byte header, protocol at offset 0. */
    public static final int LINUX_SLL2 = 276;
}
