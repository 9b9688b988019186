package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay (a reading thread and one analysing thread) ends every way one thread ends: stopped, on an I/O error,
 * out of memory, with a sink or a source that fails; and it keeps one table, so the bound on connections held
 * evicts exactly what one thread evicts. (That it writes one thread's bytes is {@link ParallelAnalysisTest}'s.)
 */
class RelayAnalysisTest {
    @Test
    void aStopStopsReadingAndStillWritesEveryConnectionReadInOneThreadsOrder() {
        List<List<FlowRecord>> rows = new ArrayList<>();
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.relay())) {
            int[] read = {0};
            List<FlowRecord> got = new ArrayList<>();
            Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 50, i -> read[0] = i + 1, null),
                AnalyzeOptions.defaults(), List.of(got::add), TimeWaitStage.none(), () -> read[0] >= 20,
                ReadProgress.NONE, plan);
            assertTrue(r.stopped());
            assertEquals(20, r.totals().packets());
            rows.add(got);
        }
        assertEquals(20, rows.get(1).size());
        assertEquals(rows.get(0), rows.get(1));
    }

    @Test
    void anIoErrorPartWayStillWritesEveryConnectionReadAndIsReturned() {
        IOException eio = new IOException("Input/output error");
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.KEEPALIVE, 5, i -> { }, eio),
            AnalyzeOptions.defaults(), List.of(rows::add), TimeWaitStage.none(), () -> false, ReadProgress.NONE,
            ThreadPlan.relay());
        assertSame(eio, r.failure());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), rows.stream().map(FlowRecord::flowId).toList());
    }

    @Test
    void runningOutOfMemoryWhileReadingDropsTheConnectionsHeldAndIsReportedInsteadOfThrown() {
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 10_000, i -> { },
                new OutOfMemoryError("test")), AnalyzeOptions.defaults(), List.of(rows::add), TimeWaitStage.none(),
            () -> false, ReadProgress.NONE, ThreadPlan.relay());
        assertEquals(10_000, r.outOfMemory().packets());
        int dropped = r.outOfMemory().connectionsDropped();
        assertTrue(dropped >= 0 && dropped <= 10_000, "dropped " + dropped);
        assertEquals(0, rows.size(), "the half-open connections held are dropped, not written");
    }

    @Test
    void runningOutOfMemoryInASinkKeepsTheRowsWrittenBeforeAndIsReported() {
        List<FlowRecord> rows = new ArrayList<>();
        RecordSink failsOnTheThird = rec -> {
            if (rows.size() == 2) throw new OutOfMemoryError("test");
            rows.add(rec);
        };
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 5, i -> { }, null), AnalyzeOptions.defaults(),
            List.of(failsOnTheThird), TimeWaitStage.none(), () -> false, ReadProgress.NONE, ThreadPlan.relay());
        assertEquals(5, r.outOfMemory().packets());
        assertEquals(2, rows.size());
        assertEquals(3, r.outOfMemory().connectionsDropped(), "the three held when the sink failed");
    }

    @Test
    void aSinkThatThrowsFailsTheRunAsWithOneThread() {
        RecordSink broken = rec -> {
            throw new IllegalStateException("sink bug");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Analysis.run(
            Traffic.source(Traffic.Kind.SYN, 5, i -> { }, null), AnalyzeOptions.defaults(), List.of(broken),
            TimeWaitStage.none(), () -> false, ReadProgress.NONE, ThreadPlan.relay()));
        assertEquals("sink bug", e.getMessage());
    }

    @Test
    void anUncheckedErrorFromTheSourceEscapesOnceTheOtherThreadWritesNoMore() throws Exception {
        java.io.UncheckedIOException gone = new java.io.UncheckedIOException(new IOException("gone"));
        List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> Analysis.run(
            Traffic.source(Traffic.Kind.SYN, 10_000, i -> { }, gone), AnalyzeOptions.defaults(), List.of(rows::add),
            TimeWaitStage.none(), () -> false, ReadProgress.NONE, ThreadPlan.relay()));
        assertSame(gone, e);
        int written = rows.size();
        Thread.sleep(100);
        assertEquals(written, rows.size(), "nothing is written after the run returned");
        assertEquals(0, written, "the half-open connections held are not finished");
    }

    @Test
    void theBoundOnConnectionsHeldIsOneTablesSoTheRelayEvictsWhatOneThreadEvicts() {
        List<List<FlowRecord>> rows = new ArrayList<>();
        List<Analysis.Result> results = new ArrayList<>();
        for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.relay())) {
            List<FlowRecord> got = new ArrayList<>();
            results.add(Analysis.run(Traffic.source(Traffic.Kind.SYN, 200, i -> { }, null),
                AnalyzeOptions.defaults().withMaxConnections(20), List.of(got::add), TimeWaitStage.none(), () -> false,
                ReadProgress.NONE, plan));
            rows.add(got);
        }
        assertEquals(200, rows.get(1).size());
        assertEquals(rows.get(0), rows.get(1), "the same rows in the same order: the oldest of one table goes first");
        assertEquals(results.get(0).totals(), results.get(1).totals(), "the same peak (21) and eviction warning");
        assertEquals(21, results.get(1).totals().peakConnections());
    }
}
