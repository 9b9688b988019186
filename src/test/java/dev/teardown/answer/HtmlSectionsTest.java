package dev.teardown.answer;

import static dev.teardown.answer.Capture.GET;
import static dev.teardown.answer.Capture.GET_CLOSE;
import static dev.teardown.answer.Capture.OK;
import static dev.teardown.answer.Capture.OK_CLOSE;
import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.attrs;
import static dev.teardown.answer.Pages.one;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.hostile.PcapBuilder;
import dev.teardown.http.CloseReason;
import dev.teardown.timewait.SeriesFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The chart sections: which series, levels and endpoints they draw from the figures. */
class HtmlSectionsTest {
    /** {@code n} keep-alive connections the server closes idle 5 s after the response, one every {@code gap} s. */
    private static Capture idleCloses(int n, double gap) {
        Capture c = new Capture();
        for (int i = 0; i < n; i++) c.conn().handshake(1 + i * gap).exchange(1.01 + i * gap, GET, OK).serverCloses(6.011 + i * gap);
        return c;
    }

    private static Document timeWait(TimeWaitFigures t) {
        return parse("<div>" + HtmlSections.timeWait("", t) + "</div>");
    }

    @Test
    void timeWaitChartDrawsTheFineSeriesWhenCompleteAndTheEndpointsShapeOtherwise() {
        TimeWaitFigures t = idleCloses(12, 10).run().timeWait().orElseThrow(); // 125 s: a shape of 2 s buckets
        int fine = t.series().endpoints().get(0).server().size();
        assertEquals(fine, all(timeWait(t), "//rect[@class='hover']").size(), "one column per 1 s step");
        SeriesFigures.EndpointSeries e = t.series().endpoints().get(0);
        TimeWaitFigures partial = t.withSeries(new SeriesFigures(t.series().closesClient(), t.series().closesServer(),
            t.series().closesBoth(), t.series().resets(),
            List.of(new SeriesFigures.EndpointSeries(e.ip(), e.port(), e.server(), e.client(), false))));
        int shape = t.endpoints().get(0).serverShape().size();
        assertTrue(shape < fine, shape + " < " + fine);
        assertEquals(shape, all(timeWait(partial), "//rect[@class='hover']").size(), "an incomplete series is not drawn");
    }

    @Test
    void theBucketLimitIsDrawnOnlyWhenTheHostReachesHalfOfIt() {
        Capture c = idleCloses(10, 1);
        assertTrue(all(timeWait(c.run().timeWait().orElseThrow()), "//line[@data-level='max-tw-buckets']").isEmpty(),
            "10 of 131,072: far below, not drawn (the y axis would flatten the line)");
        c.options = Capture.withBuckets(c.options, 20);
        Document d = timeWait(c.run().timeWait().orElseThrow());
        assertEquals("20", one(d, "//line[@data-level='max-tw-buckets']").getAttribute("data-value"));
    }

    @Test
    void thePortRangeIsDrawnOnlyWhenTheBusiestClientReachesAQuarterOfIt() {
        Capture c = new Capture();
        for (int i = 0; i < 6; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).clientCloses(1.02 + i);
        assertTrue(all(timeWait(c.run().timeWait().orElseThrow()), "//line[@data-level='port-range']").isEmpty());
        c.options = Capture.withPorts(c.options, 50000, 50019);
        Document d = timeWait(c.run().timeWait().orElseThrow());
        assertEquals("20", one(d, "//line[@data-level='port-range']").getAttribute("data-value"), "6 of 20 ports");
    }

    @Test
    void steadyStateLevelsAreDrawnOnlyForACaptureShorterThanOneTimeWait() {
        Document short_ = timeWait(idleCloses(12, 1).run().timeWait().orElseThrow());
        assertEquals(List.of("steady-server"), attrs(short_, "//line[@class='level']", "data-level"));
        Document long_ = timeWait(idleCloses(12, 10).run().timeWait().orElseThrow());
        assertTrue(all(long_, "//line[@class='level']").isEmpty(), "the capture shows the population settled");
    }

    @Test
    void closeReasonsPutTheClientsIntentBeforeTheServersDecisionsAndTheRest() {
        Capture c = idleCloses(2, 1);
        c.conn().handshake(5).exchange(5.01, GET_CLOSE, OK_CLOSE).serverCloses(5.02);
        c.conn().handshake(6).exchange(6.01, GET, OK).clientCloses(6.02);
        c.conn().handshake(7).clientCloses(7.5);
        Capture.Result r = c.run();
        Document d = parse(HtmlSections.closeReasons("", r.summary()));
        assertEquals(List.of("client-requested-close", "client-close", "server-idle-timeout", "no-exchange"),
            attrs(d, "//rect[@class='bar']", "data-key"));
        assertTrue(one(d, "//rect[@data-key='client-requested-close']/title").getTextContent()
            .endsWith("1 of them left TIME_WAIT on the server"));
        assertTrue(HtmlSections.CLIENT_INTENT.contains(CloseReason.HTTP10_CLOSE), "HTTP/1.0 without keep-alive: asked");
        assertTrue(HtmlSections.CLIENT_INTENT.contains(CloseReason.CLIENT_CLOSE_NOTIFY), "TLS: the client said goodbye");
        assertFalse(HtmlSections.SERVER_DECISION.contains(CloseReason.SERVER_CLOSE_ENCRYPTED),
            "why the server closed is in the encrypted headers: not known");
    }

    @Test
    void idleAndRequestChartsAreDrawnForHttpEndpointsOnlyAtMostFour() {
        Capture c = new Capture();
        for (int e = 0; e < 6; e++) {
            PcapBuilder.Endpoint server = PcapBuilder.Endpoint.v4(10, 0, 0, 10 + e, 80);
            c.conn(PcapBuilder.Endpoint.v4(10, 0, 1, e, 40000), server).handshake(1 + e).exchange(1.01 + e, GET, OK)
                .serverCloses(3.011 + e);
        }
        c.conn(PcapBuilder.Endpoint.v4(10, 0, 2, 1, 40000), PcapBuilder.Endpoint.v4(10, 0, 0, 99, 22)).handshake(1)
            .clientCloses(2);
        Capture.Result r = c.run();
        Document idle = parse("<div>" + HtmlSections.idle("", r.summary()) + "</div>");
        assertEquals(HtmlSections.CHARTED, all(idle, "//figure[@data-chart='idle']").size());
        assertTrue(attrs(idle, "//figure", "data-endpoint").stream().noneMatch(e -> e.endsWith(":22")));
        Document requests = parse("<div>" + HtmlSections.requests("", r.summary()) + "</div>");
        assertEquals(HtmlSections.CHARTED, all(requests, "//figure[@data-chart='requests']").size());
        assertEquals("1", one(requests, "(//figure)[1]//rect[@class='bar']").getAttribute("data-count"));
    }

    @Test
    void closesChartSumsEveryEndpointsClosesByWhoClosedFirst() {
        Capture c = idleCloses(3, 1);
        c.conn().handshake(5).exchange(5.01, GET, OK).clientCloses(5.02);
        Document d = parse(HtmlSections.closes("", c.run().timeWait().orElseThrow()));
        assertEquals(List.of("3", "1", "0"), List.of(one(d, "/figure").getAttribute("data-closes-server"),
            one(d, "/figure").getAttribute("data-closes-client"), one(d, "/figure").getAttribute("data-closes-rst")));
        assertEquals(4, all(d, "//path[@class='series']").size());
    }
}
