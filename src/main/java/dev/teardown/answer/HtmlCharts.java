package dev.teardown.answer;

import dev.teardown.report.Printf;
import dev.teardown.report.HttpFigures;
import dev.teardown.report.IdleBins;
import dev.teardown.report.Times;
import dev.teardown.timewait.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts drawn with {@link Svg}: a population or rate over UTC time (step lines, one per series, with
 * peaks marked, reference levels and the stretch where TIME_WAIT begun before the capture is not visible), the
 * idle-before-close histogram on a log scale of seconds, and bar charts of categories. Each mark worth hovering has
 * a {@code <title>}; each series, bar and level a class and data attributes naming what it shows.
 */
final class HtmlCharts {
    private HtmlCharts() {}

    /** One series of a time chart: {@code key} names it in data attributes, {@code name} in the legend. */
    record Line(String key, String name, Series series) {}

    /**
     * A horizontal reference level with its label: a kernel limit ({@code line} -1, drawn in red) or an estimate
     * for line {@code line} (drawn in that line's colour).
     */
    record Level(String key, String label, double value, int line) {}

    /** A marked point of line {@code line} (a peak): where, how high, and what its hover text says. */
    record Mark(int line, long atNanos, long value, String title) {}

    /** A bar of a categorical chart. */
    record Bar(String key, String label, long value, String title) {}

