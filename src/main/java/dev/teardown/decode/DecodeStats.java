package dev.teardown.decode;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters kept by {@link PacketDecoder}: packets seen, TCP segments decoded, packets skipped by reason and
 * packet-level anomalies by name.
 *
 * <p>Every packet lands in exactly one of {@link #tcpSegments()}, {@link #skipped()} and {@link #malformed()}.
 * Anomaly counts are kept apart from those totals because {@link Anomaly#BAD_TCP_OPTION} is counted on
 * segments that are still decoded. Not thread-safe: one instance per decoder.
 */
public final class DecodeStats {
    private static final SkipReason[] SKIP_REASONS = SkipReason.values();
    private static final Anomaly[] ANOMALIES = Anomaly.values();

    private long packets;
    private long tcpSegments;
    private long skipped;
    private long malformed;
    private final long[] skippedByReason = new long[SKIP_REASONS.length];
    private final long[] anomalies = new long[ANOMALIES.length];

    /** Every frame handed to the decoder. */
    public long packets() { return packets; }

    /** Frames decoded to a TCP segment. */
    public long tcpSegments() { return tcpSegments; }

    /** Frames passed over for any {@link SkipReason}. */
    public long skipped() { return skipped; }

    public long skipped(SkipReason reason) { return skippedByReason[reason.ordinal()]; }

    /** Frames dropped as malformed; each also counted under one {@link Anomaly}. */
    public long malformed() { return malformed; }

    public long count(Anomaly anomaly) { return anomalies[anomaly.ordinal()]; }

    /** The non-zero skip counts, in {@link SkipReason} declaration order. */
    public Map<SkipReason, Long> skipReasons() {
        Map<SkipReason, Long> map = new EnumMap<>(SkipReason.class);
        for (SkipReason reason : SKIP_REASONS) {
            if (skippedByReason[reason.ordinal()] != 0) {
                map.put(reason, skippedByReason[reason.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The non-zero anomaly counts, in {@link Anomaly} declaration order. */
    public Map<Anomaly, Long> anomalies() {
        Map<Anomaly, Long> map = new EnumMap<>(Anomaly.class);
        for (Anomaly anomaly : ANOMALIES) {
            if (anomalies[anomaly.ordinal()] != 0) {
                map.put(anomaly, anomalies[anomaly.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    void packetSeen() { packets++; }

    void tcpSegment() { tcpSegments++; }

    void skip(SkipReason reason) {
        skipped++;
        skippedByReason[reason.ordinal()]++;
    }

    void malformed(Anomaly anomaly) {
        malformed++;
        anomalies[anomaly.ordinal()]++;
    }

    /** An anomaly on a packet that is still decoded. */
    void anomaly(Anomaly anomaly) { anomalies[anomaly.ordinal()]++; }

    @Override
    public String toString() {
        return "DecodeStats[packets=" + packets + ", tcp=" + tcpSegments + ", skipped=" + skipReasons()
                + ", malformed=" + malformed + ", anomalies=" + anomalies() + "]";
    }
}
