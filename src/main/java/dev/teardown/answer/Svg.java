package dev.teardown.answer;

import dev.teardown.report.Times;
import java.util.List;
import java.util.Locale;

/**
 * Writes the report's charts as inline SVG, with no script: a plot area with labelled axes (counts, rates, UTC
 * times, a log scale of seconds), and marks that say what they show in a {@code <title>} (hover text) and in
 * {@code class} and {@code data-*} attributes (tests and scripts). Series are told apart by dash pattern and marker
 * shape as well as colour, and bars by fill pattern, so the charts survive grey-scale printing and colour blindness.
 * Coordinates are written with one decimal in {@link Locale#ROOT}: the same figures give the same bytes.
 */
final class Svg {
    /** The drawing's width in user units; the page scales it to the column (about 1,000 px on a laptop). */
    static final int WIDTH = 960;
    static final int LEFT = 78;
    static final int RIGHT = 24;
    static final int TOP = 36;
    static final int BOTTOM = 46;

    /** How a series is drawn: stroke or fill colour, dash pattern (empty: solid), marker shape. */
    record Style(String color, String dash, Marker marker) {}

    /** Marker shapes, one per series, drawn along the line so that lines of one grey still differ. */
    enum Marker { CIRCLE, SQUARE, TRIANGLE, DIAMOND }

    /** Four styles of distinct lightness, dash and marker (dark blue, orange, green, grey). */
    static final List<Style> STYLES = List.of(new Style("#08306b", "", Marker.CIRCLE),
        new Style("#d95f0e", "7 4", Marker.SQUARE), new Style("#238b45", "2 3", Marker.TRIANGLE),
        new Style("#525252", "9 3 2 3", Marker.DIAMOND));

    private final StringBuilder b = new StringBuilder(4096);
    private final String id;
    private final int height;

