package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The terminal summary: {@link SummaryFigures} and {@link CaptureTotals} as aligned text lines. */
public final class SummaryText {
    /** Server endpoints shown, the busiest. */
    static final int TOP_ENDPOINTS = 15;
    private static final long SECOND_NANOS = 1_000_000_000L;
    /**
     * How much earlier than its setting an idle close may be measured: the server may start its timer before the
     * capture sees the response's last bytes (lighttpd set to 2 was seen closing after 1.96 s).
     */
    private static final long EARLY_SLACK_NANOS = 100_000_000L;
    /** Past the setting, the closes of a timer that fires on time. */
    private static final long ON_TIME_NANOS = 200_000_000L;
    /**
     * Past the setting, the closes of a whole-second setting checked once a second: the check comes up to a
     * second after the second's tick, against a response time truncated to the second (up to a second lost).
     */
    private static final long CHECKED_NANOS = 2_000_000_000L;
    /** The widest p10-p90 spread read as one setting checked once a second (a uniform second spreads 0.8 s). */
    private static final long CHECKED_SPREAD_NANOS = 1_200_000_000L;

    private SummaryText() {}

    /**
     * Writes the summary; {@code title} names what was analysed, {@code timeWaitSeconds} the TIME_WAIT
     * length. Untrusted text (the title, endpoints, warnings) is neutralised with {@link Safe#text}.
     */
    public static void print(PrintWriter out, SummaryFigures s, String title, CaptureTotals totals, long timeWaitSeconds) {
        out.println(Safe.text(title));
        row(out, "packets", Printf.format("%,d read, %,d TCP, %,d skipped%s",
            totals.packets(), totals.tcpSegments(), sum(totals.skipped()) + sum(totals.malformed()),
            details(totals.skipped(), totals.malformed())));
        if (!totals.tunnels().isEmpty()) {
            row(out, "tunnelled", list(totals.tunnels()) + " packets");
        }
        if (PacketTime.isSet(totals.firstNanos())) {
            row(out, "capture span", Times.iso(totals.firstNanos()) + " .. " + Times.iso(totals.lastNanos())
                + " (" + Times.seconds(totals.lastNanos() - totals.firstNanos()) + " s)");
        }
        row(out, "connections", Printf.format("%,d (at most %,d open at once%s)",
            s.connections(), totals.peakConnections(), s.begunBeforeCapture() == 0 ? ""
                : Printf.format("; %,d already open when the capture began", s.begunBeforeCapture())));
        if (s.connections() > 0) {
            out.println();
            row(out, "how they ended", counts(s.closeTypes(), CloseType::label));
            row(out, "closed first by", counts(s.closeInitiators(), Sides::label));
            row(out, "TIME_WAIT held by", counts(s.timeWaitHolders(), Sides::label)
                + Printf.format("  (TIME_WAIT = %d s)", timeWaitSeconds));
            if (!s.closeReasons().isEmpty()) row(out, "close reasons", counts(s.closeReasons(), CloseReason::label));
            row(out, "tuple reuse", Printf.format("%,d new SYN%s while the tuple was in TIME_WAIT",
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
        for (CaptureTotals.Note n : totals.notes()) row(out, Safe.text(n.label()), Safe.text(n.text()));
        for (String w : totals.warnings()) row(out, "warning", Safe.text(w));
        out.flush();
    }

    private static void printEndpoints(PrintWriter out, SummaryFigures s) {
        SummaryFigures.EndpointTable table = s.endpoints();
        List<SummaryFigures.Endpoint> top = table.rows().subList(0, Math.min(TOP_ENDPOINTS, table.rows().size()));
        int width = "server endpoint".length();
        for (SummaryFigures.Endpoint e : top) width = Math.max(width, e.endpoint().length());
        out.println();
        out.println(Printf.format("  %-" + width + "s  %11s  %17s  %17s",
            "server endpoint", "connections", "TIME_WAIT server", "TIME_WAIT client"));
        long shownConnections = 0;
        for (SummaryFigures.Endpoint e : top) {
            shownConnections += e.connections();
            String partial = e.errorBound() == 0 ? ""
                : Printf.format("  (plus up to %,d before it was tracked)", e.errorBound());
            out.println(Printf.format("  %-" + width + "s  %,11d  %,17d  %,17d%s",
                Safe.text(e.endpoint()), e.connections(), e.serverTimeWait(), e.clientTimeWait(), partial));
        }
        if (!table.exact()) {
            // Endpoints were dropped to make room: how many there were is known only as an upper bound.
            out.println(Printf.format(
                "  (up to %,d more server endpoints, %,d connections; %,d endpoints tracked at a time, rows exact unless marked)",
                table.enteredAtMost() - top.size(), s.connections() - shownConnections, table.capacity()));
        } else if (table.rows().size() > TOP_ENDPOINTS) {
            out.println(Printf.format("  (%,d more server endpoints)", table.rows().size() - TOP_ENDPOINTS));
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
        String tls = h.tlsConnections() == 0 ? "" : Printf.format(
            "; %,d over TLS: exchanges estimated from encrypted turns", h.tlsConnections());
        out.println(Printf.format(
            "  %s  requests per connection: mean %.1f, p50 %d, p90 %d, max %d (%,d HTTP connections%s)",
            endpoint, h.meanRequests(), h.p50Requests(), h.p90Requests(), h.maxRequests(), h.connections(), tls));
        if (h.idleCloses().isPresent()) {
            HttpFigures.IdleCloses idle = h.idleCloses().get();
            long idleTimeWait = h.serverTimeWaitByReason().getOrDefault(CloseReason.SERVER_IDLE_TIMEOUT, 0L);
            String advertised = h.advertisedKeepAliveTimeout().isEmpty() ? ""
                : Printf.format("; it advertises Keep-Alive: timeout=%d", h.advertisedKeepAliveTimeout().getAsInt());
            String n = idle.count() == idle.sampled() ? Printf.format("%,d", idle.count())
                : Printf.format("%,d, sampled %,d", idle.count(), idle.sampled());
            out.println(Printf.format(
                "    closes idle keep-alive connections after ~%.1f s (n=%s, p10 %.1f, p90 %.1f%s)%s; this causes %d%% of its %,d TIME_WAIT entries",
                seconds(idle.medianNanos()), n, seconds(idle.p10Nanos()), seconds(idle.p90Nanos()), likelySetting(idle),
                advertised, percent(idleTimeWait, h.serverTimeWait()), h.serverTimeWait()));
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

    /**
     * The idle-timeout setting the closes most likely come from, as {@code "; likely ..."}, or empty when they do
     * not point to one (docs/output.md states the rule). N is p10 plus {@link #EARLY_SLACK_NANOS}, in whole
     * seconds. Closes up to p90 within {@link #ON_TIME_NANOS} past N are a timer that fires on time (nginx's).
     * Closes spread over at least that, but at most {@link #CHECKED_SPREAD_NANOS}, and before
     * {@link #CHECKED_NANOS} past N are a whole-second setting checked once a second (lighttpd's): measured on
     * lighttpd 1.4.69 set to 2 and to 5, its closes spread over about a second that starts up to a second late.
     * Anything else says nothing: too wide, a tight cluster away from a whole second, or under a second.
     */
    private static String likelySetting(HttpFigures.IdleCloses idle) {
        long p10 = idle.p10Nanos();
        long p90 = idle.p90Nanos();
        long n = (p10 + EARLY_SLACK_NANOS) / SECOND_NANOS;
        if (n < 1) return "";
        long setting = n * SECOND_NANOS;
        if (p90 < setting + ON_TIME_NANOS) return Printf.format("; likely %d s", n);
        long spread = p90 - p10;
        if (spread >= ON_TIME_NANOS && spread <= CHECKED_SPREAD_NANOS && p90 < setting + CHECKED_NANOS) {
            return Printf.format("; likely a %d s setting checked once a second, as lighttpd does", n);
        }
        return "";
    }

    private static long percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(100.0 * part / whole);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(Printf.format("%-18s %s", label, value));
    }

    private static <K extends Enum<K>> String counts(Map<K, Long> m, Function<K, String> name) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<K, Long> e : m.entrySet()) {
            if (b.length() > 0) b.append(", ");
            b.append(name.apply(e.getKey())).append(' ').append(Printf.format("%,d", e.getValue()));
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static long sum(Map<String, Long> m) {
        long s = 0;
        for (long v : m.values()) s += v;
        return s;
    }

    private static String details(Map<String, Long> skipped, Map<String, Long> malformed) {
        String both = list(skipped);
        String more = list(malformed);
        if (!more.isEmpty()) both = both.isEmpty() ? more : both + ", " + more;
        return both.isEmpty() ? "" : " (" + both + ")";
    }

    /** {@code name count, name count}, the counts grouped by thousands, leaving out zeros. */
    private static String list(Map<String, Long> m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : m.entrySet()) {
            if (e.getValue() == 0) continue;
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                .append(Printf.format("%,d", e.getValue()));
        }
        return b.toString();
    }
}
