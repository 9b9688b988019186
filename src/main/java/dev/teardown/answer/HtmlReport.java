package dev.teardown.answer;

import dev.teardown.http.CloseReason;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.Column;
import dev.teardown.report.SummaryFigures;
import dev.teardown.report.Times;
import dev.teardown.teardown.Sides;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTML report ({@code --html}): one self-contained page that draws the figures the terminal summary and the
 * summary JSON give (one model, three views), in the order an operator reads them: the headline answer, findings,
 * TIME_WAIT over time, closes per second, idle time before the close, requests per connection, close reasons, the
 * what-if, port pressure and endpoint tables, and the capture's facts (docs/output.md, "HTML report").
 *
 * <p>The page loads nothing: its charts are inline SVG written here, its style is inline, and it holds no script at
 * all; a Content-Security-Policy forbids loading anything should a future change try. It is well-formed XML as well
 * as HTML (every element closed, attributes quoted, only XML's character references), so any XML parser can read
 * it, and the same figures give the same bytes: no clock but packet time, {@link Locale#ROOT} numbers.
 */
public final class HtmlReport {
    /** No resource may be loaded: no script, no style or image from anywhere (inline styles and data: images only). */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
    /** The sections, in page order: their ids (suffixed with the run's number after the first) and headings. */
    static final List<String> SECTIONS = List.of("headline", "findings", "time-wait", "closes", "idle", "requests",
        "close-reasons", "what-if", "port-pressure", "endpoints", "capture");
    private static final List<String> HEADINGS = List.of("Answer", "Findings", "TIME_WAIT over time",
        "Closes per second", "Idle time before the close", "Requests per connection", "Close reasons",
        "Idle-timeout what-if", "Client port pressure", "Server endpoints", "Capture");

    private HtmlReport() {}

    /**
     * The report of one run (one capture) as an {@code <article>}: {@code run} numbers it in the page (1 for the
     * first; later runs' section ids carry their number), {@code title} names what was analysed.
     */
    public static String article(int run, String title, SummaryFigures s, CaptureTotals totals,
                                 Optional<TimeWaitFigures> tw, List<Finding> findings, long timeWaitSeconds) {
        String suffix = run == 1 ? "" : "-" + run;
        String prefix = run == 1 ? "" : "r" + run + "-";
        StringBuilder b = new StringBuilder(16_384);
        b.append("<article class=\"report\" data-run=\"").append(run).append("\"><h1>").append(Html.text(title))
            .append("</h1><nav><ul>");
        for (int i = 0; i < SECTIONS.size(); i++) {
            b.append("<li><a href=\"#").append(SECTIONS.get(i)).append(suffix).append("\">").append(HEADINGS.get(i))
                .append("</a></li>");
        }
        b.append("</ul></nav>");
        for (int i = 0; i < SECTIONS.size(); i++) {
            String name = SECTIONS.get(i);
            b.append("<section id=\"").append(name).append(suffix).append("\" data-section=\"").append(name)
                .append("\"><h2>").append(HEADINGS.get(i)).append("</h2>");
            b.append(switch (name) {
                case "headline" -> headline(s, tw, findings);
                case "findings" -> findings(findings, s.connections());
                case "time-wait" -> tw.map(t -> HtmlSections.timeWait(prefix, t)).orElse(NO_STAGE);
                case "closes" -> tw.map(t -> HtmlSections.closes(prefix, t)).orElse(NO_STAGE);
                case "idle" -> HtmlSections.idle(prefix, s);
                case "requests" -> HtmlSections.requests(prefix, s);
                case "close-reasons" -> HtmlSections.closeReasons(prefix, s);
                case "what-if" -> tw.map(t -> HtmlTables.whatIf(t.whatIf())).orElse(NO_STAGE);
                case "port-pressure" -> tw.map(HtmlTables::ports).orElse(NO_STAGE);
                case "endpoints" -> HtmlTables.endpoints(s, tw);
                case "capture" -> HtmlFacts.capture(title, s, totals, tw, timeWaitSeconds);
                default -> throw new IllegalStateException(name);
            });
            b.append("</section>");
        }
        return b.append("</article>").toString();
    }

    private static final String NO_STAGE = "<p class=\"empty\">Not computed in this run.</p>";

    /** The whole page around {@code articles} (one per run), titled {@code title}. */
    public static String page(String title, List<String> articles) {
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><meta http-equiv=\"Content-Security-Policy\""
            + " content=\"").append(CSP).append("\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
            + "<meta name=\"generator\" content=\"teardown, output format ").append(Column.FORMAT_VERSION).append("\"/>"
            // An empty icon in the page itself, so that no browser asks for /favicon.ico.
            + "<link rel=\"icon\" href=\"data:,\"/><title>")
            .append(Html.text(title)).append("</title><style>").append(STYLE).append("</style></head><body data-format-version=\"")
            .append(Column.FORMAT_VERSION).append("\"><main>");
        for (String a : articles) b.append(a);
        b.append("<footer><p>Written by teardown (output format ").append(Column.FORMAT_VERSION).append("). Every figure"
            + " is defined in docs/output.md; times are packet times in UTC. This page loads nothing and runs no script."
            + "</p></footer></main></body></html>\n");
        return b.toString();
    }

    /** The answer in one or two sentences: who holds TIME_WAIT and how much at peak, why, and the lever. */
    static String headline(SummaryFigures s, Optional<TimeWaitFigures> tw, List<Finding> findings) {
        if (s.connections() == 0) return "<p class=\"headline\">No TCP connection in this capture.</p>";
        long server = s.timeWaitHolders().getOrDefault(Sides.SERVER, 0L);
        long client = s.timeWaitHolders().getOrDefault(Sides.CLIENT, 0L);
        long both = s.timeWaitHolders().getOrDefault(Sides.BOTH, 0L);
        long entries = server + client + 2 * both;
        StringBuilder b = new StringBuilder("<p class=\"headline\" data-connections=\"").append(s.connections())
            .append("\" data-server-time-wait=\"").append(server + both).append("\" data-client-time-wait=\"")
            .append(client + both).append("\">");
        if (entries == 0) {
            return b.append(String.format(Locale.ROOT, "%,d connections; none left a socket in TIME_WAIT.</p>",
                s.connections())).toString();
        }
        boolean servers = server + both >= client + both;
        b.append(String.format(Locale.ROOT, "<strong>%s hold %s of the TIME_WAIT</strong> (%,d of %,d closes leaving"
            + " TIME_WAIT)", servers ? "Servers" : "Clients", HtmlCharts.share(servers ? server + both : client + both,
            entries), servers ? server + both : client + both, entries));
        tw.flatMap(t -> t.endpoints().stream().findFirst().map(e -> peak(t, e))).ifPresent(b::append);
        b.append(". ");
        String why = why(s, servers);
        if (!why.isEmpty()) b.append(why).append(' ');
        if (!findings.isEmpty()) {
            b.append("<span class=\"lever\">Lever: ").append(Html.text(findings.get(0).lever())).append("</span>");
        }
        return b.append("</p>").toString();
    }

    /** The busiest endpoint's peak, on its busier side, and its steady state when the capture is too short. */
    private static String peak(TimeWaitFigures t, TimeWaitFigures.EndpointRow e) {
        boolean server = e.server().value() >= e.client().value();
        dev.teardown.timewait.Peak p = server ? e.server() : e.client();
        if (p.value() == 0) return "";
        String text = String.format(Locale.ROOT, "; the busiest endpoint, %s, held <strong>%,d</strong> in TIME_WAIT on"
            + " its %s side at %s UTC", Html.text(Findings.endpoint(e.ip(), e.port())), p.value(),
            server ? "server" : "client", Times.clock(p.atNanos()));
        double steady = t.steadyState(server ? e.enteredServer() : e.enteredClient());
        if (t.spanNanos() < t.timeWaitNanos() && !Double.isNaN(steady)) {
            text += String.format(Locale.ROOT, ", and at this close rate would hold about <strong>%,.0f</strong> (the"
                + " capture is shorter than one TIME_WAIT)", steady);
        }
        return text;
    }

    /** Why, from the close reasons behind the TIME_WAIT of the side that holds most of it. */
    private static String why(SummaryFigures s, boolean servers) {
        if (!servers) {
            return "Clients close first (close reasons client-close, client-abort), so they pay for it, one ephemeral"
                + " port per TIME_WAIT.";
        }
        Map<CloseReason, Long> reasons = new EnumMap<>(CloseReason.class);
        long total = 0;
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            if (e.http().isEmpty()) continue;
            total += e.http().get().serverTimeWait();
            e.http().get().serverTimeWaitByReason().forEach((k, v) -> reasons.merge(k, v, Long::sum));
        }
        if (total == 0) return "";
        Map.Entry<CloseReason, Long> top = reasons.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        String what = switch (top.getKey()) {
            case SERVER_IDLE_TIMEOUT -> "the server closing idle keep-alive connections";
            case CLIENT_REQUESTED_CLOSE -> "clients asking to close (Connection: close), which the server does";
            case HTTP10_CLOSE -> "HTTP/1.0 clients without keep-alive, whose connections the server closes";
            case SERVER_CLOSE_ANNOUNCED -> "the server announcing Connection: close (a request budget, errors, shutdown)";
            case SERVER_CLOSE_UNANNOUNCED -> "the server closing persistent connections soon after a response";
            case NO_EXCHANGE -> "connections with no HTTP exchange seen (none sent, or the payload not captured)";
            case NOT_HTTP -> "connections that are not HTTP/1.x";
            default -> "close reason " + top.getKey().label();
        };
        return String.format(Locale.ROOT, "%s of the server-held TIME_WAIT follows %s.",
            HtmlCharts.share(top.getValue(), total), what);
    }

    /** The findings as the terminal lists them: severity, text, evidence, lever. */
    static String findings(List<Finding> findings, long connections) {
        if (findings.isEmpty()) {
            return "<p class=\"empty\">" + (connections == 0 ? "No connection, no finding."
                : "None: no figure of this capture reached a finding's threshold.") + "</p>";
        }
        StringBuilder b = new StringBuilder("<ol class=\"findings\">");
        for (Finding f : findings) {
            b.append("<li data-finding=\"").append(Html.text(f.id())).append("\" data-severity=\"")
                .append(f.severity().label()).append("\" data-subject=\"").append(Html.text(f.subject()))
                .append("\"><span class=\"severity ").append(f.severity().label()).append("\">")
                .append(f.severity().label()).append("</span> <span class=\"finding-id\">").append(Html.text(f.id()))
                .append("</span><p>").append(Html.text(f.text())).append("</p><dl class=\"evidence\">");
            for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
                b.append("<dt>").append(Html.text(e.getKey())).append("</dt><dd>").append(Html.text(Finding.format(e.getValue())))
                    .append("</dd>");
            }
            b.append("</dl><p class=\"lever\">Lever: ").append(Html.text(f.lever())).append("</p></li>");
        }
        return b.append("</ol>").toString();
    }

    /** The page's style: readable at a laptop's width, printable (charts kept whole, in grey they still read). */
    private static final String STYLE = "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
        + "color:#1a1a1a;background:#fff}main{max-width:1080px;margin:0 auto;padding:16px 24px}h1{font-size:1.35em;"
        + "word-break:break-all}h2{font-size:1.15em;border-bottom:1px solid #bdbdbd;padding-bottom:2px;margin-top:1.8em}"
        + "nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9em}nav a{color:#08306b}"
        + "p.headline{font-size:1.12em;background:#f3f6fa;border-left:4px solid #08306b;padding:10px 14px}"
        + ".lever{font-style:italic}figure.chart{margin:12px 0 22px;break-inside:avoid}figure.chart svg{width:100%;"
        + "height:auto;display:block}figcaption{font-size:.9em;color:#404040}h3.chart-title{font-size:1em;margin:0 0 2px;"
        + "font-family:monospace}svg text{font:12px system-ui,sans-serif;"
        + "fill:#262626}svg text.axis-title{font-size:12.5px;fill:#404040}svg text.note{fill:#525252;font-style:italic}"
        + "svg text.level-label{fill:#a50f15}svg text.estimate-label{fill:#404040}svg text.peak-label{font-weight:600}svg text.group{font-weight:600}"
        + ".hover:hover{fill-opacity:.06}table.data{border-collapse:collapse;width:100%;font-size:.9em;margin:8px 0}"
        + "table.data th,table.data td{border-bottom:1px solid #e0e0e0;padding:3px 6px;text-align:left}"
        + "table.data .num{text-align:right;font-variant-numeric:tabular-nums}tr.observed{background:#f3f6fa}"
        + "ol.findings li{margin-bottom:12px}.severity{display:inline-block;border:1px solid #525252;border-radius:3px;"
        + "padding:0 5px;font-size:.8em;text-transform:uppercase}.severity.limit{background:#fee0d2}"
        + ".severity.cause{background:#fdd0a2}.finding-id{font-family:monospace;color:#525252}dl.evidence{display:grid;"
        + "grid-template-columns:max-content auto;gap:0 12px;font-size:.85em;margin:4px 0}dl.evidence dt{font-family:"
        + "monospace;color:#525252}dl.evidence dd{margin:0}dl.facts{display:grid;grid-template-columns:max-content auto;"
        + "gap:2px 16px}dl.facts dd{margin:0}.empty,.note{color:#525252}ul.warnings li{margin-bottom:4px}"
        + "@media print{nav{display:none}main{max-width:none}a{color:inherit}}";
}
