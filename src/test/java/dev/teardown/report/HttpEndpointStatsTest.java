package dev.teardown.report;

import static dev.teardown.report.Records.S;
import static dev.teardown.report.Records.idleClose;
import static dev.teardown.report.Records.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The HTTP figures of one server endpoint: exact for small counts, bounded for any count, mergeable. */
class HttpEndpointStatsTest {

    private static HttpFigures figures(HttpEndpointStats h) {
        return h.figures().orElseThrow();
    }

    private static HttpFigures.IdleCloses idle(HttpEndpointStats h) {
        return figures(h).idleCloses().orElseThrow();
    }

    private static HttpEndpointStats of(List<FlowRecord> records) {
        HttpEndpointStats h = new HttpEndpointStats();
        records.forEach(h::add);
        return h;
    }

    /** {@code requests} requests, then a close for {@code reason}, the server advertising {@code timeout} (or -1). */
    private static HttpOutcome exchange(long requests, CloseReason reason, long idleNanos, int timeout) {
        return new HttpOutcome(requests, requests, "1.1", "", "", "", true, idleNanos, reason, timeout, -1, 0, 200, 0,
            Set.of());
    }

    @Test
    void idlePercentilesAreExactUpToTheSampleSize() {
        List<Long> idle = new ArrayList<>();
        for (long i = 1; i <= HttpEndpointStats.IDLE_SAMPLES; i++) idle.add(i * S);
        Collections.shuffle(idle, new Random(1));
        HttpEndpointStats h = new HttpEndpointStats();
        for (long v : idle) h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(v, 5)));
        // Nearest rank on 1 .. 1,024 s: p50 is the 513th, p10 the 103rd, p90 the 922nd.
        HttpFigures f = figures(h);
        assertEquals(new HttpFigures(1024, 1.0, 1, 1, 1, OptionalInt.of(5),
            java.util.Optional.of(new HttpFigures.IdleCloses(1024, 1024, 103 * S, 513 * S, 922 * S)), 1024,
            Map.of(CloseReason.SERVER_IDLE_TIMEOUT, 1024L)), new HttpFigures(f.connections(), f.meanRequests(),
            f.p50Requests(), f.p90Requests(), f.maxRequests(), f.advertisedKeepAliveTimeout(), f.idleCloses(),
            f.serverTimeWait(), f.serverTimeWaitByReason()));
    }

    /** {@code requests} requests on a connection the client closed, with no idle time known. */
    private static FlowRecord requests(long requests) {
        return to("192.0.2.1", 80, Sides.CLIENT, exchange(requests, CloseReason.CLIENT_CLOSE, PacketTime.UNSET, -1));
    }

    @Test
    void requestsHistogramHasABinPerCountUpToTenThenOneTwoFivePerDecadeEndingAtTheMost() {
        HttpEndpointStats h = of(List.of(requests(1), requests(2), requests(10), requests(11), requests(20),
            requests(21), requests(150), requests(0)));
        List<HttpFigures.RequestsBin> bins = figures(h).requestsHistogram();
        assertEquals(14, bins.size(), bins.toString());
        assertEquals(new HttpFigures.RequestsBin(1, 1, 1), bins.get(0));
        assertEquals(new HttpFigures.RequestsBin(3, 3, 0), bins.get(2), "an empty count keeps its place");
        assertEquals(new HttpFigures.RequestsBin(10, 10, 1), bins.get(9));
        assertEquals(new HttpFigures.RequestsBin(11, 20, 2), bins.get(10));
        assertEquals(new HttpFigures.RequestsBin(21, 50, 1), bins.get(11));
        assertEquals(new HttpFigures.RequestsBin(51, 100, 0), bins.get(12));
        assertEquals(new HttpFigures.RequestsBin(101, 150, 1), bins.get(13), "the last bin ends at the most seen");
        assertEquals(7, bins.stream().mapToLong(HttpFigures.RequestsBin::connections).sum(), "HTTP connections only");
    }

    @Test
    void requestCountsBelowAndAboveTheUnboxedRangeAddUpAndConnectionsAddedAfterAReadStillCount() {
        HttpEndpointStats h = of(List.of(requests(127), requests(128), requests(1)));
        assertEquals(128, figures(h).maxRequests());
        h.add(requests(127));
        h.add(requests(2));
        HttpFigures f = figures(h);
        assertEquals(5, f.connections());
        assertEquals((127 + 128 + 1 + 127 + 2) / 5.0, f.meanRequests(), 1e-9);
        assertEquals(127, f.p50Requests(), "1, 2, 127, 127, 128: the third");
        assertEquals(new HttpFigures.RequestsBin(101, 128, 3), f.requestsHistogram().get(f.requestsHistogram().size() - 1));
    }

    @Test
    void idleHistogramCountsEveryIdleTimeByWhoClosedFirst() {
        List<FlowRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) records.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(2_100_000_000L, -1)));
        records.add(to("192.0.2.1", 80, Sides.CLIENT, exchange(1, CloseReason.CLIENT_CLOSE, 300_000L, -1)));
        records.add(to("192.0.2.1", 80, Sides.CLIENT, exchange(1, CloseReason.CLIENT_CLOSE, 2_200_000_000L, -1)));
        records.add(to("192.0.2.1", 80, Sides.CLIENT, exchange(1, CloseReason.CLIENT_CLOSE, PacketTime.UNSET, -1)));
        records.add(to("192.0.2.1", 80, Sides.SERVER, exchange(0, CloseReason.NO_EXCHANGE, 5 * S, -1)));
        List<HttpFigures.IdleBin> bins = figures(of(records)).idleHistogram();
        assertEquals(new HttpFigures.IdleBin(0, 1_000_000L, 0, 1), bins.get(0), "0.3 ms, the client first");
        assertEquals(new HttpFigures.IdleBin(2 * S, 2_500_000_000L, 3, 1), bins.get(bins.size() - 1),
            "2.1 s by the server three times, 2.2 s by the client once: the last bin with a connection");
        assertEquals(5, bins.stream().mapToLong(b -> b.serverClosed() + b.clientClosed()).sum(),
            "no idle time, or no request: not counted");
        assertEquals(IdleBins.of(2 * S) + 1, bins.size(), "every bin in between, empty ones too");
    }

    @Test
    void aMillionIdleClosesKeepABoundedSampleAndCountThemAll() {
        HttpEndpointStats h = new HttpEndpointStats();
        // Idle times 0.000 .. 9.999 s in a scrambled order, each value 100 times.
        for (long i = 0; i < 1_000_000; i++) {
            long ms = (i * 7919) % 10_000;
            h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(ms * 1_000_000L, 5)));
        }
        assertEquals(HttpEndpointStats.IDLE_SAMPLES, h.idleSamples(), "idle samples held");
        HttpFigures.IdleCloses idle = idle(h);
        assertEquals(List.of(1_000_000L, (long) HttpEndpointStats.IDLE_SAMPLES), List.of(idle.count(), (long) idle.sampled()));
        // A uniform sample of 1,024: the median of 0 .. 10 s within a few percent of 5 s.
        assertTrue(idle.medianNanos() >= 4.5 * S && idle.medianNanos() <= 5.5 * S, idle.toString());
    }

    @Test
    void distinctAdvertisedTimeoutsAreBoundedAndTheMostCommonStillFound() {
        HttpEndpointStats h = new HttpEndpointStats();
        for (int i = 0; i < 100_000; i++) {
            int timeout = i % 3 == 0 ? 75 : 1000 + i;
            h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(S, timeout)));
        }
        assertTrue(h.advertisedTimeoutValues() <= HttpEndpointStats.TIMEOUT_VALUES, "timeout values held");
        assertEquals(OptionalInt.of(75), figures(h).advertisedKeepAliveTimeout());
    }

    @Test
    void httpsConnectionsCountTheirExchangesAsRequestsAndAreCountedApart() {
        HttpEndpointStats h = of(List.of(to("192.0.2.1", 443, Sides.SERVER, Records.tls(3, CloseReason.SERVER_IDLE_TIMEOUT,
            2 * S)), to("192.0.2.1", 443, Sides.CLIENT, Records.tls(0, CloseReason.NO_EXCHANGE, 0)),
            to("192.0.2.1", 443, Sides.CLIENT, exchange(1, CloseReason.CLIENT_CLOSE, S, -1))));
        HttpFigures f = figures(h);
        assertEquals(2, f.connections(), "a TLS connection without an exchange carried no request");
        assertEquals(1, f.tlsConnections());
        assertEquals(3, f.maxRequests());
        assertEquals(2.0, f.meanRequests());
        assertEquals(1, f.idleCloses().orElseThrow().count(), "its idle close counts like an HTTP one");
    }

    @Test
    void anEndpointWithoutHttpConnectionsHasNoFigures() {
        HttpEndpointStats h = of(List.of(to("192.0.2.1", 80, Sides.SERVER, Records.NO_HTTP)));
        assertTrue(h.figures().isEmpty());
    }

    /**
     * Connections of every kind the figures count: varied requests, reasons, holders, idle times and timeouts; every
     * fourth over TLS, its requests exchanges.
     */
    private static List<FlowRecord> mixed(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        CloseReason[] reasons = CloseReason.values();
        Sides[] holders = Sides.values();
        List<FlowRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CloseReason reason = r.nextInt(3) == 0 ? CloseReason.SERVER_IDLE_TIMEOUT : reasons[r.nextInt(reasons.length)];
            int timeout = r.nextInt(4) == 0 ? -1 : 1 + r.nextInt(HttpEndpointStats.TIMEOUT_VALUES);
            int requests = r.nextInt(6);
            long idle = r.nextLong(30 * S);
            out.add(to("192.0.2.1", 80, holders[r.nextInt(holders.length)],
                i % 4 == 3 ? Records.tls(requests, reason, idle) : exchange(requests, reason, idle, timeout)));
        }
        return out;
    }

    @Test
    void twoPartsMergedBelowTheBoundsHaveTheFiguresOfTheWholeAtEverySplit() {
        List<FlowRecord> records = mixed(1200, 8);
        HttpFigures whole = figures(of(records));
        assertTrue(whole.idleCloses().orElseThrow().count() <= HttpEndpointStats.IDLE_SAMPLES, whole.toString());
        for (int split = 0; split <= records.size(); split++) {
            HttpEndpointStats merged = of(records.subList(0, split));
            merged.merge(of(records.subList(split, records.size())));
            assertEquals(whole, figures(merged), "split at " + split);
        }
    }

    @Test
    void mergedIdleSamplesAreWeightedByTheClosesOfEachPart() {
        // 70% of the closes idle under 1 s, 30% over 9 s: a sample drawn half from each part would put
        // the median over 9 s.
        HttpEndpointStats fast = new HttpEndpointStats();
        for (long i = 0; i < 700_000; i++) fast.add(to("192.0.2.1", 80, Sides.SERVER, idleClose((i * 7919) % S, 5)));
        HttpEndpointStats slow = new HttpEndpointStats();
        for (long i = 0; i < 300_000; i++) slow.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(9 * S + (i * 7919) % S, 5)));
        fast.merge(slow);
        HttpFigures.IdleCloses idle = idle(fast);
        assertEquals(List.of(1_000_000L, (long) HttpEndpointStats.IDLE_SAMPLES), List.of(idle.count(), (long) idle.sampled()));
        assertTrue(idle.p10Nanos() < S && idle.medianNanos() < S && idle.p90Nanos() >= 9 * S, idle.toString());
        // Algorithm R goes on after the merge: the sample stays its size and keeps taking new closes.
        for (long i = 0; i < 2_000_000; i++) fast.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(20 * S, 5)));
        assertEquals(HttpEndpointStats.IDLE_SAMPLES, fast.idleSamples());
        assertEquals(20 * S, idle(fast).medianNanos(), "two thirds of all closes now idle 20 s");
    }

    @Test
    void closesAddedAfterAMergeBelowTheSampleSizeAreKeptUntilItIsFullThenSampled() {
        HttpEndpointStats merged = new HttpEndpointStats();
        HttpEndpointStats other = new HttpEndpointStats();
        for (long i = 1; i <= 300; i++) {
            merged.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(i * S, 5)));
            other.add(to("192.0.2.1", 80, Sides.SERVER, idleClose((300 + i) * S, 5)));
        }
        merged.merge(other);
        for (long i = 601; i <= HttpEndpointStats.IDLE_SAMPLES; i++) {
            merged.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(i * S, 5)));
        }
        assertEquals(new HttpFigures.IdleCloses(1024, 1024, 103 * S, 513 * S, 922 * S), idle(merged));
        for (int i = 0; i < 10_000; i++) merged.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(S, 5)));
        assertEquals(HttpEndpointStats.IDLE_SAMPLES, merged.idleSamples());
        assertEquals(11_024, idle(merged).count());
    }

    @Test
    void aMergeIsDeterministicAndLeavesTheOtherPartAsItWas() {
        List<FlowRecord> a = mixed(5000, 9);
        List<FlowRecord> b = mixed(5000, 10);
        HttpEndpointStats other = of(b);
        HttpFigures before = figures(other);
        HttpEndpointStats once = of(a);
        once.merge(other);
        HttpEndpointStats again = of(a);
        again.merge(other);
        assertEquals(figures(once), figures(again));
        assertEquals(before, figures(other));
        assertTrue(figures(once).idleCloses().orElseThrow().sampled() == HttpEndpointStats.IDLE_SAMPLES);
        assertThrows(IllegalArgumentException.class, () -> once.merge(once));
    }
}
