package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The terminal summary: {@link SummaryFigures} and {@link CaptureTotals} as aligned text lines. */
public final class SummaryText {
    /** Server endpoints shown, the busiest. */
    static final int TOP_ENDPOINTS = 15;

    private SummaryText() {}

    /**
     * Writes the summary; {@code title} names what was analysed, {@code timeWaitSeconds} the TIME_WAIT
     * length. Untrusted text (the title, endpoints, warnings) is neutralised with {@link Safe#text}.
     */
    public static void print(PrintWriter out, SummaryFigures s, String title, CaptureTotals totals, long timeWaitSeconds) {
        out.println(Safe.text(title));
        row(out, "packets", String.format(Locale.ROOT, "%,d read, %,d TCP, %,d skipped%s",
            totals.packets(), totals.tcpSegments(), sum(totals.skipped()) + sum(totals.malformed()),
            details(totals.skipped(), totals.malformed())));
        if (PacketTime.isSet(totals.firstNanos())) {
            row(out, "capture span", Times.iso(totals.firstNanos()) + " .. " + Times.iso(totals.lastNanos())
                + " (" + Times.seconds(totals.lastNanos() - totals.firstNanos()) + " s)");
        }
        row(out, "connections", String.format(Locale.ROOT, "%,d (at most %,d open at once)",
            s.connections(), totals.peakConnections()));
        if (s.connections() > 0) {
            out.println();
            row(out, "how they ended", counts(s.closeTypes(), CloseType::label));
            row(out, "closed first by", counts(s.closeInitiators(), Sides::label));
            row(out, "TIME_WAIT held by", counts(s.timeWaitHolders(), Sides::label)
                + String.format(Locale.ROOT, "  (TIME_WAIT = %d s)", timeWaitSeconds));
            row(out, "tuple reuse", String.format(Locale.ROOT, "%,d new SYN%s while the tuple was in TIME_WAIT",
                s.tupleReuses(), s.tupleReuses() == 1 ? "" : "s"));
            printEndpoints(out, s);
        }
        if (!s.anomalies().isEmpty() || !s.httpAnomalies().isEmpty()) {
            // Connections with each anomaly (the CSV's anomalies column), TCP ones first, then HTTP ones.
            out.println();
            String tcp = s.anomalies().isEmpty() ? "" : counts(s.anomalies(), Anomaly::name);
            String http = s.httpAnomalies().isEmpty() ? "" : counts(s.httpAnomalies(), HttpAnomaly::name);
            row(out, "anomalies", tcp + (tcp.isEmpty() || http.isEmpty() ? "" : ", ") + http + "  (connections)");
        }
        for (String w : totals.warnings()) row(out, "warning", Safe.text(w));
        out.flush();
    }

    private static void printEndpoints(PrintWriter out, SummaryFigures s) {
        SummaryFigures.EndpointTable table = s.endpoints();
        List<SummaryFigures.Endpoint> top = table.rows().subList(0, Math.min(TOP_ENDPOINTS, table.rows().size()));
        int width = "server endpoint".length();
        for (SummaryFigures.Endpoint e : top) width = Math.max(width, e.endpoint().length());
        out.println();
        out.println(String.format(Locale.ROOT, "  %-" + width + "s  %11s  %17s  %17s",
            "server endpoint", "connections", "TIME_WAIT server", "TIME_WAIT client"));
        long shownConnections = 0;
        for (SummaryFigures.Endpoint e : top) {
            shownConnections += e.connections();
            String partial = e.errorBound() == 0 ? ""
                : String.format(Locale.ROOT, "  (plus up to %,d before it was tracked)", e.errorBound());
            out.println(String.format(Locale.ROOT, "  %-" + width + "s  %,11d  %,17d  %,17d%s",
                Safe.text(e.endpoint()), e.connections(), e.serverTimeWait(), e.clientTimeWait(), partial));
        }
        if (!table.exact()) {
            // Endpoints were dropped to make room: how many there were is known only as an upper bound.
            out.println(String.format(Locale.ROOT,
                "  (up to %,d more server endpoints, %,d connections; %,d endpoints tracked at a time, rows exact unless marked)",
                table.enteredAtMost() - top.size(), s.connections() - shownConnections, table.capacity()));
        } else if (table.rows().size() > TOP_ENDPOINTS) {
            out.println(String.format(Locale.ROOT, "  (%,d more server endpoints)", table.rows().size() - TOP_ENDPOINTS));
        }
        boolean header = false;
        for (SummaryFigures.Endpoint e : top) {
            if (e.http().isEmpty()) continue;
            if (!header) {
                out.println();
                out.println("HTTP by server endpoint");
                header = true;
            }
            String name = Safe.text(e.endpoint()) + (e.errorBound() == 0 ? "" : " (since tracked)");
            printHttp(out, name, e.http().get());
        }
    }

    private static void printHttp(PrintWriter out, String endpoint, HttpFigures h) {
        out.println(String.format(Locale.ROOT,
            "  %s  requests per connection: mean %.1f, p50 %d, p90 %d, max %d (%,d HTTP connections)",
            endpoint, h.meanRequests(), h.p50Requests(), h.p90Requests(), h.maxRequests(), h.connections()));
        if (h.idleCloses().isPresent()) {
            HttpFigures.IdleCloses idle = h.idleCloses().get();
            long idleTimeWait = h.serverTimeWaitByReason().getOrDefault(CloseReason.SERVER_IDLE_TIMEOUT, 0L);
            String advertised = h.advertisedKeepAliveTimeout().isEmpty() ? ""
                : String.format(Locale.ROOT, "; it advertises Keep-Alive: timeout=%d", h.advertisedKeepAliveTimeout().getAsInt());
            String n = idle.count() == idle.sampled() ? String.format(Locale.ROOT, "%,d", idle.count())
                : String.format(Locale.ROOT, "%,d, sampled %,d", idle.count(), idle.sampled());
            out.println(String.format(Locale.ROOT,
                "    closes idle keep-alive connections after ~%.1f s (n=%s, p10 %.1f, p90 %.1f)%s; this causes %d%% of its %,d TIME_WAIT entries",
                seconds(idle.medianNanos()), n, seconds(idle.p10Nanos()), seconds(idle.p90Nanos()), advertised,
                percent(idleTimeWait, h.serverTimeWait()), h.serverTimeWait()));
        }
        if (h.serverTimeWait() > 0) {
            StringBuilder b = new StringBuilder("    server-held TIME_WAIT by close reason: ");
            boolean first = true;
            for (Map.Entry<CloseReason, Long> e : h.serverTimeWaitByReason().entrySet()) {
                if (!first) b.append(", ");
                b.append(e.getKey().label()).append(' ').append(percent(e.getValue(), h.serverTimeWait())).append('%');
                first = false;
            }
            out.println(b);
        }
    }

    private static long percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(100.0 * part / whole);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(String.format(Locale.ROOT, "%-18s %s", label, value));
    }

    private static <K extends Enum<K>> String counts(Map<K, Long> m, Function<K, String> name) {
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
