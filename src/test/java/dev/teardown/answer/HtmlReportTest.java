package dev.teardown.answer;

import static dev.teardown.answer.Capture.GET;
import static dev.teardown.answer.Capture.OK;
import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.attrs;
import static dev.teardown.answer.Pages.number;
import static dev.teardown.answer.Pages.one;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.hostile.PcapBuilder;
import dev.teardown.http.CloseReason;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The HTML report as a page: well formed, self-contained (no script, nothing to load, a Content-Security-Policy),
 * its sections in reading order, its numbers the figures', escaped where the capture or the command line speaks,
 * the same bytes for the same capture, and small for a long, busy one.
 */
class HtmlReportTest {
    private static final Capture.Result REAL = Capture.run(HtmlReportBrowserTest.REAL, Capture.options());

    @TempDir
    Path dir;

    @Test
    void pageIsWellFormedSelfContainedAndHasTheSectionsInReadingOrder() {
        String page = REAL.page("teardown: real samples");
        Document d = parse(page);
        assertEquals(HtmlReport.SECTIONS, attrs(d, "//section", "data-section"));
        assertEquals(HtmlReport.SECTIONS, attrs(d, "//section", "id"), "ids to link to, the section names");
        assertEquals(HtmlReport.CSP, one(d, "//meta[@http-equiv='Content-Security-Policy']").getAttribute("content"));
        assertEquals("data:,", one(d, "//link[@rel='icon']").getAttribute("href"), "an icon of its own: no favicon.ico");
        assertTrue(all(d, "//script | //iframe | //object | //embed | //img | //link[@rel='stylesheet']").isEmpty());
        for (Element e : all(d, "//*")) {
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                String name = e.getAttributes().item(i).getNodeName();
                assertFalse(name.startsWith("on"), "no event handler: " + name);
            }
            String href = e.getAttribute("href");
            assertTrue(href.isEmpty() || href.startsWith("#") || href.equals("data:,"), "nothing to load: " + href);
            assertTrue(e.getAttribute("src").isEmpty());
        }
        for (String fill : attrs(d, "//*[starts-with(@fill, 'url(')]", "fill")) {
            assertTrue(fill.startsWith("url(#"), "patterns are the page's own: " + fill);
        }
    }

    @Test
    void theSameCaptureGivesTheSameBytes() {
        assertEquals(REAL.page("t"), Capture.run(HtmlReportBrowserTest.REAL, Capture.options()).page("t"));
    }

    @Test
    void numbersOnThePageAreTheFiguresOfTheModel() {
        Document d = parse(REAL.page("t"));
        SummaryFigures s = REAL.summary();
        TimeWaitFigures t = REAL.timeWait().orElseThrow();
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            String row = "//table[@data-table='endpoints']//tr[@data-endpoint='" + e.endpoint() + "']";
            assertEquals(e.connections(), number(d, row, "data-connections"));
            assertEquals(e.serverTimeWait(), number(d, row, "data-server-time-wait"));
            assertEquals(e.clientTimeWait(), number(d, row, "data-client-time-wait"));
        }
        for (TimeWaitFigures.EndpointRow e : t.endpoints()) {
            String figure = "//figure[@data-chart='time-wait'][@data-endpoint='" + Findings.endpoint(e.ip(), e.port()) + "']";
            assertEquals(e.server().value(), number(d, figure, "data-server-peak"));
            assertEquals(e.client().value(), number(d, figure, "data-client-peak"));
            assertEquals(e.server().value(), number(d, figure + "//*[@class='peak'][@data-series='server']", "data-value"));
        }
        assertEquals(REAL.findings().stream().map(Finding::id).toList(), attrs(d, "//li[@data-finding]", "data-finding"));
        for (Map.Entry<CloseReason, Long> r : s.closeReasons().entrySet()) {
            assertEquals(r.getValue(), number(d, "//section[@id='close-reasons']//rect[@data-key='" + r.getKey().label()
                + "']", "data-count"));
        }
        assertEquals(REAL.totals().packets(), number(d, "//dl[@class='facts']", "data-packets"));
        assertEquals(t.whatIf().size(), all(d, "//table[@data-table='what-if']/tbody/tr").size());
        assertEquals(s.connections(), number(d, "//p[@class='headline']", "data-connections"));
    }

    @Test
    void hostileHeadersAndAFileNamedLikeMarkupReachThePageAsText() throws Exception {
        Path copy = dir.resolve("<script>alert(1)<!--&\"'\u001b[2J.pcap");
        Files.copy(Path.of("samples/crafted/hostile-headers.pcap"), copy);
        String title = "teardown: " + copy;
        String page = Capture.run(List.of(copy), Capture.options()).page(title);
        assertFalse(page.contains("<script") || page.contains("<!--"), "no tag or comment from the name");
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;!--&amp;&quot;&#39;\\x1b[2J.pcap"), page);
        for (char c : page.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' || c >= 0x7f && c < 0xa0, "raw control " + (int) c);
        }
        Document d = parse(page);
        assertEquals(title.replace("\u001b", "\\x1b"), one(d, "//h1").getTextContent());
        assertTrue(all(d, "//script").isEmpty());
        assertEquals(1, all(d, "//table[@data-table='endpoints']/tbody/tr").size(), "the sample's one connection");
    }

    @Test
    void aCaptureWithoutConnectionsSaysSoInEverySection() {
        Capture.Result none = new Capture().run();
        Document d = parse(none.page("empty"));
        assertEquals(HtmlReport.SECTIONS, attrs(d, "//section", "data-section"));
        assertEquals("No TCP connection in this capture.", one(d, "//p[@class='headline']").getTextContent());
        assertTrue(all(d, "//svg").isEmpty(), "nothing to draw");
        assertEquals(HtmlReport.SECTIONS.size() - 1, all(d, "//section/p[@class='empty'] | //section/dl").size(),
            "every section after the headline says it has nothing, or (the capture) what it read");
    }

    @Test
    void laterRunsOfOnePageCarryTheirNumberInEveryId() {
        String first = HtmlReport.article(1, "a", REAL.summary(), REAL.totals(), REAL.timeWait(), REAL.findings(), 60);
        String second = HtmlReport.article(2, "b", REAL.summary(), REAL.totals(), REAL.timeWait(), REAL.findings(), 60);
        Document d = parse(HtmlReport.page("two", List.of(first, second)));
        List<String> ids = attrs(d, "//*[@id]", "id");
        assertEquals(List.of(), ids.stream().filter(i -> ids.indexOf(i) != ids.lastIndexOf(i)).toList(),
            "ids unique in the page");
        assertEquals(2, all(d, "//article").size());
        assertTrue(ids.contains("time-wait-2") && ids.contains("r2-chart-tw-0"), ids.toString());
        assertEquals("#time-wait-2", one(d, "//article[@data-run='2']//nav//a[.='TIME_WAIT over time']").getAttribute("href"));
    }

    @Test
    void aLongBusyCaptureGivesASmallPage() {
        // 120 server endpoints, 30 connections each, over two hours: every chart and table is bounded.
        Capture c = new Capture();
        for (int e = 0; e < 120; e++) {
            PcapBuilder.Endpoint server = PcapBuilder.Endpoint.v4(10, 0, 1, e, 80);
            for (int i = 0; i < 30; i++) {
                double t = 1 + i * 240 + e;
                c.conn(PcapBuilder.Endpoint.v4(10, 9, e, i, 40000 + i), server).handshake(t).exchange(t + 0.01, GET, OK)
                    .serverCloses(t + 2.011);
            }
        }
        String page = c.run().page("busy");
        assertTrue(page.length() < 400_000, "page of " + page.length() + " characters");
        Document d = parse(page);
        assertEquals(HtmlSections.CHARTED, all(d, "//figure[@data-chart='time-wait']").size());
        assertEquals(HtmlTables.ROWS, all(d, "//table[@data-table='endpoints']/tbody/tr").size());
        for (Element path : all(d, "//figure[@data-chart='time-wait']//path[@class='series']")) {
            assertTrue(path.getAttribute("d").split("H").length <= 2 * 256 + 2, "at most 256 steps a line");
        }
    }

    @Test
    void withoutTheTimeWaitStageItsSectionsSaySoAndTheRestIsDrawn() {
        String article = HtmlReport.article(1, "t", REAL.summary(), REAL.totals(), Optional.empty(),
            Findings.of(REAL.summary(), Optional.empty()), 60);
        Document d = parse(HtmlReport.page("t", List.of(article)));
        assertEquals("Not computed in this run.", one(d, "//section[@id='closes']/p").getTextContent());
        assertFalse(all(d, "//section[@id='requests']//rect[@class='bar']").isEmpty());
    }

    @Test
    void tenIdleClosesGiveAHeadlineWithWhoHoldsWhyThePeakAndTheLever() {
        Capture c = new Capture();
        for (int i = 0; i < 10; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).serverCloses(6.011 + i);
        Capture.Result r = c.run();
        String headline = one(parse(r.page("t")), "//p[@class='headline']").getTextContent();
        assertTrue(headline.startsWith("Servers hold 100.0% of the TIME_WAIT (10 of 10 closes leaving TIME_WAIT); the"
            + " busiest endpoint, 10.0.0.2:80, held 10 in TIME_WAIT on its server side at 00:00:16 UTC"), headline);
        assertTrue(headline.contains("100.0% of the server-held TIME_WAIT follows the server closing idle keep-alive"
            + " connections."), headline);
        assertTrue(headline.contains("Lever: " + r.findings().get(0).lever()), headline);
    }
}
