package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal summary: how connections ended, who closed, who holds TIME_WAIT, per server endpoint.
 *
 * <p>The per-endpoint figures live in a {@link SpaceSaving} table of {@link #ENDPOINT_CAPACITY} endpoints,
 * so a scan of millions of endpoints costs no more memory than a capture of a few: below the capacity
 * every figure is exact (and printed as it always was); above it the table keeps every endpoint with more
 * than 1 / capacity of the connections, and a row that may miss connections says by how many at most.
 */
public final class Summary implements RecordSink {
    private static final int TOP_ENDPOINTS = 15;
    /** Server endpoints tracked at a time: some thousands, a few KB each at most with their HTTP figures. */
    static final int ENDPOINT_CAPACITY = 4096;

    /** What the summary counts per server endpoint; its connections are the entry's tracked count. */
    private static final class Figures {
        long serverTimeWait;
        long clientTimeWait;
        /** Created by the first connection that has HTTP or leaves TIME_WAIT on the server; a scan needs none. */
        HttpEndpointStats http;
    }

    private long connections;
    private long tupleReuses;
    private final EnumMap<CloseType, Long> closeTypes = new EnumMap<>(CloseType.class);
    private final EnumMap<Sides, Long> initiators = new EnumMap<>(Sides.class);
    private final EnumMap<Sides, Long> holders = new EnumMap<>(Sides.class);
    private final EnumMap<Anomaly, Long> anomalies = new EnumMap<>(Anomaly.class);
    private final EnumMap<HttpAnomaly, Long> httpAnomalies = new EnumMap<>(HttpAnomaly.class);
    private final SpaceSaving<String, Figures> endpoints;

    /** A summary tracking {@link #ENDPOINT_CAPACITY} server endpoints at a time. */
    public Summary() {
        this(ENDPOINT_CAPACITY);
    }

    Summary(int endpointCapacity) {
        endpoints = new SpaceSaving<>(endpointCapacity, Figures::new);
    }

    @Override
    public void accept(FlowRecord r) {
        connections++;
        if (r.tupleReuse()) tupleReuses++;
        closeTypes.merge(r.closeType(), 1L, Long::sum);
        initiators.merge(r.closeInitiator(), 1L, Long::sum);
        holders.merge(r.timeWaitSide(), 1L, Long::sum);
        for (Anomaly a : r.anomalies()) anomalies.merge(a, 1L, Long::sum);
        for (HttpAnomaly a : r.http().anomalies()) httpAnomalies.merge(a, 1L, Long::sum);
        Figures f = endpoints.add(r.serverEndpoint()).value();
        boolean serverHolds = r.timeWaitSide().includes(Side.SERVER);
        if (serverHolds) f.serverTimeWait++;
        if (r.timeWaitSide().includes(Side.CLIENT)) f.clientTimeWait++;
        if (f.http == null && (serverHolds || r.http().requests() > 0)) f.http = new HttpEndpointStats();
        if (f.http != null) f.http.add(r);
    }

    /** Server endpoints held in the table. */
    int trackedEndpoints() {
        return endpoints.size();
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
        // Most connections first (those counted: an entry's tracked part), then by name. Below the capacity
        // the counts are exact and this is the order the summary always had.
        List<SpaceSaving.Entry<String, Figures>> list = endpoints.entries();
        list.sort(Comparator.comparingLong((SpaceSaving.Entry<String, Figures> e) -> -e.tracked())
            .thenComparing(SpaceSaving.Entry::key));
        List<SpaceSaving.Entry<String, Figures>> top = list.subList(0, Math.min(TOP_ENDPOINTS, list.size()));
        int width = "server endpoint".length();
        for (SpaceSaving.Entry<String, Figures> e : top) width = Math.max(width, e.key().length());
        out.println();
        out.println(String.format(Locale.ROOT, "  %-" + width + "s  %11s  %17s  %17s",
            "server endpoint", "connections", "TIME_WAIT server", "TIME_WAIT client"));
        long shownConnections = 0;
        for (SpaceSaving.Entry<String, Figures> e : top) {
            shownConnections += e.tracked();
            String partial = e.error() == 0 ? ""
                : String.format(Locale.ROOT, "  (plus up to %,d before it was tracked)", e.error());
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %,11d  %,17d  %,17d%s",
                Safe.text(e.key()), e.tracked(), e.value().serverTimeWait, e.value().clientTimeWait, partial));
        }
        if (!endpoints.exact()) {
            // Endpoints were dropped to make room: how many there were is known only as an upper bound.
            out.println(String.format(Locale.ROOT,
                "  (up to %,d more server endpoints, %,d connections; %,d endpoints tracked at a time, rows exact unless marked)",
                endpoints.entered() - top.size(), connections - shownConnections, endpoints.capacity()));
        } else if (list.size() > TOP_ENDPOINTS) {
            out.println(String.format(Locale.ROOT, "  (%,d more server endpoints)", list.size() - TOP_ENDPOINTS));
        }
        boolean header = false;
        for (SpaceSaving.Entry<String, Figures> e : top) {
            HttpEndpointStats h = e.value().http;
            if (h == null || !h.hasHttp()) continue;
            if (!header) {
                out.println();
                out.println("HTTP by server endpoint");
                header = true;
            }
            String name = Safe.text(e.key()) + (e.error() == 0 ? "" : " (since tracked)");
            for (String line : h.lines(name)) out.println(line);
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
