package dev.teardown.answer;

import dev.teardown.report.HttpFigures;
import dev.teardown.report.SummaryFigures;
import dev.teardown.report.Times;
import dev.teardown.timewait.Peak;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.WhatIfRow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The tables of the HTML report: the idle-timeout what-if, client port pressure and the server endpoints, each row
 * the same figures as the terminal summary's, with its numbers also in {@code data-*} attributes.
 */
final class HtmlTables {
    /** Rows shown per table, as the terminal summary's endpoint table. */
    static final int ROWS = 15;

    private HtmlTables() {}

    /** The idle-timeout what-if: per endpoint that closed idle connections, the observed row and each timeout tried. */
    static String whatIf(List<WhatIfRow> rows) {
        if (rows.isEmpty()) {
            return "<p class=\"empty\">No server endpoint closed idle keep-alive connections: there is no idle timeout"
                + " to try another value of.</p>";
        }
        StringBuilder b = new StringBuilder("<table class=\"data\" data-table=\"what-if\"><thead><tr><th>server endpoint"
            + "</th><th>idle timeout T</th><th class=\"num\">connections</th><th class=\"num\">closes</th>"
            + "<th class=\"num\">server TIME_WAIT peak (mean)</th><th class=\"num\">moved peak if clients closed first</th>"
            + "<th class=\"num\">busiest client then (share of its ports)</th></tr></thead><tbody>");
        for (WhatIfRow r : rows) {
            String endpoint = Findings.endpoint(r.serverIp(), r.serverPort());
            b.append(String.format(Locale.ROOT, "<tr data-endpoint=\"%s\" data-idle-timeout-s=\"%s\" data-observed=\"%b\""
                    + " data-connections=\"%d\" data-closes=\"%d\" data-time-wait-server-peak=\"%d\"%s><td>%s</td>"
                    + "<td>%.1f s%s</td><td class=\"num\">%,d</td><td class=\"num\">%,d</td><td class=\"num\">%,d (%,.1f)"
                    + "</td><td class=\"num\">%,d</td><td class=\"num\">%,d (%.1f%%)</td></tr>",
                Html.text(endpoint), Times.seconds(r.idleTimeoutNanos()), r.observed(), r.connections(), r.closes(),
                r.timeWaitServerPeak(), r.observed() ? " class=\"observed\"" : "", Html.text(endpoint),
                r.idleTimeoutSeconds(), r.observed() ? " <em>observed</em>" : "", r.connections(), r.closes(),
                r.timeWaitServerPeak(), r.timeWaitServerMean(), r.movedPeak(), r.clientPeak(), 100 * r.clientPortShare()));
        }
        return b.append("</tbody></table><p class=\"note\">A client's next connection within T of its last activity"
            + " reuses its idle one; other closes are unchanged. The observed row replays the capture as it was"
            + " (docs/output.md, \"Idle-timeout what-if\").</p>").toString();
    }

    /** Client addresses by the TIME_WAIT they held toward one server endpoint: ephemeral ports in use. */
    static String ports(TimeWaitFigures t) {
        TimeWaitFigures.Limits l = t.limits();
        String limits = String.format(Locale.ROOT, "<p class=\"note\">Ephemeral ports %d-%d%s: %,d per client address"
            + " and server endpoint, each held for the TIME_WAIT after the client closes first, so about %,.0f new"
            + " connections per second can be sustained.</p>", l.portLow(), l.portHigh(),
            l.portRangeGiven() ? "" : " (Linux's default, assumed; --port-range)", l.ports(), t.sustainableRate());
        if (t.ports().isEmpty()) return "<p class=\"empty\">No client held TIME_WAIT, and no SYN met a tuple in TIME_WAIT.</p>" + limits;
        StringBuilder b = new StringBuilder("<table class=\"data\" data-table=\"port-pressure\"><thead><tr><th>client"
            + "</th><th>server endpoint</th><th class=\"num\">client TIME_WAIT peak</th><th>at (UTC)</th>"
            + "<th class=\"num\">share of ports</th><th class=\"num\">closes leaving TIME_WAIT</th>"
            + "<th class=\"num\">tuple reuse accepted</th><th class=\"num\">refused</th></tr></thead><tbody>");
        for (TimeWaitFigures.PortPressure p : t.ports().subList(0, Math.min(ROWS, t.ports().size()))) {
            Peak peak = p.timeWait();
            b.append(String.format(Locale.ROOT, "<tr data-client=\"%s\" data-endpoint=\"%s\" data-peak=\"%d\"><td>%s</td>"
                    + "<td>%s</td><td class=\"num\">%,d%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%,d</td>"
                    + "<td class=\"num\">%,d</td><td class=\"num\">%,d</td></tr>", Html.text(p.clientIp()),
                Html.text(Findings.endpoint(p.serverIp(), p.serverPort())), peak.value(), Html.text(p.clientIp()),
                Html.text(Findings.endpoint(p.serverIp(), p.serverPort())), peak.value(), peak.partial() ? "*" : "",
                time(peak.atNanos()), HtmlCharts.share(peak.value(), l.ports()), p.entered(), p.reuseAccepted(),
                p.reuseRefused()));
        }
        return b.append("</tbody></table>").append(more(t.ports().size(), "client and endpoint pairs (the summary JSON"
            + " lists " + TimeWaitFigures.TOP + ")")).append(limits).toString();
    }

