package dev.teardown.timewait;

import static dev.teardown.timewait.Script.ACK;
import static dev.teardown.timewait.Script.GET_CLOSE;
import static dev.teardown.timewait.Script.RST;
import static dev.teardown.timewait.Script.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.http.CloseReason;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.FlowRecord;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The idle-timeout what-if's rules on captures built packet by packet (each connection's script is in its test)
 * and run through the real pipeline. Clients 10.0.1.N, server 10.0.0.2:80; a connection to port 81 at the end
 * only keeps the capture going.
 */
class IdleWhatIfTest {
    private static final AnalyzeOptions OPTIONS = new AnalyzeOptions(60 * S, 3600 * S);

    private static TimeWaitOptions options(Double... extra) {
        return new TimeWaitOptions(60 * S, 3600 * S, S, TimeWaitOptions.DEFAULT_MAX_TW_BUCKETS,
            TimeWaitOptions.DEFAULT_PORT_LOW, TimeWaitOptions.DEFAULT_PORT_HIGH, List.of(extra), false, false);
    }

    private record Run(List<WhatIfRow> rows, Script.Result result, IdleWhatIf whatIf) {
        WhatIfRow at(double seconds) {
            return rows.stream().filter(r -> !r.observed() && r.idleTimeoutNanos() == Math.round(seconds * 1e9))
                .findFirst().orElseThrow();
        }

        WhatIfRow observed() {
            return rows.stream().filter(WhatIfRow::observed).findFirst().orElseThrow();
        }
    }

    private static Run run(Script s, Double... extra) {
        IdleWhatIf w = new IdleWhatIf(options(extra));
        Script.Result r = Script.run(s.pcap(), OPTIONS, S, w);
        return new Run(w.rows(), r, w);
    }

    /** Keeps the capture going until {@code sec} on another endpoint (no idle closes, no rows). */
    private static void endAt(Script s, double sec) {
        s.conn(Script.SERVER.port(81)).handshake(sec);
    }

    /**
     * Client 1: a connection with one exchange ending at 1.001, closed idle by the server at 6.001 (its TIME_WAIT
     * from 6.004); a second connection at 12 (10.999 s after that last activity), exchange ending at 13.001, closed
     * idle at 18.001 (TIME_WAIT from 18.004).
     */
    private static Script twoIdleClosedVisits(double end) {
        Script s = new Script();
        s.from(1).handshake(0).exchange(1).serverCloses(6.001);
        s.from(1).handshake(12).exchange(13).serverCloses(18.001);
        endAt(s, end);
        return s;
    }

    @Test
    void anEndpointWithAConnectionStillOpenIsNotForgottenSoItsStartStillCounts() {
        // One keep-alive connection open from 0 to 200.001 (idle for 199 s, then closed by the server), nothing
        // else on the endpoint. Its start is handled a lag (145 s) after 0, while it is still open; the endpoint,
        // with no idle close yet, must not be forgotten then, or the start is lost when the close comes.
        Script s = new Script();
        s.from(1).handshake(0).exchange(1).serverCloses(200.001);
        s.conn(Script.SERVER.port(81)).handshake(150);
        endAt(s, 400);
        Run r = run(s);
        assertEquals(1, r.observed().connections(), r.observed().toString());
        for (WhatIfRow row : r.rows()) assertEquals(1, row.connections(), row.toString());
    }

    @Test
    void anEndpointForgottenThenSeenAgainIsCountedAfreshAndItsRowsAreGiven() {
        // A connection the client closes (no idle close), then nothing on the endpoint for minutes: once its
        // TIME_WAIT and the lag are past, the endpoint holds nothing and is forgotten. A later connection the
        // server closes for idleness must count on the endpoint as it is found again, not on the one forgotten.
        Script s = new Script();
        s.from(1).handshake(0).exchange(1).clientCloses(2);
        s.from(2).handshake(400).exchange(401).serverCloses(420.001);
        endAt(s, 700);
        Run r = run(s);
        assertEquals(1, r.observed().connections(), r.observed().toString());
        assertEquals(1, r.observed().closes(), r.observed().toString());
        for (WhatIfRow row : r.rows()) assertEquals(1, row.connections(), row.toString());
    }