    /**
     * A step chart of {@code lines} over time from {@code from} to {@code to}: populations as they are, or rates
     * ({@code rate}: each bucket's sum over its width in seconds). Instants before {@code partialUntil} are hatched.
     */
    static String timeChart(String id, String label, String unit, long from, long to, List<Line> lines, boolean rate,
                            List<Level> levels, List<Mark> marks, long partialUntil) {
        for (Line l : lines) {
            Series s = l.series();
            if (s.size() > 0) to = Math.max(to, s.originNanos() + s.size() * s.bucketNanos());
        }
        double max = 0;
        for (Line l : lines) {
            for (int i = 0; i < l.series().size(); i++) max = Math.max(max, value(l.series(), i, rate));
        }
        for (Level v : levels) max = Math.max(max, v.value());
        double step = Svg.niceStep(max * 1.08, 5);
        double top = Math.max(step, Math.ceil(max * 1.08 / step) * step);
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step));
        Svg svg = new Svg(id, 320, label);
        if (partialUntil > from) {
            double x1 = Svg.x(Math.min(partialUntil, to), from, to);
            svg.rect(Svg.LEFT, Svg.TOP, x1 - Svg.LEFT, svg.plotBottom() - Svg.TOP, svg.greyHatch(), "partial",
                " data-until=\"" + Times.iso(partialUntil) + "\"", "Before " + Times.iso(partialUntil) + " (one TIME_WAIT"
                    + " after the capture's start) TIME_WAIT begun before the capture is not visible: figures may be low");
            svg.rect(Svg.plotRight() - 312, 7, 14, 12, svg.greyHatch(), "legend-swatch",
                " stroke=\"#969696\" stroke-width=\"0.5\"", null);
            svg.text(Svg.plotRight(), 17, "end", "note", "TIME_WAIT begun before the capture not visible");
        }
        svg.yAxis(top, step, unit, decimals);
        // Labels above their level, left-aligned, pushed apart when levels lie close together.
        List<Level> sorted = new ArrayList<>(levels);
        sorted.sort(java.util.Comparator.comparingDouble(Level::value).reversed());
        double labelY = Double.NEGATIVE_INFINITY;
        for (Level v : sorted) {
            double y = svg.y(v.value(), top);
            String color = v.line() < 0 ? "#a50f15" : Svg.STYLES.get(v.line() % Svg.STYLES.size()).color();
            svg.line(Svg.LEFT, y, Svg.plotRight(), y, color, v.line() < 0 ? "10 4" : "3 3", "level",
                " data-level=\"" + Html.text(v.key()) + "\" data-value=\"" + Math.round(v.value()) + "\"");
            labelY = Math.max(y - 5, labelY + 14);
            svg.text(Svg.LEFT + 8, labelY, "start", v.line() < 0 ? "level-label" : "estimate-label", v.label());
        }
        for (int k = 0; k < lines.size(); k++) {
            Line l = lines.get(k);
            Svg.Style style = Svg.STYLES.get(k % Svg.STYLES.size());
            Series s = l.series();
            StringBuilder d = new StringBuilder("M").append(Svg.f(Svg.LEFT)).append(' ').append(Svg.f(svg.y(0, top)));
            int every = Math.max(1, s.size() / 12);
            for (int i = 0; i < s.size(); i++) {
                double x0 = Svg.x(s.originNanos() + i * s.bucketNanos(), from, to);
                double x1 = Svg.x(s.originNanos() + (i + 1) * s.bucketNanos(), from, to);
                double y = svg.y(value(s, i, rate), top);
                d.append('H').append(Svg.f(x0)).append('V').append(Svg.f(y)).append('H').append(Svg.f(x1));
            }
            svg.path(d.toString(), style, 2.2, "series", " data-series=\"" + Html.text(l.key()) + "\" data-total=\""
                + s.sum() + "\" data-max=\"" + s.max() + "\"");
            // Markers along the line, offset per series, so that lines of one grey still differ when printed.
            for (int i = (k * every) / 4; i < s.size(); i += every) {
                double x = (Svg.x(s.originNanos() + i * s.bucketNanos(), from, to)
                    + Svg.x(s.originNanos() + (i + 1) * s.bucketNanos(), from, to)) / 2;
                svg.marker(style, x, svg.y(value(s, i, rate), top), 3.2, "series-marker", "", null);
            }
        }
        for (Mark m : marks) {
            Svg.Style style = Svg.STYLES.get(m.line() % Svg.STYLES.size());
            double x = Svg.x(m.atNanos(), from, to);
            double y = svg.y(m.value(), top);
            svg.marker(style, x, y, 6, "peak", " data-series=\"" + Html.text(lines.get(m.line()).key()) + "\" data-value=\""
                + m.value() + "\" data-at=\"" + Times.iso(m.atNanos()) + "\"", m.title());
            boolean right = x > Svg.LEFT + 0.75 * (Svg.plotRight() - Svg.LEFT);
            svg.text(right ? x - 10 : x + 10, Math.max(Svg.TOP + 12, y - 9), right ? "end" : "start", "peak-label",
                "peak " + Svg.number(m.value(), 0));
        }
        hoverColumns(svg, lines, rate, from, to);
        svg.timeAxis(from, to);
        svg.legend(Svg.STYLES, lines.stream().map(Line::name).toList());
        return svg.end();
    }

    /** Invisible columns, one per bucket of the first series, whose hover text gives every series' value there. */
    private static void hoverColumns(Svg svg, List<Line> lines, boolean rate, long from, long to) {
        if (lines.isEmpty()) return;
        Series first = lines.get(0).series();
        for (int i = 0; i < first.size(); i++) {
            long t0 = first.originNanos() + i * first.bucketNanos();
            long t1 = t0 + first.bucketNanos();
            StringBuilder title = new StringBuilder(Times.clock(t0)).append("..")
                .append(Times.clock(t1)).append(" UTC:");
            for (Line l : lines) {
                Series s = l.series();
                int j = s.bucketNanos() == first.bucketNanos() && s.originNanos() == first.originNanos() ? i
                    : (int) Math.floorDiv(t0 - s.originNanos(), s.bucketNanos());
                double v = j >= 0 && j < s.size() ? value(s, j, rate) : 0;
                title.append(' ').append(l.name()).append(' ').append(rate ? Svg.number(v, 1) + "/s"
                    : Svg.number(v, 0)).append(';');
            }
            title.setLength(title.length() - 1);
            double x0 = Svg.x(t0, from, to);
            svg.rect(x0, Svg.TOP, Svg.x(t1, from, to) - x0, svg.plotBottom() - Svg.TOP, "#000", "hover",
                " fill-opacity=\"0\"", title.toString());
        }
    }

    private static double value(Series s, int i, boolean rate) {
        return rate ? s.at(i) / (s.bucketNanos() / 1e9) : s.at(i);
    }

    /**
     * The idle-before-close histogram of one endpoint: stacked bars (closed by the server, solid; by the client,
     * hatched) over the {@link IdleBins} on a log scale of seconds, with the inferred idle timeout and the
     * advertised Keep-Alive timeout marked when known.
     */
    static String idleChart(String id, String label, HttpFigures h) {
        List<HttpFigures.IdleBin> bins = h.idleHistogram();
        int first = IdleBins.of(bins.get(0).fromNanos());
        int last = IdleBins.of(bins.get(bins.size() - 1).fromNanos());
        List<Level> marks = new ArrayList<>();
        h.idleCloses().ifPresent(i -> marks.add(new Level("idle-timeout", String.format(Locale.ROOT,
            "server idle timeout ~%.1f s (median of %,d idle closes)", i.medianNanos() / 1e9, i.count()), i.medianNanos(),
            -1)));
        h.advertisedKeepAliveTimeout().ifPresent(t -> marks.add(new Level("advertised", String.format(Locale.ROOT,
            "Keep-Alive: timeout=%d advertised", t), t * 1e9, -1)));
        for (Level m : marks) {
            first = Math.min(first, IdleBins.of((long) m.value()));
            last = Math.max(last, IdleBins.of((long) m.value()));
        }
        // At least a decade shown, around the bins: one idle time alone is still read against its neighbours.
        int lo = Math.max(0, first - 1);
        int hi = Math.min(IdleBins.COUNT - 1, Math.max(last + 1, lo + 10));
        long max = 0;
        for (HttpFigures.IdleBin bin : bins) max = Math.max(max, bin.serverClosed() + bin.clientClosed());
        double step = Math.max(1, Svg.niceStep(max * 1.1, 5));
        double top = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        Svg svg = new Svg(id, 300, label);
        svg.yAxis(top, step, "connections", 0);
        double bw = (Svg.plotRight() - Svg.LEFT) / (double) (hi - lo + 1);
        for (HttpFigures.IdleBin bin : bins) {
            int i = IdleBins.of(bin.fromNanos());
            double x = Svg.LEFT + (i - lo) * bw + 1;
            // A bar with a connection is at least 1.5 units tall: one close among thousands must still show.
            double hServer = bin.serverClosed() == 0 ? 0 : Math.max(1.5, svg.plotBottom() - svg.y(bin.serverClosed(), top));
            double hClient = bin.clientClosed() == 0 ? 0 : Math.max(1.5, svg.plotBottom() - svg.y(bin.clientClosed(), top));
            String range = binRange(bin.fromNanos(), bin.toNanos());
            String attrs = " data-from-s=\"" + Times.seconds(bin.fromNanos()) + "\"";
            if (bin.serverClosed() > 0) {
                svg.rect(x, svg.plotBottom() - hServer, bw - 2, hServer, Svg.STYLES.get(0).color(), "bar",
                    attrs + " data-side=\"server\" data-count=\"" + bin.serverClosed() + "\"", range + ": "
                        + Svg.number(bin.serverClosed(), 0) + " closed first by the server");
            }
            if (bin.clientClosed() > 0) {
                svg.rect(x, svg.plotBottom() - hServer - hClient, bw - 2, hClient, svg.hatch(), "bar", attrs
                    + " data-side=\"client\" data-count=\"" + bin.clientClosed() + "\"", range + ": "
                    + Svg.number(bin.clientClosed(), 0) + " closed first by the client (or both at once)");
            }
        }
        for (int i = lo; i <= hi; i++) {
            long low = IdleBins.low(i);
            // "0" only where it has room beside "1 ms".
            boolean decade = (i == 0 && bw > 40) || isPowerOfTen(low);
            boolean labelled = decade || (hi - lo <= 30 && (isPowerOfTen(low / 2) || isPowerOfTen(low / 5)));
            if (!labelled) continue;
            double x = Svg.LEFT + (i - lo) * bw;
            svg.line(x, svg.plotBottom(), x, svg.plotBottom() + 5, "#737373", "", "tick-mark");
            svg.text(x, svg.plotBottom() + 18, "middle", "tick", i == 0 ? "0" : seconds(low));
        }
        svg.line(Svg.LEFT, svg.plotBottom(), Svg.plotRight(), svg.plotBottom(), "#737373", "", "axis");
        svg.text((Svg.LEFT + Svg.plotRight()) / 2.0, 300 - 6, "middle", "axis-title",
            "idle time before the close (from the last HTTP message to the first FIN or RST), log scale");
        int n = 0;
        for (Level m : marks) {
            int i = IdleBins.of((long) m.value());
            double lowEdge = Math.max(IdleBins.low(i), 1);
            double highEdge = i + 1 < IdleBins.COUNT ? IdleBins.high(i) : 10 * lowEdge;
            double frac = i == 0 ? 0.5 : Math.log(Math.max(m.value(), lowEdge) / lowEdge) / Math.log(highEdge / lowEdge);
            double x = Svg.LEFT + (i - lo + Math.min(1, frac)) * bw;
            svg.line(x, Svg.TOP, x, svg.plotBottom(), "#a50f15", n == 0 ? "10 4" : "3 3", "marker-line",
                " data-marker=\"" + m.key() + "\" data-value-s=\"" + Times.seconds((long) m.value()) + "\"");
            svg.text(x > Svg.WIDTH * 0.6 ? x - 6 : x + 6, Svg.TOP + 14 + 16 * n++, x > Svg.WIDTH * 0.6 ? "end" : "start",
                "level-label", m.label());
        }
        barLegend(svg, List.of(Svg.STYLES.get(0).color(), svg.hatch()),
            List.of("closed first by the server", "closed first by the client"));
        return svg.end();
    }

    private static boolean isPowerOfTen(long v) {
        if (v <= 0) return false;
        while (v % 10 == 0) v /= 10;
        return v == 1;
    }

    /** A bin edge in seconds, short: {@code 1 ms}, {@code 250 ms}, {@code 2 s}, {@code 1,000 s}. */
    static String seconds(long nanos) {
        boolean ms = nanos < 1_000_000_000L;
        String v = Svg.number(ms ? nanos / 1e6 : nanos / 1e9, 2);
        return Printf.trimZeros(v) + (ms ? " ms" : " s");
    }

    private static String binRange(long from, long to) {
        if (to == Long.MAX_VALUE) return seconds(from) + " or more";
        return (from == 0 ? "under " : seconds(from) + " to under ") + seconds(to);
    }

    /** Vertical bars, one per category, labelled underneath (every other one past 24); the y axis counts {@code unit}. */
    static String columns(String id, String label, String unit, List<Bar> bars, String xTitle) {
        long max = 0;
        for (Bar bar : bars) max = Math.max(max, bar.value());
        double step = Math.max(1, Svg.niceStep(max * 1.1, 5));
        double top = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        Svg svg = new Svg(id, 280, label);
        svg.yAxis(top, step, unit, 0);
        double bw = (Svg.plotRight() - Svg.LEFT) / (double) Math.max(bars.size(), 8);
        int every = bars.size() > 24 ? 2 : 1;
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x = Svg.LEFT + i * bw;
            double y = bar.value() == 0 ? svg.plotBottom() : Math.min(svg.plotBottom() - 1.5, svg.y(bar.value(), top));
            svg.rect(x + 2, y, bw - 4, svg.plotBottom() - y, Svg.STYLES.get(0).color(), "bar",
                " data-key=\"" + Html.text(bar.key()) + "\" data-count=\"" + bar.value() + "\"", bar.title());
            if (i % every == 0) svg.text(x + bw / 2, svg.plotBottom() + 18, "middle", "tick", bar.label());
        }
        svg.line(Svg.LEFT, svg.plotBottom(), Svg.plotRight(), svg.plotBottom(), "#737373", "", "axis");
        svg.text((Svg.LEFT + Svg.plotRight()) / 2.0, 280 - 6, "middle", "axis-title", xTitle);
        return svg.end();
    }

    /**
     * Horizontal bars, one row each, under group headings: {@code groups} names each group and its fill (a
     * {@code null} fill: the drawing's hatch), {@code rows} holds each group's bars.
     */
    static String rows(String id, String label, List<String> groups, List<String> fills, List<List<Bar>> rows,
                       long whole) {
        int count = 0;
        for (List<Bar> r : rows) count += 1 + Math.max(1, r.size());
        int height = 20 + count * 24 + 12;
        long max = 1;
        for (List<Bar> r : rows) for (Bar bar : r) max = Math.max(max, bar.value());
        Svg svg = new Svg(id, height, label);
        double y = 22;
        double x0 = 250;
        double width = 520;
        for (int g = 0; g < groups.size(); g++) {
            String fill = fills.get(g) == null ? svg.hatch() : fills.get(g);
            svg.text(8, y + 14, "start", "group", groups.get(g));
            y += 24;
            if (rows.get(g).isEmpty()) {
                svg.text(24, y + 14, "start", "tick", "none");
                y += 24;
            }
            for (Bar bar : rows.get(g)) {
                svg.text(x0 - 8, y + 14, "end", "tick", bar.label());
                double w = width * bar.value() / max;
                svg.rect(x0, y + 2, Math.max(1, w), 16, fill, "bar", " data-key=\"" + Html.text(bar.key())
                    + "\" data-count=\"" + bar.value() + "\" stroke=\"#525252\" stroke-width=\"0.5\"", bar.title());
                svg.text(x0 + Math.max(1, w) + 6, y + 14, "start", "value", String.format(Locale.ROOT, "%,d (%s)",
                    bar.value(), share(bar.value(), whole)));
                y += 24;
            }
        }
        return svg.end();
    }

    /** {@code part} of {@code whole} as a percentage with one decimal. */
    static String share(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static void barLegend(Svg svg, List<String> fills, List<String> names) {
        double x = Svg.LEFT + 8;
        for (int i = 0; i < names.size(); i++) {
            svg.rect(x, 6, 18, 12, fills.get(i), "legend-swatch", " stroke=\"#525252\" stroke-width=\"0.5\"", null);
            svg.text(x + 24, 17, "start", "legend", names.get(i));
            x += 40 + 7.2 * names.get(i).length();
        }
    }
}
