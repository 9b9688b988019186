package dev.teardown.answer;

import dev.teardown.report.Printf;
import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.report.HttpFigures;
import dev.teardown.report.SummaryFigures;
import dev.teardown.report.Times;
import dev.teardown.timewait.Peak;
import dev.teardown.timewait.Series;
import dev.teardown.timewait.SeriesFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chart sections of the HTML report, each drawn from the same figures as the terminal summary and the summary
 * JSON: TIME_WAIT over time per busiest endpoint and side, closes per second by who closed, idle time before the
 * close, requests per connection, and close reasons (docs/output.md, "HTML report").
 */
final class HtmlSections {
    /** Endpoints charted per section: the busiest; the tables list more. */
    static final int CHARTED = 4;
    /** Close reasons that carry out what the client asked for or did. */
    static final List<CloseReason> CLIENT_INTENT = List.of(CloseReason.CLIENT_REQUESTED_CLOSE, CloseReason.HTTP10_CLOSE,
        CloseReason.CLIENT_CLOSE, CloseReason.CLIENT_CLOSE_NOTIFY, CloseReason.CLIENT_GOAWAY, CloseReason.CLIENT_ABORT);
    /** Close reasons where the server decided. */
    static final List<CloseReason> SERVER_DECISION = List.of(CloseReason.SERVER_IDLE_TIMEOUT,
        CloseReason.SERVER_CLOSE_ANNOUNCED, CloseReason.SERVER_GOAWAY, CloseReason.SERVER_CLOSE_UNANNOUNCED,
        CloseReason.SERVER_ABORT);

    private HtmlSections() {}

    /** TIME_WAIT population over time of the busiest server endpoints, both sides, with peaks and limits. */
    static String timeWait(String prefix, TimeWaitFigures t) {
        List<TimeWaitFigures.EndpointRow> rows = t.endpoints().stream()
            .filter(e -> e.server().value() + e.client().value() > 0).toList();
        if (rows.isEmpty()) return "<p class=\"empty\">No connection was in TIME_WAIT at an instant of this capture.</p>";
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (TimeWaitFigures.EndpointRow e : rows.subList(0, Math.min(CHARTED, rows.size()))) {
            String endpoint = Findings.endpoint(e.ip(), e.port());
            Optional<SeriesFigures.EndpointSeries> fine = t.series().endpoint(e.ip(), e.port())
                .filter(SeriesFigures.EndpointSeries::complete);
            List<HtmlCharts.Line> lines = new ArrayList<>();
            List<HtmlCharts.Mark> marks = new ArrayList<>();
            StringBuilder caption = new StringBuilder(Html.text(endpoint)).append(": ");
            side(lines, marks, caption, "server", e.server(), fine.map(SeriesFigures.EndpointSeries::server)
                .orElse(orEmpty(e.serverShape())), e.enteredServer(), t);
            side(lines, marks, caption, "client", e.client(), fine.map(SeriesFigures.EndpointSeries::client)
                .orElse(orEmpty(e.clientShape())), e.enteredClient(), t);
            List<HtmlCharts.Level> levels = levels(t, e, caption);
            Series first = lines.get(0).series();
            caption.append(String.format(Locale.ROOT, " Each step is the highest count at an instant within %s s.",
                Printf.trimZeros(Times.seconds(first.bucketNanos()))));
            long partial = PacketTime.isSet(t.firstNanos()) ? t.firstNanos() + t.timeWaitNanos() : PacketTime.UNSET;
            b.append("<figure class=\"chart\" data-chart=\"time-wait\" data-endpoint=\"").append(Html.text(endpoint))
                .append("\" data-server-peak=\"").append(e.server().value()).append("\" data-client-peak=\"")
                .append(e.client().value()).append("\" data-server-peak-at=\"").append(iso(e.server().atNanos()))
                .append("\" data-client-peak-at=\"").append(iso(e.client().atNanos())).append("\">").append(title(endpoint));
            b.append(HtmlCharts.timeChart(prefix + "chart-tw-" + n++, "TIME_WAIT held over time at " + endpoint
                + ", by side", "connections in TIME_WAIT", t.firstNanos(), t.lastNanos(), lines, false, levels, marks,
                partial));
            b.append("<figcaption>").append(caption).append("</figcaption></figure>");
        }
        if (rows.size() > CHARTED) {
            b.append("<p>").append(rows.size() - CHARTED).append(" more server endpoints held TIME_WAIT: see the server"
                + " endpoint table.</p>");
        }
        return b.toString();
    }

    /** The heading of one endpoint's chart. */
    private static String title(String endpoint) {
        return "<h3 class=\"chart-title\">" + Html.text(endpoint) + "</h3>";
    }

