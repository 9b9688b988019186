package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The terminal summary: how connections ended, who closed, who holds TIME_WAIT, per server endpoint. */
public final class Summary implements RecordSink {
    private static final int TOP_ENDPOINTS = 15;

    private long connections;
    private long tupleReuses;
    private final EnumMap<CloseType, Long> closeTypes = new EnumMap<>(CloseType.class);
    private final EnumMap<Sides, Long> initiators = new EnumMap<>(Sides.class);
    private final EnumMap<Sides, Long> holders = new EnumMap<>(Sides.class);
    private final EnumMap<Anomaly, Long> anomalies = new EnumMap<>(Anomaly.class);
    private final EnumMap<HttpAnomaly, Long> httpAnomalies = new EnumMap<>(HttpAnomaly.class);
    private final Map<String, long[]> endpoints = new HashMap<>();
    private final Map<String, HttpEndpointStats> http = new HashMap<>();

    @Override
    public void accept(FlowRecord r) {
        connections++;
        if (r.tupleReuse()) tupleReuses++;
        closeTypes.merge(r.closeType(), 1L, Long::sum);
        initiators.merge(r.closeInitiator(), 1L, Long::sum);
        holders.merge(r.timeWaitSide(), 1L, Long::sum);
        for (Anomaly a : r.anomalies()) anomalies.merge(a, 1L, Long::sum);
        for (HttpAnomaly a : r.http().anomalies()) httpAnomalies.merge(a, 1L, Long::sum);
        String endpoint = r.serverEndpoint();
        http.computeIfAbsent(endpoint, k -> new HttpEndpointStats()).add(r);
        long[] e = endpoints.computeIfAbsent(endpoint, k -> new long[3]);
        e[0]++;
        if (r.timeWaitSide().includes(Side.SERVER)) e[1]++;
        if (r.timeWaitSide().includes(Side.CLIENT)) e[2]++;
    }

    /** Connections counted so far. */
    public long connections() {
        return connections;
    }

    /** Writes the summary; {@code title} names what was analysed, {@code timeWaitSeconds} the TIME_WAIT length. */
    public void print(PrintWriter out, String title, CaptureTotals totals, long timeWaitSeconds) {
        out.println(Safe.text(title));
        row(out, "packets", String.format(Locale.ROOT, "%,d read, %,d TCP, %,d skipped%s",
            totals.packets(), totals.tcpSegments(), sum(totals.skipped()) + sum(totals.malformed()),
            details(totals.skipped(), totals.malformed())));
        if (PacketTime.isSet(totals.firstNanos())) {
            row(out, "capture span", Times.iso(totals.firstNanos()) + " .. " + Times.iso(totals.lastNanos())
                + " (" + Times.seconds(totals.lastNanos() - totals.firstNanos()) + " s)");
        }
        row(out, "connections", String.format(Locale.ROOT, "%,d (at most %,d open at once)",
            connections, totals.peakConnections()));
        if (connections > 0) {
            out.println();
            row(out, "how they ended", counts(closeTypes, CloseType::label));
            row(out, "closed first by", counts(initiators, Sides::label));
            row(out, "TIME_WAIT held by", counts(holders, Sides::label)
                + String.format(Locale.ROOT, "  (TIME_WAIT = %d s)", timeWaitSeconds));
            row(out, "tuple reuse", String.format(Locale.ROOT, "%,d new SYN%s while the tuple was in TIME_WAIT",
                tupleReuses, tupleReuses == 1 ? "" : "s"));
            printEndpoints(out);
        }
        if (!anomalies.isEmpty() || !httpAnomalies.isEmpty()) {
            // Connections with each anomaly (the CSV's anomalies column), TCP ones first, then HTTP ones.
            out.println();
            String tcp = anomalies.isEmpty() ? "" : counts(anomalies, Anomaly::name);
            String http = httpAnomalies.isEmpty() ? "" : counts(httpAnomalies, HttpAnomaly::name);
            row(out, "anomalies", tcp + (tcp.isEmpty() || http.isEmpty() ? "" : ", ") + http + "  (connections)");
        }
        for (String w : totals.warnings()) row(out, "warning", Safe.text(w));
        out.flush();
    }

    private void printEndpoints(PrintWriter out) {
        List<Map.Entry<String, long[]>> list = new ArrayList<>(endpoints.entrySet());
        list.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
            ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()));
        int width = "server endpoint".length();
        for (int i = 0; i < Math.min(TOP_ENDPOINTS, list.size()); i++) width = Math.max(width, list.get(i).getKey().length());
        out.println();
        out.println(String.format(Locale.ROOT, "  %-" + width + "s  %11s  %17s  %17s",
            "server endpoint", "connections", "TIME_WAIT server", "TIME_WAIT client"));
        for (int i = 0; i < Math.min(TOP_ENDPOINTS, list.size()); i++) {
            long[] v = list.get(i).getValue();
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %,11d  %,17d  %,17d",
                Safe.text(list.get(i).getKey()), v[0], v[1], v[2]));
        }
        if (list.size() > TOP_ENDPOINTS) {
            out.println(String.format(Locale.ROOT, "  (%,d more server endpoints)", list.size() - TOP_ENDPOINTS));
        }
        boolean header = false;
        for (int i = 0; i < Math.min(TOP_ENDPOINTS, list.size()); i++) {
            HttpEndpointStats h = http.get(list.get(i).getKey());
            if (h == null || !h.hasHttp()) continue;
            if (!header) {
                out.println();
                out.println("HTTP by server endpoint");
                header = true;
            }
            for (String line : h.lines(Safe.text(list.get(i).getKey()))) out.println(line);
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-18s %s", label, value));
    }

    private static <K extends Enum<K>> String counts(EnumMap<K, Long> m, java.util.function.Function<K, String> name) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<K, Long> e : m.entrySet()) {
            if (b.length() > 0) b.append(", ");
            b.append(name.apply(e.getKey())).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()));
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static long sum(Map<String, Long> m) {
        long s = 0;
        for (long v : m.values()) s += v;
        return s;
    }

    private static String details(Map<String, Long> skipped, Map<String, Long> malformed) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Long> m : List.of(skipped, malformed)) {
            for (Map.Entry<String, Long> e : m.entrySet()) {
                if (e.getValue() == 0) continue;
                b.append(b.length() == 0 ? " (" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%,d", e.getValue()));
            }
        }
        return b.length() == 0 ? "" : b.append(')').toString();
    }
}
