package dev.teardown.decode;

import java.util.EnumSet;
import java.util.Set;

/** Totals over {@link DecodeStats}' counters, for tests: the pipeline reads the counters one by one. */
public final class DecodeTotals {
    private DecodeTotals() {}

    /** The anomalies a packet is dropped under: the packet-level ones but {@link Anomaly#BAD_TCP_OPTION}. */
    static final Set<Anomaly> DROPPING = EnumSet.range(Anomaly.TRUNCATED_LINK_HEADER, Anomaly.BAD_TCP_DATA_OFFSET);

    static {
        DROPPING.add(Anomaly.TRUNCATED_TUNNEL_HEADER);
        DROPPING.add(Anomaly.BAD_TUNNEL_HEADER);
    }

    /** Frames passed over, whatever the reason. */
    public static long skipped(DecodeStats stats) {
        long sum = 0;
        for (SkipReason reason : SkipReason.values()) {
            sum += stats.skipped(reason);
        }
        return sum;
    }

    /** Frames dropped as malformed. */
    public static long malformed(DecodeStats stats) {
        return DROPPING.stream().mapToLong(stats::count).sum();
    }

    /** The non-zero counters, for failure messages. */
    static String describe(DecodeStats stats) {
        StringBuilder sb = new StringBuilder("packets=" + stats.packets() + ", tcp=" + stats.tcpSegments());
        for (SkipReason reason : SkipReason.values()) {
            if (stats.skipped(reason) > 0) sb.append(", ").append(reason).append('=').append(stats.skipped(reason));
        }
        for (Anomaly anomaly : Anomaly.values()) {
            if (stats.count(anomaly) > 0) sb.append(", ").append(anomaly).append('=').append(stats.count(anomaly));
        }
        return sb.toString();
    }
}
