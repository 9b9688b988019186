package dev.teardown.answer;

import dev.teardown.report.Printf;
import dev.teardown.capture.PacketTime;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.SummaryFigures;
import dev.teardown.report.Times;
import dev.teardown.timewait.ClockFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The capture's facts in the HTML report: what was read, its span, packets, skipped and malformed counts,
 * connections, the settings the figures assume, and every warning, the invisible TIME_WAIT before the capture first.
 */
final class HtmlFacts {
    private HtmlFacts() {}

    static String capture(String title, SummaryFigures s, CaptureTotals totals, Optional<TimeWaitFigures> tw,
                          long timeWaitSeconds) {
        StringBuilder b = new StringBuilder("<dl class=\"facts\" data-packets=\"").append(totals.packets())
            .append("\" data-tcp-segments=\"").append(totals.tcpSegments()).append("\" data-connections=\"")
            .append(s.connections()).append("\">");
        fact(b, "analysed", Html.text(title));
        if (PacketTime.isSet(totals.firstNanos())) {
            fact(b, "span", Times.iso(totals.firstNanos()) + " .. " + Times.iso(totals.lastNanos()) + " ("
                + Times.seconds(totals.lastNanos() - totals.firstNanos()) + " s)");
        }
        fact(b, "packets", String.format(Locale.ROOT, "%,d read, %,d TCP", totals.packets(), totals.tcpSegments()));
        fact(b, "skipped", counts(totals.skipped()));
        fact(b, "malformed", counts(totals.malformed()));
        if (!totals.tunnels().isEmpty()) fact(b, "tunnelled", counts(totals.tunnels()));
        fact(b, "connections", String.format(Locale.ROOT, "%,d (at most %,d open at once), %,d reused a tuple still in"
            + " TIME_WAIT", s.connections(), totals.peakConnections(), s.tupleReuses()));
        fact(b, "closed first by", enumCounts(s.closeInitiators()));
        fact(b, "how they ended", enumCounts(s.closeTypes()));
        fact(b, "TIME_WAIT held by", enumCounts(s.timeWaitHolders()));
        if (!s.anomalies().isEmpty() || !s.httpAnomalies().isEmpty()) {
            List<String> a = new ArrayList<>();
            s.anomalies().forEach((k, n) -> a.add(k.name() + " " + String.format(Locale.ROOT, "%,d", n)));
            s.httpAnomalies().forEach((k, n) -> a.add(k.name() + " " + String.format(Locale.ROOT, "%,d", n)));
            fact(b, "anomalies", Html.text(String.join(", ", a)) + " (connections)");
        }
        fact(b, "TIME_WAIT length", timeWaitSeconds + " s (--time-wait)");
        tw.ifPresent(t -> {
            TimeWaitFigures.Limits l = t.limits();
            fact(b, "instants", Printf.trimZeros(Times.seconds(t.stepNanos())) + " s apart");
            fact(b, "limits", String.format(Locale.ROOT, "tcp_max_tw_buckets %,d%s; ephemeral ports %d-%d%s",
                l.maxTwBuckets(), l.maxTwBucketsGiven() ? "" : " (assumed; --max-tw-buckets)", l.portLow(), l.portHigh(),
                l.portRangeGiven() ? "" : " (assumed; --port-range)"));
            TimeWaitFigures.Reuse r = t.reuse();
            fact(b, "tuple reuse", String.format(Locale.ROOT, "%,d SYNs met a tuple in TIME_WAIT: %,d accepted, %,d"
                + " refused; they cut %,.1f s of TIME_WAIT short", r.accepted() + r.refused(), r.accepted(), r.refused(),
                r.cutNanos() / 1e9));
            ClockFigures c = t.clocks();
            if (c.timestampSyns() > 0) {
                fact(b, "TCP timestamp clocks", String.format(Locale.ROOT, "%,d client/server address pairs, %,d with"
                    + " several clocks; tcp_tw_recycle (removed in Linux 4.12) would have dropped %,d of %,d SYNs",
                    c.pairs(), c.pairsWithSeveralClocks(), c.recycleDrops(), c.syns()));
            }
            if (t.forgotten() > 0) fact(b, "keys forgotten", String.format(Locale.ROOT, "%,d", t.forgotten()));
        });
        for (CaptureTotals.Note n : totals.notes()) fact(b, Html.text(n.label()), Html.text(n.text()));
        b.append("</dl><h3>Warnings</h3><ul class=\"warnings\">");
        int warnings = 0;
        if (PacketTime.isSet(totals.firstNanos())) {
            warnings++;
            long complete = totals.firstNanos() + timeWaitSeconds * 1_000_000_000L;
            b.append("<li data-warning=\"time-wait-before-capture\">TIME_WAIT that began before the capture is not"
                + " visible: figures before ").append(Times.iso(complete)).append(" (one TIME_WAIT after the start)"
                + " may be low; peaks there are marked *.</li>");
        }
        for (String w : totals.warnings()) {
            warnings++;
            b.append("<li data-warning=\"capture\">").append(Html.text(w)).append("</li>");
        }
        if (warnings == 0) b.append("<li>none</li>");
        return b.append("</ul>").toString();
    }

    private static void fact(StringBuilder b, String name, String html) {
        b.append("<dt>").append(name).append("</dt><dd>").append(html).append("</dd>");
    }

    private static String counts(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, n) -> {
            if (n > 0) parts.add(k + " " + String.format(Locale.ROOT, "%,d", n));
        });
        return parts.isEmpty() ? "0" : Html.text(String.join(", ", parts));
    }

    private static <K extends Enum<K>> String enumCounts(Map<K, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, n) -> parts.add(label(k) + " " + String.format(Locale.ROOT, "%,d", n)));
        return parts.isEmpty() ? "-" : Html.text(String.join(", ", parts));
    }

    private static String label(Enum<?> k) {
        if (k instanceof dev.teardown.teardown.CloseType t) return t.label();
        if (k instanceof dev.teardown.teardown.Sides s) return s.label();
        return k.name();
    }
}