    /** The server endpoints of the summary, busiest first, with their TIME_WAIT peaks and HTTP figures. */
    static String endpoints(SummaryFigures s, Optional<TimeWaitFigures> tw) {
        SummaryFigures.EndpointTable table = s.endpoints();
        if (table.rows().isEmpty()) return "<p class=\"empty\">No server endpoint.</p>";
        StringBuilder b = new StringBuilder("<table class=\"data\" data-table=\"endpoints\"><thead><tr><th>server"
            + " endpoint</th><th class=\"num\">connections</th><th class=\"num\">closes leaving TIME_WAIT: server</th>"
            + "<th class=\"num\">client</th><th class=\"num\">server TIME_WAIT peak</th><th class=\"num\">client"
            + " TIME_WAIT peak</th><th class=\"num\">HTTP connections</th><th class=\"num\">requests per connection"
            + " (mean)</th><th class=\"num\">idle close after (median)</th></tr></thead><tbody>");
        List<SummaryFigures.Endpoint> rows = table.rows().subList(0, Math.min(ROWS, table.rows().size()));
        long shown = 0;
        for (SummaryFigures.Endpoint e : rows) {
            shown += e.connections();
            Optional<TimeWaitFigures.EndpointRow> row = tw.flatMap(t -> t.endpoints().stream()
                .filter(r -> Findings.endpoint(r.ip(), r.port()).equals(e.endpoint())).findFirst());
            Optional<HttpFigures> h = e.http();
            b.append(String.format(Locale.ROOT, "<tr data-endpoint=\"%s\" data-connections=\"%d\" data-server-time-wait="
                    + "\"%d\" data-client-time-wait=\"%d\"><td>%s%s</td><td class=\"num\">%,d</td><td class=\"num\">%,d</td>"
                    + "<td class=\"num\">%,d</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                    + "<td class=\"num\">%s</td><td class=\"num\">%s</td></tr>", Html.text(e.endpoint()), e.connections(),
                e.serverTimeWait(), e.clientTimeWait(), Html.text(e.endpoint()), e.errorBound() == 0 ? ""
                    : String.format(Locale.ROOT, " <em>(plus up to %,d before it was tracked)</em>", e.errorBound()),
                e.connections(), e.serverTimeWait(), e.clientTimeWait(),
                row.map(r -> peak(r.server())).orElse("-"), row.map(r -> peak(r.client())).orElse("-"),
                h.map(x -> String.format(Locale.ROOT, "%,d", x.connections())).orElse("-"),
                h.map(x -> String.format(Locale.ROOT, "%.1f", x.meanRequests())).orElse("-"),
                h.flatMap(HttpFigures::idleCloses).map(i -> String.format(Locale.ROOT, "%.1f s (n=%,d)",
                    i.medianNanos() / 1e9, i.count())).orElse("-")));
        }
        b.append("</tbody></table>");
        if (!table.exact()) {
            b.append(String.format(Locale.ROOT, "<p class=\"note\">Up to %,d more server endpoints, %,d connections; %,d"
                + " endpoints tracked at a time, rows exact unless marked.</p>", table.enteredAtMost() - rows.size(),
                s.connections() - shown, table.capacity()));
        } else {
            b.append(more(table.rows().size(), "server endpoints"));
        }
        return b.toString();
    }

    private static String more(int rows, String what) {
        return rows > ROWS ? String.format(Locale.ROOT, "<p class=\"note\">(%,d more %s)</p>", rows - ROWS, what) : "";
    }

    private static String peak(Peak p) {
        if (p.value() == 0) return "0";
        return String.format(Locale.ROOT, "%,d%s at %s", p.value(), p.partial() ? "*" : "", time(p.atNanos()));
    }

    /** {@code HH:MM:SS} of a packet time (UTC), or {@code -} when unset. */
    static String time(long nanos) {
        return dev.teardown.capture.PacketTime.isSet(nanos) ? Times.clock(nanos) : "-";
    }
}