    /** A packet time as the other outputs write it, or empty when unset (a side that held nothing). */
    private static String iso(long nanos) {
        return PacketTime.isSet(nanos) ? Times.iso(nanos) : "";
    }

    private static void side(List<HtmlCharts.Line> lines, List<HtmlCharts.Mark> marks, StringBuilder caption,
                             String side, Peak p, Series series, long entered, TimeWaitFigures t) {
        if (p.value() == 0) {
            caption.append("no ").append(side).append("-side TIME_WAIT. ");
            return;
        }
        String at = Times.iso(p.atNanos());
        String title = String.format(Locale.ROOT, "%s side: peak %,d in TIME_WAIT at %s (mean %,.1f)%s", side, p.value(),
            at, p.mean(), p.partial() ? "; within one TIME_WAIT of the start, where TIME_WAIT begun before the capture"
                + " is not visible" : "");
        marks.add(new HtmlCharts.Mark(lines.size(), p.atNanos(), p.value(), title));
        lines.add(new HtmlCharts.Line(side, side + " side", series));
        caption.append(String.format(Locale.ROOT, "%s side peak <strong>%,d</strong>%s at %s UTC (mean %,.1f), %,d closes"
            + " leaving TIME_WAIT. ", side, p.value(), p.partial() ? "*" : "", Times.clock(p.atNanos()), p.mean(), entered));
    }

    /**
     * The reference levels that matter for one endpoint: the host's {@code tcp_max_tw_buckets} when its peak (or
     * steady state) reaches the finding's share of it, the ephemeral ports of one client address when the busiest
     * client toward it reaches that finding's share, and the steady state of a capture shorter than one TIME_WAIT.
     */
    private static List<HtmlCharts.Level> levels(TimeWaitFigures t, TimeWaitFigures.EndpointRow e, StringBuilder caption) {
        List<HtmlCharts.Level> levels = new ArrayList<>();
        TimeWaitFigures.Limits l = t.limits();
        boolean shortCapture = t.spanNanos() < t.timeWaitNanos();
        for (TimeWaitFigures.HostRow h : t.hosts()) {
            if (!h.ip().equals(e.ip())) continue;
            double steady = shortCapture ? t.steadyState(h.enteredAsServer() + h.enteredAsClient()) : Double.NaN;
            double level = Math.max(h.total().value(), Double.isNaN(steady) ? 0 : steady);
            if (level >= Findings.BUCKETS_SHARE_WARN * l.maxTwBuckets()) {
                levels.add(new HtmlCharts.Level("max-tw-buckets", String.format(Locale.ROOT,
                    "tcp_max_tw_buckets %,d%s (per host)", l.maxTwBuckets(), l.maxTwBucketsGiven() ? "" : ", assumed"),
                    l.maxTwBuckets(), -1));
            }
            caption.append(String.format(Locale.ROOT, "Host %s peaked at %,d in TIME_WAIT, %s of tcp_max_tw_buckets"
                + " %,d%s. ", Html.text(h.ip()), h.total().value(), HtmlCharts.share(h.total().value(), l.maxTwBuckets()),
                l.maxTwBuckets(), l.maxTwBucketsGiven() ? "" : " (assumed)"));
        }
        if (shortCapture) {
            int line = 0;
            for (String side : List.of("server", "client")) {
                boolean server = side.equals("server");
                if ((server ? e.server() : e.client()).value() == 0) continue;
                double steady = t.steadyState(server ? e.enteredServer() : e.enteredClient());
                if (!Double.isNaN(steady)) {
                    levels.add(new HtmlCharts.Level("steady-" + side, String.format(Locale.ROOT,
                        "%s side at this close rate: ~%,.0f (closes/s x TIME_WAIT)", side, steady), steady, line));
                }
                line++;
            }
            caption.append("The capture is shorter than one TIME_WAIT: the population had not settled, and the dashed"
                + " steady-state levels say where it would. ");
        }
        for (TimeWaitFigures.PortPressure p : t.ports()) {
            if (!p.serverIp().equals(e.ip()) || p.serverPort() != e.port()) continue;
            if (p.timeWait().value() >= Findings.PORT_SHARE_WARN * l.ports()) {
                levels.add(new HtmlCharts.Level("port-range", String.format(Locale.ROOT,
                    "ephemeral ports of one client address: %,d (%d-%d%s)", l.ports(), l.portLow(), l.portHigh(),
                    l.portRangeGiven() ? "" : ", assumed"), l.ports(), -1));
            }
            caption.append(String.format(Locale.ROOT, "Busiest client %s held %,d ports toward it at peak, %s of its"
                + " %,d ephemeral ports. ", Html.text(p.clientIp()), p.timeWait().value(),
                HtmlCharts.share(p.timeWait().value(), l.ports()), l.ports()));
            break; // the busiest client toward this endpoint: the pairs come highest peak first
        }
        return levels;
    }

