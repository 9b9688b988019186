package dev.teardown.answer;

import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.one;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.report.HttpFigures;
import dev.teardown.timewait.Series;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The charts as drawn: step lines, peaks, levels, the hatched start, rates, the idle histogram, grouped rows. */
class HtmlChartsTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    @Test
    void timeChartDrawsAStepLinePerSeriesItsPeakLevelsAndTheStretchWhereTimeWaitIsNotVisible() {
        Series server = new Series(T0, S, new long[] {0, 3, 7, 5});
        Series client = new Series(T0, S, new long[] {1, 1, 0, 0});
        Document d = parse(HtmlCharts.timeChart("c", "test", "connections", T0, T0 + 4 * S,
            List.of(new HtmlCharts.Line("server", "server side", server), new HtmlCharts.Line("client", "client side", client)),
            false, List.of(new HtmlCharts.Level("max-tw-buckets", "limit", 20, -1)),
            List.of(new HtmlCharts.Mark(0, T0 + 2 * S, 7, "server peak 7")), T0 + 60 * S));
        List<Element> lines = all(d, "//path[@class='series']");
        assertEquals(List.of("server", "client"), lines.stream().map(e -> e.getAttribute("data-series")).toList());
        assertEquals("7", lines.get(0).getAttribute("data-max"));
        assertTrue(lines.get(1).hasAttribute("stroke-dasharray"), "the second line is dashed");
        assertEquals(4, lines.get(0).getAttribute("d").split("H").length - 1 >> 1, "two H per step, four steps");
        Element peak = one(d, "//*[@class='peak']");
        assertEquals("server peak 7", one(peak, "title").getTextContent());
        assertEquals("2023-11-14T22:13:22.000000Z", peak.getAttribute("data-at"));
        assertEquals("20", one(d, "//line[@class='level']").getAttribute("data-value"));
        assertEquals("limit", one(d, "//text[@class='level-label']").getTextContent());
        Element partial = one(d, "//rect[@class='partial']");
        assertEquals("2023-11-14T22:14:20.000000Z", partial.getAttribute("data-until"));
        assertTrue(Double.parseDouble(partial.getAttribute("width")) > 800, "the whole capture is within it");
        assertEquals(4, all(d, "//rect[@class='hover']").size(), "one hover column a bucket");
        assertEquals("22:13:22..22:13:23 UTC: server side 7; client side 0",
            all(d, "//rect[@class='hover']/title").get(2).getTextContent());
    }

    @Test
    void aRateChartDividesEachBucketByItsWidthInSeconds() {
        Series closes = new Series(T0, 2 * S, new long[] {4, 10});
        Document d = parse(HtmlCharts.timeChart("r", "rate", "closes per second", T0, T0 + 4 * S,
            List.of(new HtmlCharts.Line("server", "server first", closes)), true, List.of(), List.of(), T0));
        assertEquals("22:13:22..22:13:24 UTC: server first 5.0/s", all(d, "//rect[@class='hover']/title").get(1)
            .getTextContent());
        assertEquals("14", one(d, "//path[@class='series']").getAttribute("data-total"), "closes, not rates, summed");
        assertTrue(all(d, "//rect[@class='partial']").isEmpty(), "no hatch when nothing is partial");
    }

    @Test
    void idleChartStacksWhoClosedAndMarksTheIdleTimeoutAndTheAdvertisedOne() {
        HttpFigures h = new HttpFigures(12, 1, 1, 1, 1, OptionalInt.of(5),
            Optional.of(new HttpFigures.IdleCloses(10, 10, 2 * S, 2_100_000_000L, 2_200_000_000L)), 10, Map.of(),
            List.of(), List.of(new HttpFigures.IdleBin(2 * S, 2_500_000_000L, 10, 2)));
        Document d = parse(HtmlCharts.idleChart("i", "idle", h));
        assertEquals(List.of("server", "client"), Pages.attrs(d, "//rect[@class='bar']", "data-side"));
        assertEquals("2 s to under 2.5 s: 10 closed first by the server", one(d, "//rect[@data-side='server']/title")
            .getTextContent());
        Element timeout = one(d, "//line[@data-marker='idle-timeout']");
        assertEquals("2.100000", timeout.getAttribute("data-value-s"));
        Element bar = one(d, "//rect[@data-side='server']");
        double x = Double.parseDouble(timeout.getAttribute("x1"));
        double left = Double.parseDouble(bar.getAttribute("x"));
        assertTrue(x > left && x < left + Double.parseDouble(bar.getAttribute("width")), "2.1 s inside the 2-2.5 s bar");
        assertEquals("5.000000", one(d, "//line[@data-marker='advertised']").getAttribute("data-value-s"));
        assertTrue(all(d, "//text[@class='tick']").stream().anyMatch(t -> t.getTextContent().equals("10 s")),
            "the log axis labels its decades");
    }

    @Test
    void binEdgesReadAsShortRoundNumbers() {
        assertEquals(List.of("1 ms", "1.25 ms", "315 ms", "2.5 s", "1,000 s"), List.of(HtmlCharts.seconds(1_000_000L),
            HtmlCharts.seconds(1_250_000L), HtmlCharts.seconds(315_000_000L), HtmlCharts.seconds(2_500_000_000L),
            HtmlCharts.seconds(1000 * S)));
    }

    @Test
    void rowsAreGroupedWithEveryGroupShownEvenWhenEmpty() {
        Document d = parse(HtmlCharts.rows("g", "reasons", List.of("client", "server"), java.util.Arrays.asList(null, "#000"),
            List.of(List.of(new HtmlCharts.Bar("client-close", "client-close", 3, "3 closes")), List.of()), 4));
        assertEquals(List.of("client", "server"), all(d, "//text[@class='group']").stream().map(e -> e.getTextContent())
            .toList());
        assertEquals("none", all(d, "//text[@class='tick']").get(1).getTextContent());
        assertEquals("3 (75.0%)", one(d, "//text[@class='value']").getTextContent());
        assertEquals("url(#g-hatch)", one(d, "//rect[@class='bar']").getAttribute("fill"), "the first group hatched");
    }
}
