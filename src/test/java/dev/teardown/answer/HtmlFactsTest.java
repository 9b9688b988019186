package dev.teardown.answer;

import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.one;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.report.CaptureTotals;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The capture's facts: what was read, counts by name, settings assumed, and every warning. */
class HtmlFactsTest {
    private static final long S = 1_000_000_000L;

    private static Document facts(CaptureTotals totals) {
        Capture.Result r = new Capture().run();
        return parse("<div>" + HtmlFacts.capture("teardown: a.pcap", r.summary(), totals, r.timeWait(), 60) + "</div>");
    }

    @Test
    void warnsThatTimeWaitBegunBeforeTheCaptureIsNotVisibleUntilOneTimeWaitAfterItsStart() {
        Document d = facts(new CaptureTotals(3, 3, Map.of(), Map.of(), List.of(), 1, 10 * S, 20 * S));
        assertEquals("TIME_WAIT that began before the capture is not visible: figures before 1970-01-01T00:01:10.000000Z"
            + " (one TIME_WAIT after the start) may be low; peaks there are marked *.",
            one(d, "//li[@data-warning='time-wait-before-capture']").getTextContent());
        Document none = facts(new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, PacketTime.UNSET, PacketTime.UNSET));
        assertTrue(all(none, "//li[@data-warning='time-wait-before-capture']").isEmpty(), "no packet, nothing to miss");
        assertEquals("none", one(none, "//ul[@class='warnings']/li").getTextContent());
    }

    @Test
    void notesAreFactsNotWarnings() {
        Document d = facts(new CaptureTotals(3, 3, Map.of(), Map.of(), List.of(), 1, 10 * S, 20 * S)
            .withNote(new CaptureTotals.Note("libpcap", "6 received, 0 dropped, 0 dropped by the interface")));
        assertEquals("6 received, 0 dropped, 0 dropped by the interface",
            one(d, "//dt[.='libpcap']/following-sibling::dd[1]").getTextContent());
        assertTrue(all(d, "//li[@data-warning='capture']").isEmpty());
    }

    @Test
    void everyCaptureWarningIsListedAsText() {
        Document d = facts(new CaptureTotals(3, 3, Map.of(), Map.of(), List.of("a <b>warning</b>", "x.pcap\u001b: truncated"),
            1, 10 * S, 20 * S));
        assertEquals(List.of("a <b>warning</b>", "x.pcap\\x1b: truncated"), all(d, "//li[@data-warning='capture']").stream()
            .map(e -> e.getTextContent()).toList());
    }

    @Test
    void skippedAndMalformedPacketsAreCountedByName() {
        Document d = facts(new CaptureTotals(1005, 1000, Map.of("not ip", 4L), Map.of("BAD_TCP_DATA_OFFSET", 1L),
            List.of(), 1, 0, S));
        assertEquals("1005", one(d, "//dl").getAttribute("data-packets"));
        List<String> dd = all(d, "//dd").stream().map(e -> e.getTextContent()).toList();
        assertTrue(dd.contains("1,005 read, 1,000 TCP"), dd.toString());
        assertTrue(dd.contains("not ip 4") && dd.contains("BAD_TCP_DATA_OFFSET 1"), dd.toString());
        assertTrue(dd.stream().anyMatch(s -> s.startsWith("tcp_max_tw_buckets 131,072 (assumed")), dd.toString());
        assertTrue(Optional.of(dd).get().contains("60 s (--time-wait)"));
    }

    @Test
    void tunnelledPacketsAreAFactOnlyWhenThereAreAny() {
        Document d = facts(new CaptureTotals(10, 10, Map.of(), Map.of(), List.of(), 1, 0, S, Map.of("vxlan", 10L)));
        List<String> dd = all(d, "//dd").stream().map(e -> e.getTextContent()).toList();
        assertTrue(dd.contains("vxlan 10"), dd.toString());
        List<String> dt = all(facts(new CaptureTotals(1, 1, Map.of(), Map.of(), List.of(), 1, 0, S)), "//dt").stream()
            .map(e -> e.getTextContent()).toList();
        assertTrue(!dt.contains("tunnelled"), dt.toString());
    }
}