    @Test
    void aClientWhoseNextConnectionBeginsWithinTheTimeoutReusesItsIdleOneNoNewConnectionNoClose() {
        Run r = run(twoIdleClosedVisits(190), 5.0, 10.0);
        assertEquals(CloseReason.SERVER_IDLE_TIMEOUT, r.result().records().get(0).http().closeReason());
        // 15 s > 10.999 s: the second visit reuses the first connection.
        assertEquals(List.of(1L, 1L, 1L), List.of(r.at(15).connections(), r.at(15).closes(), r.at(15).timeWaitServerPeak()));
        assertEquals(List.of(1L, 1L), List.of(r.at(75).connections(), r.at(75).closes()));
        // 10 s and 5 s < 10.999 s: two connections, two closes, their TIME_WAITs overlap.
        assertEquals(List.of(2L, 2L, 2L), List.of(r.at(10).connections(), r.at(10).closes(), r.at(10).timeWaitServerPeak()));
        assertEquals(List.of(2L, 2L, 2L), List.of(r.at(5).connections(), r.at(5).closes(), r.at(5).timeWaitServerPeak()));
    }

    @Test
    void anIdleConnectionNotReusedIsClosedAtItsLastActivityPlusTheTimeoutAndHoldsTimeWaitFromThen() {
        // The capture ends at 100.002: instants 0..101, 102 of them. The kept connection's last activity is 13.001
        // and its client's FIN came 3 ms after the server's, so with T its server TIME_WAIT runs from 13.004 + T.
        Run r = run(twoIdleClosedVisits(100), 42.5, 90.0);
        long instants = 102;
        // T 15: from 28.004, instants 29..88; T 42.5: from 55.504, 56..101; T 60: 74..101; T 75: 89..101.
        assertEquals(60, Math.round(r.at(15).timeWaitServerMean() * instants));
        assertEquals(46, Math.round(r.at(42.5).timeWaitServerMean() * instants));
        assertEquals(28, Math.round(r.at(60).timeWaitServerMean() * instants));
        assertEquals(13, Math.round(r.at(75).timeWaitServerMean() * instants));
        // T 90: the close would come at 103.001, after the capture: no close, no TIME_WAIT in it.
        assertEquals(List.of(1L, 0L, 0L), List.of(r.at(90).connections(), r.at(90).closes(), r.at(90).timeWaitServerPeak()));
    }

    @Test
    void connectionsClosedForOtherReasonsStayAsTheyWereInEveryRow() {
        Script s = twoIdleClosedVisits(190);
        s.from(2).handshake(2).exchange(3, GET_CLOSE).serverCloses(3.5); // client-requested-close: server TIME_WAIT
        s.from(3).handshake(4).exchange(5).clientCloses(6);                // client-close: client TIME_WAIT
        s.from(4).handshake(7).exchange(8).c(9, RST | ACK, 0);             // client-abort: no TIME_WAIT
        Run r = run(s);
        for (WhatIfRow row : r.rows()) {
            assertEquals(1, row.leftPeak(), row.toString());
            // Client 1's two idle closes overlap as they were; with 15 s or more only one is left.
            assertEquals(row.observed() ? 2 : 1, row.clientPeak(), row.toString());
        }
        // The idle pair as in the first test, plus the three others (their connections and closes).
        assertEquals(List.of(4L, 4L, 2L), List.of(r.at(15).connections(), r.at(15).closes(), r.at(15).timeWaitServerPeak()));
        assertEquals(List.of(5L, 5L, 3L), List.of(r.observed().connections(), r.observed().closes(),
            r.observed().timeWaitServerPeak()));
    }