    /** Closes per second over time, by who closed first, and RSTs: the timeline's closes of every endpoint. */
    static String closes(String prefix, TimeWaitFigures t) {
        SeriesFigures s = t.series();
        List<HtmlCharts.Line> lines = List.of(new HtmlCharts.Line("client", "client first", s.closesClient()),
            new HtmlCharts.Line("server", "server first", s.closesServer()),
            new HtmlCharts.Line("both", "crossed (both)", s.closesBoth()), new HtmlCharts.Line("rst", "RST", s.resets()));
        long total = s.closesClient().sum() + s.closesServer().sum() + s.closesBoth().sum() + s.resets().sum();
        if (total == 0) return "<p class=\"empty\">No close completed, and no RST aborted a connection, within this capture.</p>";
        StringBuilder b = new StringBuilder("<figure class=\"chart\" data-chart=\"closes\"");
        for (HtmlCharts.Line l : lines) b.append(" data-closes-").append(l.key()).append("=\"").append(l.series().sum()).append('"');
        b.append('>').append(HtmlCharts.timeChart(prefix + "chart-closes", "Closes per second over time, by who closed first",
            "closes per second", t.firstNanos(), t.lastNanos(), lines, true, List.of(), List.of(), PacketTime.UNSET));
        b.append(String.format(Locale.ROOT, "<figcaption>Closes that completed (the second FIN) per second, by who sent the"
            + " first FIN, and connections a RST aborted first; each step is the closes within %s s divided by its"
            + " length. Over the capture: client first %,d, server first %,d, crossed %,d, RST %,d (counted as the"
            + " timeline counts them: a close the capture does not see finish is not counted).</figcaption></figure>",
            Printf.trimZeros(Times.seconds(s.closesClient().bucketNanos())), s.closesClient().sum(),
            s.closesServer().sum(), s.closesBoth().sum(), s.resets().sum()));
        return b.toString();
    }

