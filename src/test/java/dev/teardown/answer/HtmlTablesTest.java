package dev.teardown.answer;

import static dev.teardown.answer.Capture.GET;
import static dev.teardown.answer.Capture.OK;
import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.one;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.hostile.PcapBuilder;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.WhatIfRow;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The report's tables: the what-if, port pressure and server endpoints, row for row the figures'. */
class HtmlTablesTest {
    private static Document doc(String html) {
        return parse("<div>" + html + "</div>");
    }

    @Test
    void whatIfRowsAreTheFiguresWithTheObservedRowMarked() {
        Capture c = new Capture();
        for (int i = 0; i < 10; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).serverCloses(6.011 + i);
        List<WhatIfRow> rows = c.run().timeWait().orElseThrow().whatIf();
        Document d = doc(HtmlTables.whatIf(rows));
        List<Element> tr = all(d, "//tbody/tr");
        assertEquals(rows.size(), tr.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).connections(), Long.parseLong(tr.get(i).getAttribute("data-connections")));
            assertEquals(rows.get(i).timeWaitServerPeak(), Long.parseLong(tr.get(i).getAttribute("data-time-wait-server-peak")));
            assertEquals(rows.get(i).observed(), tr.get(i).getAttribute("class").equals("observed"));
        }
        assertEquals("5.000000", one(d, "//tr[@class='observed']").getAttribute("data-idle-timeout-s"));
        assertTrue(doc(HtmlTables.whatIf(List.of())).getDocumentElement().getTextContent().startsWith("No server endpoint"));
    }

    @Test
    void endpointRowsAreTheSummarysBusiestFifteenWithTheirPeaksAndACountOfTheRest() {
        Capture c = new Capture();
        for (int e = 0; e < 20; e++) {
            PcapBuilder.Endpoint server = PcapBuilder.Endpoint.v4(10, 0, 0, 10 + e, 80);
            for (int i = 0; i <= e % 3; i++) {
                c.conn(PcapBuilder.Endpoint.v4(10, 0, 1, e, 40000 + i), server).handshake(1 + i).serverClosesPiggybacked(2 + i);
            }
        }
        Capture.Result r = c.run();
        Document d = doc(HtmlTables.endpoints(r.summary(), r.timeWait()));
        List<Element> tr = all(d, "//tbody/tr");
        assertEquals(HtmlTables.ROWS, tr.size());
        assertEquals(r.summary().endpoints().rows().get(0).endpoint(), tr.get(0).getAttribute("data-endpoint"));
        assertEquals("3", tr.get(0).getAttribute("data-server-time-wait"));
        assertTrue(tr.get(0).getTextContent().contains("3* at 00:00:05"), tr.get(0).getTextContent());
        assertEquals("(5 more server endpoints)", one(d, "//p[@class='note']").getTextContent());
    }

    @Test
    void portPressureRowsNameTheClientTheEndpointAndTheShareOfAnAssumedRange() {
        Capture c = new Capture();
        for (int i = 0; i < 4; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).clientCloses(1.02 + i);
        TimeWaitFigures t = c.run().timeWait().orElseThrow();
        Document d = doc(HtmlTables.ports(t));
        Element row = one(d, "//tbody/tr");
        assertEquals(List.of("10.0.0.1", "10.0.0.2:80", "4"), List.of(row.getAttribute("data-client"),
            row.getAttribute("data-endpoint"), row.getAttribute("data-peak")));
        assertTrue(one(d, "//p[@class='note']").getTextContent().contains("32768-60999 (Linux's default, assumed"));
    }
}