    @Test
    void theObservedRowIsTheCapturesOwnFiguresAsTheTimelineCountsThem() {
        Script s = twoIdleClosedVisits(150);
        s.from(2).handshake(2).exchange(3).serverCloses(8.2);
        s.from(2).handshake(30).exchange(31).exchange(33).serverCloses(38.3);
        s.from(3).handshake(4).exchange(5, GET_CLOSE).serverCloses(5.5);
        s.from(5).handshake(20).exchange(21).clientCloses(22);
        Run r = run(s);
        WhatIfRow o = r.observed();
        List<TimelineRow> port80 = r.result().rows().stream().filter(t -> t.serverPort() == 80).toList();
        long peak = port80.stream().mapToLong(t -> t.counts()[Count.TIME_WAIT_SERVER.ordinal()]).max().orElse(0);
        long sum = port80.stream().mapToLong(t -> t.counts()[Count.TIME_WAIT_SERVER.ordinal()]).sum();
        long closes = port80.stream().mapToLong(t -> t.counts()[Count.CLOSES_CLIENT.ordinal()]
            + t.counts()[Count.CLOSES_SERVER.ordinal()] + t.counts()[Count.CLOSES_BOTH.ordinal()]
            + t.counts()[Count.RESETS.ordinal()]).sum();
        long connections = r.result().records().stream().filter(f -> f.serverPort() == 80).count();
        assertEquals(List.of(connections, closes, peak), List.of(o.connections(), o.closes(), o.timeWaitServerPeak()));
        assertEquals(sum / 152.0, o.timeWaitServerMean(), 1e-9, "instants 0..151");
        // Labelled with the median idle time: 5 s, 5 s, 5.2 s and 5.3 s (the lower middle of four).
        assertEquals(5 * S, o.idleTimeoutNanos());
        assertEquals(4, o.movedPeak(), "the four idle closes' TIME_WAITs overlap from 39 s to 65 s");
        assertEquals(1, o.leftPeak(), "the close the client asked for");
    }

    @Test
    void aShorterTimeoutSplitsAConnectionAtAnIdleGapLongerThanIt() {
        // A server that closes after 70 s idle; a gap of 39.999 s (server payload at 1.001, request at 41).
        Script s = new Script();
        s.from(1).handshake(0).exchange(1).exchange(41).serverCloses(111.001);
        endAt(s, 250);
        Run r = run(s);
        assertEquals(70 * S, r.observed().idleTimeoutNanos());
        // 15 s and 30 s: closed at 16.001 / 31.001, a new connection at 41, closed again at 56.001 / 71.001.
        assertEquals(List.of(2L, 2L, 2L), List.of(r.at(15).connections(), r.at(15).closes(), r.at(15).timeWaitServerPeak()));
        assertEquals(List.of(2L, 2L, 2L), List.of(r.at(30).connections(), r.at(30).closes(), r.at(30).timeWaitServerPeak()));
        // 60 s and 75 s: the gap stays inside; one connection, closed at 101.001 / 116.001.
        assertEquals(List.of(1L, 1L, 1L), List.of(r.at(60).connections(), r.at(60).closes(), r.at(60).timeWaitServerPeak()));
        assertEquals(List.of(1L, 1L), List.of(r.at(75).connections(), r.at(75).closes()));
        assertEquals(List.of(1L, 1L), List.of(r.observed().connections(), r.observed().closes()));
    }

    @Test
    void lettingClientsCloseFirstMovesTheIdleClosesTimeWaitToEachClientAddress() {
        Script s = new Script();
        s.from(6).handshake(0).exchange(1).serverCloses(6.001);      // client 6, two connections at once
        s.from(6).handshake(0.5).exchange(1.5).serverCloses(6.501);
        s.from(7).handshake(0.2).exchange(1.2).serverCloses(6.201);  // client 7
        s.from(8).handshake(0.3).exchange(1.3, GET_CLOSE).serverCloses(1.8); // stays on the server
        endAt(s, 100);
        WhatIfRow o = run(s).observed();
        assertEquals(List.of(4L, 3L, 1L, 2L), List.of(o.timeWaitServerPeak(), o.movedPeak(), o.leftPeak(), o.clientPeak()));
        assertEquals(28_232, o.clientPorts());
        assertEquals(2 / 28_232.0, o.clientPortShare(), 1e-12);
    }