    /** The HTTP endpoints of the summary's table (its first rows), busiest first, with a figure each for {@code what}. */
    private static List<SummaryFigures.Endpoint> httpEndpoints(SummaryFigures s, boolean idle) {
        List<SummaryFigures.Endpoint> out = new ArrayList<>();
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            if (out.size() == CHARTED) break;
            if (e.http().isEmpty() || (idle && e.http().get().idleHistogram().isEmpty())) continue;
            out.add(e);
        }
        return out;
    }

    /** Idle time before the close, per busiest HTTP endpoint, with the inferred idle timeout marked. */
    static String idle(String prefix, SummaryFigures s) {
        List<SummaryFigures.Endpoint> rows = httpEndpoints(s, true);
        if (rows.isEmpty()) {
            return "<p class=\"empty\">No HTTP connection had an idle time before its close (no complete message, or"
                + " no close, was seen).</p>";
        }
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (SummaryFigures.Endpoint e : rows) {
            HttpFigures h = e.http().get();
            long server = 0;
            long client = 0;
            for (HttpFigures.IdleBin bin : h.idleHistogram()) {
                server += bin.serverClosed();
                client += bin.clientClosed();
            }
            b.append("<figure class=\"chart\" data-chart=\"idle\" data-endpoint=\"").append(Html.text(e.endpoint()))
                .append("\" data-closed-by-server=\"").append(server).append("\" data-closed-by-client=\"").append(client)
                .append('"');
            h.idleCloses().ifPresent(i -> b.append(" data-idle-closes=\"").append(i.count()).append("\" data-idle-median-s=\"")
                .append(Times.seconds(i.medianNanos())).append('"'));
            b.append('>').append(title(e.endpoint()));
            b.append(HtmlCharts.idleChart(prefix + "chart-idle-" + n++, "Idle time before the close at "
                + e.endpoint(), h));
            b.append("<figcaption>").append(Html.text(e.endpoint())).append(String.format(Locale.ROOT, ": %,d HTTP"
                + " connections with an idle time before their close, %,d closed first by the server, %,d by the client.",
                server + client, server, client));
            h.idleCloses().ifPresent(i -> b.append(String.format(Locale.ROOT, " The server closed %,d idle keep-alive"
                + " connections after ~%.1f s (median; p10 %.1f, p90 %.1f%s): its idle timeout, as observed.", i.count(),
                i.medianNanos() / 1e9, i.p10Nanos() / 1e9, i.p90Nanos() / 1e9,
                i.sampled() < i.count() ? String.format(Locale.ROOT, ", from a sample of %,d", i.sampled()) : "")));
            b.append("</figcaption></figure>");
        }
        return b.toString();
    }

    /** Requests per connection, per busiest HTTP endpoint. */
    static String requests(String prefix, SummaryFigures s) {
        List<SummaryFigures.Endpoint> rows = httpEndpoints(s, false);
        if (rows.isEmpty()) return "<p class=\"empty\">No HTTP request was seen.</p>";
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (SummaryFigures.Endpoint e : rows) {
            HttpFigures h = e.http().get();
            List<HtmlCharts.Bar> bars = new ArrayList<>();
            for (HttpFigures.RequestsBin bin : h.requestsHistogram()) {
                String range = bin.from() == bin.to() ? Long.toString(bin.from()) : bin.from() + "-" + bin.to();
                bars.add(new HtmlCharts.Bar(range, range, bin.connections(), String.format(Locale.ROOT,
                    "%s request%s: %,d connections (%s)", range, bin.to() == 1 ? "" : "s", bin.connections(),
                    HtmlCharts.share(bin.connections(), h.connections()))));
            }
            b.append(String.format(Locale.ROOT, "<figure class=\"chart\" data-chart=\"requests\" data-endpoint=\"%s\""
                + " data-http-connections=\"%d\" data-mean=\"%.3f\" data-p50=\"%d\" data-p90=\"%d\" data-max=\"%d\""
                + " data-tls-connections=\"%d\">", Html.text(e.endpoint()), h.connections(), h.meanRequests(),
                h.p50Requests(), h.p90Requests(), h.maxRequests(), h.tlsConnections())).append(title(e.endpoint()));
            b.append(HtmlCharts.columns(prefix + "chart-requests-" + n++, "Requests per connection at " + e.endpoint(),
                "connections", bars, "requests on the connection"));
            b.append("<figcaption>").append(Html.text(e.endpoint())).append(String.format(Locale.ROOT, ": requests per"
                + " connection mean %.1f, p50 %d, p90 %d, max %d (%,d HTTP connections%s).</figcaption></figure>",
                h.meanRequests(), h.p50Requests(), h.p90Requests(), h.maxRequests(), h.connections(),
                h.tlsConnections() == 0 ? "" : String.format(Locale.ROOT, "; %,d over TLS: exchanges estimated from"
                    + " encrypted turns", h.tlsConnections())));
        }
        return b.toString();
    }

    /** Connections by close reason: the client's intent, the server's decisions, and the rest. */
    static String closeReasons(String prefix, SummaryFigures s) {
        if (s.connections() == 0) return "<p class=\"empty\">No connection.</p>";
        Map<CloseReason, Long> serverTimeWait = new EnumMap<>(CloseReason.class);
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            e.http().ifPresent(h -> h.serverTimeWaitByReason().forEach((k, v) -> serverTimeWait.merge(k, v, Long::sum)));
        }
        List<List<HtmlCharts.Bar>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        s.closeReasons().forEach((reason, count) -> {
            int g = CLIENT_INTENT.contains(reason) ? 0 : SERVER_DECISION.contains(reason) ? 1 : 2;
            long tw = serverTimeWait.getOrDefault(reason, 0L);
            groups.get(g).add(new HtmlCharts.Bar(reason.label(), reason.label(), count, String.format(Locale.ROOT,
                "%s: %,d connections (%s); %,d of them left TIME_WAIT on the server", reason.label(), count,
                HtmlCharts.share(count, s.connections()), tw)));
        });
        String chart = HtmlCharts.rows(prefix + "chart-reasons", "Connections by close reason", List.of(
            "The client's intent (it asked to close, spoke HTTP/1.0, closed or reset first)",
            "The server's decision (idle timeout, announced or unannounced close, reset)",
            "Neither, or not known (crossed FINs, no exchange, not HTTP, not closed ...)"),
            java.util.Arrays.asList(null, Svg.STYLES.get(0).color(), "#bdbdbd"), groups, s.connections());
        return "<figure class=\"chart\" data-chart=\"close-reasons\">" + chart + "<figcaption>Every connection by its"
            + " close_reason (docs/output.md); hover a bar for how many of them left TIME_WAIT on the server. A server"
            + " that closes because the client asked (Connection: close, HTTP/1.0) still holds the TIME_WAIT, but only"
            + " the client can change it.</figcaption></figure>";
    }

    private static Series orEmpty(Series s) {
        return s == null ? Series.EMPTY : s;
    }
}
