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

    /**
     * Every counter as one array (packets, TCP segments, loopback frames, then per skip reason, anomaly and tunnel kind, in declaration
     * order), to carry the counts of one decoder to where several are added up ({@link #add}).
     */
    public long[] counts() {
        long[] all = new long[3 + skippedByReason.length + anomalies.length + tunnels.length];
        all[0] = packets;
        all[1] = tcpSegments;
        all[2] = loopbackFrames;
        int at = 3;
        for (long[] part : new long[][] {skippedByReason, anomalies, tunnels}) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** Adds the {@link #counts} of another decoder: the counts of two parts of a capture add up to the whole's. */
    public void add(long[] counts) {
        if (counts.length != 3 + skippedByReason.length + anomalies.length + tunnels.length) {
            throw new IllegalArgumentException("counts of another build: " + counts.length + " values");
        }
        packets += counts[0];
        tcpSegments += counts[1];
        loopbackFrames += counts[2];
        int at = 3;
        for (long[] part : new long[][] {skippedByReason, anomalies, tunnels}) {
            for (int i = 0; i < part.length; i++) part[i] += counts[at + i];
            at += part.length;
        }
    }

    void tunnel(Tunnel kind) { tunnels[kind.ordinal()]++; }

    void packetSeen() { packets++; }

    void tcpSegment() { tcpSegments++; }

    void skip(SkipReason reason) { skippedByReason[reason.ordinal()]++; }

    void malformed(Anomaly anomaly) { anomalies[anomaly.ordinal()]++; }

    /** An anomaly on a packet that is still decoded. */
    void anomaly(Anomaly anomaly) { anomalies[anomaly.ordinal()]++; }
}