    @Test
    void memoryFollowsTheWindowNotTheCaptureAndRowsStayExact() {
        // 2,000 visits 5 s apart over 10,000 s by 200 clients in turn (each back after 1,000 s), each closed idle.
        Script s = new Script();
        for (int i = 0; i < 2000; i++) {
            double t = i * 5.0;
            s.from(1 + i % 200).handshake(t).exchange(t + 0.5).serverCloses(t + 3.501);
        }
        IdleWhatIf w = new IdleWhatIf(options());
        int[] most = {0};
        Part probe = new Part() {
            @Override
            public void advanceTo(long nowNanos) {
                most[0] = Math.max(most[0], w.held());
            }
        };
        Script.run(s.pcap(), OPTIONS, S, w, probe);
        // The lag is 60 + 10 + 75 = 145 s: about 30 visits, each held as a start, an idle close, an open
        // connection, a client address and four reusable entries.
        assertTrue(most[0] < 400, "held at most " + most[0]);
        assertEquals(0, w.late());
        assertNull(w.warning());
        for (WhatIfRow row : w.rows()) assertEquals(2000, row.connections(), row.toString());
    }

    @Test
    void aCaptureThatBeginsBetweenInstantsIsNotLate() {
        // What comes before the first instant (1 s) counts from it: nothing was final yet. Instants 1 and 2.
        Script s = new Script();
        s.from(2).handshake(0.3).exchange(0.4, GET_CLOSE).serverCloses(0.5);
        s.from(3).handshake(0.3).exchange(0.4).serverCloses(1.5);
        Run r = run(s);
        assertEquals(0, r.whatIf().late());
        assertNull(r.whatIf().warning());
        assertEquals(List.of(2L, 1L), List.of(r.observed().timeWaitServerPeak(), r.observed().leftPeak()));
    }

    @Test
    void anIdleCloseThatArrivesAfterItsMomentWasHandledIsCountedAndWarned() {
        // An idle time of 1,000 s: its record arrives at its close plus TIME_WAIT, 1,060 s after its last
        // activity, far past the 145 s lag (which grows only from then on).
        Script s = new Script();
        s.from(1).handshake(0).exchange(1).serverCloses(1001.001);
        endAt(s, 1200);
        Run r = run(s);
        assertTrue(r.whatIf().late() > 0);
        assertTrue(r.whatIf().warning().contains("idle-timeout what-if"), r.whatIf().warning());
        assertTrue(r.result().warnings().stream().anyMatch(w -> w.contains("idle-timeout what-if")));
    }

    @Test
    void rowsAreSortedByEndpointThenTimeoutAndTheStageGivesThem() throws Exception {
        Script s = twoIdleClosedVisits(100);
        s.conn(Script.SERVER.port(82)).exchange(0.5).s(5.6, Script.FIN | ACK, 0).c(5.601, ACK, 0)
            .c(5.602, Script.FIN | ACK, 0).s(5.603, ACK, 0); // a mid-stream connection to :82, closed idle
        TimeWaitStage stage = new TimeWaitStage(options(42.5), null);
        List<FlowRecord> records = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(s.pcap()), "whatif.pcap")) {
            Analysis.run(source, OPTIONS, List.of(records::add), stage, () -> false);
        }
        List<String> keys = stage.whatIf().stream()
            .map(w -> w.serverPort() + (w.observed() ? " observed" : " " + w.idleTimeoutSeconds())).toList();
        assertEquals(List.of("80 observed", "80 15.0", "80 30.0", "80 42.5", "80 60.0", "80 75.0",
            "82 observed", "82 15.0", "82 30.0", "82 42.5", "82 60.0", "82 75.0"), keys);
        assertEquals(List.of(), TimeWaitStage.none().whatIf());
    }

    @Test
    void theSameCaptureGivesTheSameRows() {
        assertEquals(run(twoIdleClosedVisits(100)).rows(), run(twoIdleClosedVisits(100)).rows());
        assertTrue(Arrays.stream(IdleWhatIf.STANDARD_SECONDS).boxed().toList().equals(List.of(15L, 30L, 60L, 75L)));
    }
}
