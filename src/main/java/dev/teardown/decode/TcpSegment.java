package dev.teardown.decode;

/**
 * The decoded IP and TCP header fields of one packet, filled in place by {@link PacketDecoder}.
 *
 * <p>One instance is reused for every packet, so decoding allocates nothing. Addresses are held as two
 * longs: IPv4 in the low 32 bits of {@code lo} with {@code hi} zero, IPv6 as its high and low 64 bits. For a
 * tunnelled packet they are the innermost headers', and the tunnel fields say what carried them.
 */
public final class TcpSegment {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public long timeNanos;
    public int ipVersion;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int srcPort;
    public int dstPort;
    /** Raw 32-bit sequence number; compare with {@link Seq}, never with {@code <}. */
    public int seq;
    public int ack;
    /** The low 8 flag bits of the TCP header (FIN .. CWR). */
    public int flags;
    public int window;
    /** TCP payload length as the IP header declares it (may exceed what the snapshot kept). */
    public int payloadLength;
    /** Index in {@link #data} of the first captured payload byte. */
    public int payloadOffset;
    /** Payload bytes actually present in the capture, at most {@link #payloadLength}. */
    public int capturedPayloadLength;
    /** The frame buffer; valid only until the next packet. */
    public byte[] data;
    /**
     * Whether the segment carries the timestamps option (RFC 7323 section 3); {@link #tsVal} and {@link #tsEcr} are
     * 0 if not. No stage reads the three yet: the next one, TCP timestamp clocks per source IP (the tcp_tw_recycle
     * question: does one address mix several clocks?), will.
     */
    public boolean hasTimestamp;
    /** TSval, the sender's timestamp clock; kept for the timestamp-clock stage (see {@link #hasTimestamp}). */
    public int tsVal;
    /** TSecr, the latest TSval the sender had received; kept for the timestamp-clock stage too. */
    public int tsEcr;
    /**
     * The tunnel context the connection is keyed on besides its 4-tuple, 0 when the packet came through no keyed
     * encapsulation: two tunnels carrying the same inner 4-tuple are two connections ({@link Tunnel} says which
     * layers key). Equal for both directions of a connection.
     */
    public long tunnelId;
    /** How many encapsulation layers the packet came through, 0 to {@link Tunnel#MAX_DEPTH}. */
    public int tunnelDepth;
    /** The layers, outermost first, as {@link Tunnel#layer} packs them; only the first {@link #tunnelDepth} hold one. */
    public final long[] tunnelLayers = new long[Tunnel.MAX_DEPTH];

    /**
     * Whether checksums were verified ({@link PacketDecoder}'s option) and this segment's TCP checksum failed: the
     * receiver drops such a segment, so the tracker records it (Zeek's history letter {@code c}) and nothing else.
     */
    public boolean badChecksum;

    public boolean has(int flag) { return (flags & flag) != 0; }
}
