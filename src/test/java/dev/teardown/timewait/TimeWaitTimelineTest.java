package dev.teardown.timewait;

import static dev.teardown.timewait.Script.ACK;
import static dev.teardown.timewait.Script.FIN;
import static dev.teardown.timewait.Script.PSH;
import static dev.teardown.timewait.Script.RST;
import static dev.teardown.timewait.Script.S;
import static dev.teardown.timewait.Script.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.Pipeline;
import java.io.ByteArrayInputStream;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The timeline's rules on hand-written conversations run through the real pipeline. Lines read "second port
 * open,time_wait_server,time_wait_client,closes_client,closes_server,closes_both,resets".
 */
class TimeWaitTimelineTest {

    /** "second port values" for each second of {@code from..to}, all with the same values. */
    private static List<String> each(long from, long to, int port, String values) {
        List<String> l = new ArrayList<>();
        for (long t = from; t <= to; t++) l.add(t + " " + port + " " + values);
        return l;
    }

    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) all.addAll(p);
        return all;
    }

    @Test
    void openRunsFromTheSynAckUntilTheFirstFinAndAnUnansweredSynIsNeverOpen() {
        Script s = new Script();
        s.conn().handshake(1).serverCloses(5);             // SYN-ACK at 1.001, the server's FIN at 5
        s.conn(Script.SERVER.port(81)).c(2, SYN, 0);       // never answered
        Script.Result r = s.run(S);
        assertEquals(concat(
            each(2, 4, 80, "1,0,0,0,0,0,0"),
            // The close completed at 5.002 (the client's FIN); the server's TIME_WAIT began with its ACK at 5.003.
            each(6, 6, 80, "0,1,0,0,1,0,0")), r.lines(0, 100));
    }

    @Test
    void eachSideOfACrossedCloseCountsFromItsOwnTimeWaitStartToItsOwnEnd() {
        Script s = new Script();
        Script.Conn c = s.conn().handshake(1);
        // The FINs cross at 10 (neither acknowledges the other); the server acknowledges the client's FIN at 12,
        // the client the server's at 14: each side's TIME_WAIT starts when its own FIN is acknowledged.
        c.raw(true, 10, FIN | ACK, 1001, 5001).raw(false, 10, FIN | ACK, 5001, 1001)
            .raw(false, 12, ACK, 5002, 1002).raw(true, 14, ACK, 1002, 5002);
        s.conn(Script.SERVER.port(81)).handshake(5).c(80, PSH | ACK, 10); // keeps the capture going to 80 s
        Script.Result r = s.run(S);
        assertEquals(Sides.BOTH, r.records().get(0).timeWaitSide());
        assertEquals(concat(
            each(2, 9, 80, "1,0,0,0,0,0,0"),
            List.of("10 80 0,0,0,0,0,1,0"),
            each(12, 13, 80, "0,0,1,0,0,0,0"),
            each(14, 71, 80, "0,1,1,0,0,0,0"),
            each(72, 73, 80, "0,1,0,0,0,0,0")), r.lines(0, 80).stream().filter(l -> l.contains(" 80 ")).toList());
    }

    @Test
    void closesAreCountedWhenTheyCompleteByWhoSentTheFirstFinAndAnAbortAsAReset() {
        Script s = new Script();
        s.conn().handshake(1).clientCloses(3.5);   // completes at 3.502 (the second FIN): instant 4
        s.conn().handshake(1).serverCloses(3.5);   // the same; both TIME_WAITs begin at 3.503
        s.conn().handshake(1).c(3.2, RST | ACK, 0); // aborted at 3.2: instant 4 too
        s.conn().handshake(1).c(3.9, FIN | ACK, 0).s(3.901, ACK, 0); // a FIN, never answered: not a close
        s.conn().handshake(1).raw(true, 4, FIN | ACK, 1001, 5001).raw(false, 4, FIN | ACK, 5001, 1001)
            .raw(false, 4.001, ACK, 5002, 1002).raw(true, 4.001, ACK, 1002, 5002); // crossed at 4: instant 4
        Script.Result r = s.run(S);
        assertEquals(List.of("2 80 5,0,0,0,0,0,0", "3 80 5,0,0,0,0,0,0",
            "4 80 0,1,1,1,1,1,1",
            "5 80 0,2,2,0,0,0,0"), r.lines(0, 5), "the crossed close's TIME_WAITs begin at 4.001");
    }

    @Test
    void aRstIntoTimeWaitEndsItThereWithoutCountingAnotherClose() {
        Script s = new Script();
        Script.Conn c = s.conn().handshake(1).serverCloses(5);
        c.c(20, RST, 0);                                          // the client's RST reaches the server's TIME_WAIT
        s.conn(Script.SERVER.port(81)).handshake(2).c(30, PSH | ACK, 10);
        Script.Result r = s.run(S);
        assertEquals(concat(each(2, 4, 80, "1,0,0,0,0,0,0"), List.of("6 80 0,1,0,0,1,0,0"), each(7, 19, 80, "0,1,0,0,0,0,0")),
            r.lines(0, 30).stream().filter(l -> l.contains(" 80 ")).toList(), "TIME_WAIT from 5.003 until 20, not 65.003");
    }

    @Test
    void aConnectionStillOpenAtTheEndCountsAtTheLastInstant() {
        Script s = new Script();
        s.conn().handshake(1).c(3.5, PSH | ACK, 10);
        assertEquals(List.of("2 80 1,0,0,0,0,0,0", "3 80 1,0,0,0,0,0,0", "4 80 1,0,0,0,0,0,0"), s.run(S).lines(0, 10));
    }

    @Test
    void aConnectionLeftSilentIsOpenUntilTheIdleTimeoutWritesItOut() {
        Script s = new Script();
        s.conn().handshake(1);                                    // silent from 1.002
        s.conn(Script.SERVER.port(81)).handshake(2).c(20, PSH | ACK, 10);
        Script.Result r = s.run(10 * S, S);                       // idle timeout 10 s: written out at 11.002
        assertEquals(each(2, 11, 80, "1,0,0,0,0,0,0"), r.lines(0, 20).stream().filter(l -> l.contains(" 80 ")).toList());
    }

    @Test
    void aLongLivedConnectionIsOpenAtEveryInstantFromItsStartThoughItsRecordComesLast() {
        Script s = new Script();
        Script.Conn longLived = s.conn().handshake(1);
        for (int t = 50; t <= 2000; t += 50) longLived.c(t, PSH | ACK, 10);
        longLived.serverCloses(2001);
        for (int t = 5; t < 2000; t += 10) s.conn(Script.SERVER.port(81)).handshake(t).serverCloses(t + 1);
        Script.Result r = s.run(100 * S, S);                      // idle 100 s: rows may not wait for it anyway

        List<String> port80 = r.lines(0, 2001).stream().filter(l -> l.contains(" 80 ")).toList();
        assertEquals(each(2, 2000, 80, "1,0,0,0,0,0,0"), port80, "open until the server's FIN at 2001");
        int row100 = IntStream.range(0, r.rows().size())
            .filter(i -> r.rows().get(i).timeNanos() == 100 * S && r.rows().get(i).serverPort() == 80).findFirst().orElseThrow();
        int longLivedRecord = IntStream.range(0, r.records().size())
            .filter(i -> r.records().get(i).serverPort() == 80).findFirst().orElseThrow();
        assertTrue(r.recordsBeforeRow().get(row100) < longLivedRecord,
            "instant 100 was written long before the connection open since 1 was handed on");
        assertEquals(0, r.timeline().lateChanges());
    }

    @Test
    void rowsAreWrittenAboutOneTimeWaitAfterTheirInstantNotAtTheEnd() {
        Script s = new Script();
        List<Long> timeWaitStarts = new ArrayList<>();
        for (int t = 0; t < 2000; t += 10) {
            s.conn().handshake(t).serverCloses(t + 1);
            timeWaitStarts.add((t + 1) * S + 3_000_000L);          // the server's ACK of the client's FIN
        }
        Script.Result r = s.run(S);
        assertTrue(r.rows().size() > 1900, "a row per second while anything is held: " + r.rows().size());
        for (int i = 0; i < r.rows().size(); i++) {
            long t = r.rows().get(i).timeNanos();
            long startedByThen = timeWaitStarts.stream().filter(x -> x <= t).count();
            long startedSoonAfter = timeWaitStarts.stream().filter(x -> x <= t + 20 * S).count();
            int written = r.recordsBeforeRow().get(i);
            assertTrue(written >= startedByThen, "final: every connection in TIME_WAIT by " + t + " was handed on");
            // The last TIME_WAITs of the capture (it ends at 1991.003) are written at its end.
            assertTrue(written <= startedSoonAfter || t > 1911 * S,
                "not held back: row " + t / S + " written after " + written + " records");
        }
    }

    @Test
    void aClosedConnectionKeptAliveByStrayPacketsHoldsRowsBackAtMostTimeWaitPlusIdleAndIsCountedLate() {
        Script s = new Script();
        Script.Conn kept = s.conn().handshake(1).serverCloses(5);  // the server's TIME_WAIT: 5.003 to 65.003
        for (int t = 55; t <= 255; t += 50) kept.c(t, ACK, 0);    // strays keep it held until 315
        Script.Conn busy = s.conn(Script.SERVER.port(81)).handshake(2);
        for (int t = 5; t <= 400; t += 5) busy.c(t, PSH | ACK, 10);
        Script.Result r = s.run(10 * S, S);                       // idle 10 s: rows lag at most 70 s

        int row100 = IntStream.range(0, r.rows().size()).filter(i -> r.rows().get(i).timeNanos() == 100 * S)
            .findFirst().orElseThrow();
        assertEquals(0, r.recordsBeforeRow().get(row100), "instant 100 did not wait for the connection held until 315");
        assertEquals(2, r.timeline().lateChanges(), "its TIME_WAIT's start and end came after their rows");
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("2 timeline changes came after their row was written")),
            r.warnings().toString());
        assertEquals(concat(each(2, 4, 80, "1,0,0,0,0,0,0"), List.of("6 80 0,0,0,0,1,0,0")),
            r.lines(0, 400).stream().filter(l -> l.contains(" 80 ")).toList());
    }

    @Test
    void anIPv6ServerIsWrittenInItsShortForm() {
        Script s = new Script();
        Endpoint server = Endpoint.v6(0x20010db800000000L, 0x80, 443);
        Script.Conn c = s.new Conn(Endpoint.v6(0x20010db800000000L, 0x1, 50000), server);
        c.handshake(1).c(2.5, PSH | ACK, 10);
        TimelineRow row = s.run(S).rows().get(0);
        assertEquals("2001:db8::80", row.serverIp());
        assertEquals(443, row.serverPort());
    }

    @Test
    void timePassingWithoutPacketsWritesTheRowsItMadeFinalAsInAQuietLiveCapture() throws Exception {
        Script s = new Script();
        s.conn().handshake(1).serverCloses(5);                   // the server's TIME_WAIT: 5.003 to 65.003
        List<TimelineRow> rows = new ArrayList<>();
        AnalyzeOptions options = new AnalyzeOptions(60 * S, 300 * S);
        Pipeline p = new Pipeline(options, List.of(), TimeWaitStage.of(new TimeWaitTimeline(60 * S, 300 * S, S, rows::add)));
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(s.pcap()), "quiet.pcap")) {
            Frame f = new Frame();
            while (source.next(f)) p.onFrame(f);
        }
        assertEquals(each(2, 4, 80, "1,0,0,0,0,0,0"), rows.stream().map(Script::line).toList(),
            "final: before the TIME_WAIT that began at 5.003, still held");
        p.advanceTo(30 * S);
        assertEquals(3, rows.size(), "still held");
        p.advanceTo(70 * S);                                      // the connection is written out at 65.003
        assertEquals(concat(each(2, 4, 80, "1,0,0,0,0,0,0"), List.of("6 80 0,1,0,0,1,0,0"), each(7, 65, 80, "0,1,0,0,0,0,0")),
            rows.stream().map(Script::line).toList());
        p.finish();
        assertEquals(63, rows.size(), "instants after the written-out connection hold nothing");
    }
}
