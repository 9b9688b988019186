package dev.teardown.decode;

/**
 * Counters kept by {@link PacketDecoder}: packets seen, TCP segments decoded, packets skipped by reason and
 * packet-level anomalies by name.
 *
 * <p>Every packet is either decoded to a TCP segment, skipped for one {@link SkipReason}, or dropped as malformed
 * under one packet-level {@link Anomaly}. {@link Anomaly#BAD_TCP_OPTION} and {@link Anomaly#BAD_TCP_CHECKSUM} are
 * the exceptions: they are counted on segments that are still decoded. Packets that came through an encapsulation
 * are also counted per {@link Tunnel} kind. Not thread-safe: one instance per decoder.
 */
public final class DecodeStats {
    private long packets;
    private long tcpSegments;
    private final long[] skippedByReason = new long[SkipReason.values().length];
    private final long[] anomalies = new long[Anomaly.values().length];
    private final long[] tunnels = new long[Tunnel.values().length];
    private long loopbackFrames;

    /** Every frame handed to the decoder. */
    public long packets() { return packets; }

    /** Frames decoded to a TCP segment. */
    public long tcpSegments() { return tcpSegments; }

    /** Frames passed over for {@code reason}. */
    public long skipped(SkipReason reason) { return skippedByReason[reason.ordinal()]; }

    /** Frames dropped as malformed under {@code anomaly}, or (BAD_TCP_OPTION, BAD_TCP_CHECKSUM) decoded with it. */
    public long count(Anomaly anomaly) { return anomalies[anomaly.ordinal()]; }

    /** Packets that came through a layer of {@code kind} (a packet through two layers counts in both). */
    public long tunnelled(Tunnel kind) { return tunnels[kind.ordinal()]; }

    /**
     * Linux cooked frames (SLL, SLL2: {@code -i any}) that the loopback device carried: the kernel hands each of
     * them to the capture twice, leaving and arriving, so libpcap's received count is about twice theirs.
     */
    public long loopbackFrames() { return loopbackFrames; }

    void loopbackFrame() { loopbackFrames++; }

    void tunnel(Tunnel kind) { tunnels[kind.ordinal()]++; }

    void packetSeen() { packets++; }

    void tcpSegment() { tcpSegments++; }

    void skip(SkipReason reason) { skippedByReason[reason.ordinal()]++; }

    void malformed(Anomaly anomaly) { anomalies[anomaly.ordinal()]++; }

    /** An anomaly on a packet that is still decoded. */
    void anomaly(Anomaly anomaly) { anomalies[anomaly.ordinal()]++; }
}
