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
 * @param notes facts about the packet source that are information, not problems (libpcap's own counts), in order
 */
public record CaptureTotals(long packets, long tcpSegments, Map<String, Long> skipped, Map<String, Long> malformed,
                            List<String> warnings, long peakConnections, long firstNanos, long lastNanos,
                            Map<String, Long> tunnels, List<Note> notes) {

    /**
     * One fact about the capture's source, shown as a line of its own.
     *
     * @param label what it is about, e.g. {@code libpcap}
     * @param text the fact
     */
    public record Note(String label, String text) {}

    /** Totals without notes. */
    public CaptureTotals(long packets, long tcpSegments, Map<String, Long> skipped, Map<String, Long> malformed,
                         List<String> warnings, long peakConnections, long firstNanos, long lastNanos,
                         Map<String, Long> tunnels) {
        this(packets, tcpSegments, skipped, malformed, warnings, peakConnections, firstNanos, lastNanos, tunnels,
            List.of());
    }

    /** These totals with {@code note} after the notes they have. */
    public CaptureTotals withNote(Note note) {
        List<Note> all = new java.util.ArrayList<>(notes);
        all.add(note);
        return new CaptureTotals(packets, tcpSegments, skipped, malformed, warnings, peakConnections, firstNanos,
            lastNanos, tunnels, List.copyOf(all));
    }

    /** Totals of a capture with no tunnelled packets. */
    public CaptureTotals(long packets, long tcpSegments, Map<String, Long> skipped, Map<String, Long> malformed,
                         List<String> warnings, long peakConnections, long firstNanos, long lastNanos) {
        this(packets, tcpSegments, skipped, malformed, warnings, peakConnections, firstNanos, lastNanos, Map.of());
    }
}
