package dev.teardown.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.report.Times;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;

/** The SVG writer: stable coordinates, round axis ticks in UTC, marks with titles, series told apart without colour. */
class SvgTest {
    private static final long S = 1_000_000_000L;

    @ParameterizedTest
    @CsvSource({"0, 0", "-0.04, 0", "12.34, 12.3", "12.35, 12.4", "-3.25, -3.2", "-0.26, -0.3", "100, 100", "7.96, 8"})
    void coordinatesHaveAtMostOneDecimalAndNoNegativeZero(double v, String text) {
        assertEquals(text, Svg.f(v));
    }

    @ParameterizedTest
    @CsvSource({"24, 5", "4, 1", "131072, 50000", "0.5, 0.1", "0, 1", "1, 0.2"})
    void stepsAreOneTwoOrFiveTimesAPowerOfTen(double max, double step) {
        assertEquals(step, Svg.niceStep(max, 5), 1e-12);
    }

    @Test
    void timeTicksAreRoundUtcInstantsAndAtMostAboutEight() {
        assertEquals(5 * S, Svg.timeStep(24 * S), "a 24 s capture: every 5 s");
        assertEquals(500_000_000L, Svg.timeStep(2 * S));
        assertEquals(600 * S, Svg.timeStep(3600 * S), "an hour: every 10 minutes");
        assertEquals(86_400 * S, Svg.timeStep(6 * 86_400 * S));
        long t = 1_700_000_000L * S;
        assertEquals("22:13:20", Svg.timeLabel(t, 5 * S, 24 * S));
        assertEquals("22:13:20.000", Svg.timeLabel(t, 500_000_000L, 2 * S), "milliseconds when the ticks need them");
        assertEquals("11-14 22:13", Svg.timeLabel(t, 86_400 * S, 6 * 86_400 * S), "the date when the span is days");
    }

    @Test
    void aTimeAxisLabelsItsTicksAndNamesTheDayInUtc() {
        long from = 1_700_000_003L * S;
        Svg svg = new Svg("t", 200, "test");
        svg.timeAxis(from, from + 24 * S);
        Document d = Pages.parse(svg.end());
        List<String> ticks = Pages.all(d, "//text[@class='tick']").stream().map(e -> e.getTextContent()).toList();
        assertEquals(List.of("22:13:25", "22:13:30", "22:13:35", "22:13:40", "22:13:45"), ticks);
        assertEquals("time, UTC (" + Times.iso(from).substring(0, 10) + ")",
            Pages.one(d, "//text[@class='axis-title']").getTextContent());
    }

    @Test
    void markersCarryTheirTitleEscapedAndEveryStyleDiffersInDashAndShapeAsWellAsColour() {
        Svg svg = new Svg("m", 100, "markers <&>");
        for (Svg.Style s : Svg.STYLES) svg.marker(s, 10, 10, 3, "peak", "", "peak <1> & \"2\"");
        Document d = Pages.parse(svg.end());
        assertEquals(Svg.STYLES.size() + 1, Pages.all(d, "//title").size(), "one title per mark, one for the drawing");
        assertEquals("peak <1> & \"2\"", Pages.all(d, "//*[@class='peak']/title").get(0).getTextContent());
        assertEquals("markers <&>", Pages.one(d, "/svg/title").getTextContent());
        Set<String> dashes = new HashSet<>();
        Set<Svg.Marker> shapes = new HashSet<>();
        Set<String> colours = new HashSet<>();
        for (Svg.Style s : Svg.STYLES) {
            dashes.add(s.dash());
            shapes.add(s.marker());
            colours.add(s.color());
        }
        assertEquals(List.of(4, 4, 4), List.of(dashes.size(), shapes.size(), colours.size()));
        List<Double> lightness = new ArrayList<>();
        for (Svg.Style s : Svg.STYLES) lightness.add(luma(s.color()));
        assertTrue(lightness.get(0) < 0.25 && lightness.get(1) > lightness.get(0) + 0.2,
            "the first two lines differ in grey too: " + lightness);
    }

    private static double luma(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return (0.299 * (rgb >> 16) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff)) / 255;
    }
}