    /** Opens a drawing {@code id} (unique in the page) of {@code height} units, described by {@code label}. */
    Svg(String id, int height, String label) {
        this.id = id;
        this.height = height;
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"").append(Html.text(id)).append("\" viewBox=\"0 0 ")
            .append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"").append(Html.text(label))
            .append("\"><title>").append(Html.text(label)).append("</title>");
        b.append("<defs><pattern id=\"").append(id).append("-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
            + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fdd0a2\"/><line x1=\"0\" y1=\"0\""
            + " x2=\"0\" y2=\"6\" stroke=\"#d95f0e\" stroke-width=\"2\"/></pattern><pattern id=\"").append(id)
            .append("-grey\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
                + "<rect width=\"8\" height=\"8\" fill=\"#fafafa\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\""
                + " stroke=\"#e3e3e3\" stroke-width=\"2\"/></pattern></defs>");
    }

    /** The fill of bars of the second kind: a hatch, so it differs from a solid fill in grey. */
    String hatch() {
        return "url(#" + id + "-hatch)";
    }

    /** A light grey hatch: a stretch of the chart whose figures may be low. */
    String greyHatch() {
        return "url(#" + id + "-grey)";
    }

    int plotBottom() {
        return height - BOTTOM;
    }

    static int plotRight() {
        return WIDTH - RIGHT;
    }

    /** Appends raw SVG markup made by this class's callers from escaped text. */
    Svg raw(String markup) {
        b.append(markup);
        return this;
    }

    Svg text(double x, double y, String anchor, String cls, String s) {
        b.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" text-anchor=\"").append(anchor)
            .append("\" class=\"").append(cls).append("\">").append(Html.text(s)).append("</text>");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String color, String dash, String cls) {
        return line(x1, y1, x2, y2, color, dash, cls, "");
    }

    /** A line with extra attributes {@code attrs}, already escaped. */
    Svg line(double x1, double y1, double x2, double y2, String color, String dash, String cls, String attrs) {
        b.append("<line class=\"").append(cls).append('"').append(attrs).append(" x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1))
            .append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(color).append('"');
        if (!dash.isEmpty()) b.append(" stroke-dasharray=\"").append(dash).append('"');
        b.append("/>");
        return this;
    }

    /** A rectangle with a hover title; {@code attrs} are extra attributes, already escaped. */
    Svg rect(double x, double y, double w, double h, String fill, String cls, String attrs, String title) {
        b.append("<rect class=\"").append(cls).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
            .append("\" width=\"").append(f(Math.max(0, w))).append("\" height=\"").append(f(Math.max(0, h)))
            .append("\" fill=\"").append(fill).append('"').append(attrs);
        if (title == null) return raw("/>");
        return raw("><title>").raw(Html.text(title)).raw("</title></rect>");
    }

    /** A marker of {@code style}'s shape at (x, y), with a hover title when {@code title} is not null. */
    Svg marker(Style style, double x, double y, double r, String cls, String attrs, String title) {
        String shape = switch (style.marker()) {
            case CIRCLE -> "<circle cx=\"" + f(x) + "\" cy=\"" + f(y) + "\" r=\"" + f(r) + "\"";
            case SQUARE -> "<rect x=\"" + f(x - r) + "\" y=\"" + f(y - r) + "\" width=\"" + f(2 * r) + "\" height=\""
                + f(2 * r) + "\"";
            case TRIANGLE -> "<path d=\"M" + f(x) + " " + f(y - 1.2 * r) + "L" + f(x + 1.1 * r) + " " + f(y + 0.8 * r)
                + "L" + f(x - 1.1 * r) + " " + f(y + 0.8 * r) + "Z\"";
            case DIAMOND -> "<path d=\"M" + f(x) + " " + f(y - 1.3 * r) + "L" + f(x + 1.3 * r) + " " + f(y) + "L" + f(x)
                + " " + f(y + 1.3 * r) + "L" + f(x - 1.3 * r) + " " + f(y) + "Z\"";
        };
        b.append(shape).append(" class=\"").append(cls).append("\" fill=\"").append(style.color())
            .append("\" stroke=\"#fff\" stroke-width=\"1\"").append(attrs);
        if (title == null) return raw("/>");
        String tag = style.marker() == Marker.CIRCLE ? "circle" : style.marker() == Marker.SQUARE ? "rect" : "path";
        return raw("><title>").raw(Html.text(title)).raw("</title></").raw(tag).raw(">");
    }

    /** A path of {@code d} stroked in {@code style}, with {@code attrs} (escaped) for tests and scripts. */
    Svg path(String d, Style style, double width, String cls, String attrs) {
        b.append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
            .append(style.color()).append("\" stroke-width=\"").append(f(width)).append('"');
        if (!style.dash().isEmpty()) b.append(" stroke-dasharray=\"").append(style.dash()).append('"');
        return raw(attrs).raw("/>");
    }

    /** Horizontal grid lines and labels for a linear y axis from 0 to {@code top}, in steps of {@code step}. */
    Svg yAxis(double top, double step, String unit, int decimals) {
        for (double v = 0; v <= top + step / 2; v += step) {
            double y = y(v, top);
            line(LEFT, y, plotRight(), y, "#d9d9d9", v == 0 ? "" : "2 3", "grid");
            text(LEFT - 6, y + 4, "end", "tick", number(v, decimals));
        }
        b.append("<text class=\"axis-title\" transform=\"translate(16,").append(f((TOP + plotBottom()) / 2.0))
            .append(") rotate(-90)\" text-anchor=\"middle\">").append(Html.text(unit)).append("</text>");
        return this;
    }

    /** The y coordinate of {@code v} on a linear axis from 0 to {@code top}. */
    double y(double v, double top) {
        return plotBottom() - (plotBottom() - TOP) * (top <= 0 ? 0 : Math.min(v, top) / top);
    }

    /** Ticks and labels of a time axis from {@code from} to {@code to} (nanoseconds since the epoch, UTC). */
    Svg timeAxis(long from, long to) {
        long span = Math.max(1, to - from);
        long step = timeStep(span);
        long first = Math.floorDiv(from + step - 1, step) * step;
        for (long t = first; t <= to; t += step) {
            double x = x(t, from, to);
            line(x, plotBottom(), x, plotBottom() + 5, "#737373", "", "tick-mark");
            text(x, plotBottom() + 18, "middle", "tick", timeLabel(t, step, span));
        }
        line(LEFT, plotBottom(), plotRight(), plotBottom(), "#737373", "", "axis");
        String day = Times.iso(from).substring(0, 10);
        String last = Times.iso(to).substring(0, 10);
        return text((LEFT + plotRight()) / 2.0, height - 6, "middle", "axis-title",
            "time, UTC (" + (day.equals(last) ? day : day + " .. " + last) + ")");
    }

    /** The x coordinate of {@code t} on a time axis from {@code from} to {@code to}. */
    static double x(long t, long from, long to) {
        double share = to <= from ? 0 : (double) (t - from) / (to - from);
        return LEFT + (plotRight() - LEFT) * Math.max(0, Math.min(1, share));
    }

    /** A tick distance that gives at most about eight ticks over {@code span} nanoseconds. */
    static long timeStep(long span) {
        long[] steps = {1_000_000L, 2_000_000L, 5_000_000L, 10_000_000L, 20_000_000L, 50_000_000L, 100_000_000L,
            200_000_000L, 500_000_000L, 1_000_000_000L, 2_000_000_000L, 5_000_000_000L, 10_000_000_000L,
            15_000_000_000L, 30_000_000_000L, 60_000_000_000L, 120_000_000_000L, 300_000_000_000L, 600_000_000_000L,
            900_000_000_000L, 1_800_000_000_000L, 3_600_000_000_000L, 7_200_000_000_000L, 10_800_000_000_000L,
            21_600_000_000_000L, 43_200_000_000_000L, 86_400_000_000_000L};
        for (long s : steps) if (span / s <= 8) return s;
        long day = 86_400_000_000_000L;
        return day * Math.max(1, span / day / 8 + 1);
    }

    /** {@code HH:MM:SS}, with milliseconds for steps under a second, and the date for spans over a day. */
    static String timeLabel(long t, long step, long span) {
        String iso = Times.iso(t);
        if (span > 86_400_000_000_000L) return iso.substring(5, 16).replace('T', ' ');
        if (step < 1_000_000_000L) return iso.substring(11, 23);
        return iso.substring(11, 19);
    }

    /** A step of 1, 2 or 5 times a power of ten that divides {@code max} into at most {@code ticks} steps. */
    static double niceStep(double max, int ticks) {
        if (max <= 0) return 1;
        double raw = max / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    /** {@code v} with thousands separators and {@code decimals} decimals. */
    static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    /** A coordinate with one decimal, trailing {@code .0} dropped. */
    static String f(double v) {
        long tenths = Math.round(v * 10);
        String sign = tenths < 0 ? "-" : "";
        long a = Math.abs(tenths);
        return a % 10 == 0 ? sign + a / 10 : sign + a / 10 + "." + a % 10;
    }

    /** The legend: one entry per style and name, top right, each a line sample with its marker. */
    Svg legend(List<Style> styles, List<String> names) {
        double x = LEFT + 8;
        for (int i = 0; i < names.size(); i++) {
            Style s = styles.get(i);
            path("M" + f(x) + " 14H" + f(x + 26), s, 2.5, "legend-line", "");
            marker(s, x + 13, 14, 3.5, "legend-marker", "", null);
            text(x + 32, 18, "start", "legend", names.get(i));
            x += 44 + 7.2 * names.get(i).length();
        }
        return this;
    }

    /** Closes the drawing and gives its markup. */
    String end() {
        return b.append("</svg>").toString();
    }
}
