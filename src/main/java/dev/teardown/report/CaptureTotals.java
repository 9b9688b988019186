package dev.teardown.report;

import java.util.List;
import java.util.Map;

/**
 * Packet-level totals of one analysis, for the summary.
 *
 * @param packets frames read from the capture
 * @param tcpSegments frames decoded as TCP segments
 * @param skipped frames skipped by reason (not IP, not TCP, fragment, ...), in a stable order
 * @param malformed malformed frames by anomaly name, in a stable order
 * @param warnings non-fatal capture problems, one line each
 * @param peakConnections most connections held at once
 * @param firstNanos first packet time, or {@link dev.teardown.capture.PacketTime#UNSET} with no packets
 * @param lastNanos last packet time, or {@link dev.teardown.capture.PacketTime#UNSET}
 * @param tunnels packets that came through each encapsulation, by its name ({@code vxlan}, {@code gre}, ...), in a
 *     stable order, none at 0; a packet through two layers counts in both
 */
public record CaptureTotals(long packets, long tcpSegments, Map<String, Long> skipped, Map<String, Long> malformed,
                            List<String> warnings, long peakConnections, long firstNanos, long lastNanos,
                            Map<String, Long> tunnels) {

    /** Totals of a capture with no tunnelled packets. */
    public CaptureTotals(long packets, long tcpSegments, Map<String, Long> skipped, Map<String, Long> malformed,
                         List<String> warnings, long peakConnections, long firstNanos, long lastNanos) {
        this(packets, tcpSegments, skipped, malformed, warnings, peakConnections, firstNanos, lastNanos, Map.of());
    }
}
