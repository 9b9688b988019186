package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file loop: bounded connections held, and what is kept when reading stops early for any reason. */
class AnalysisTest {
    private static AnalyzeOptions holding(int max) {
        return AnalyzeOptions.defaults().withMaxConnections(max);
    }

    @Test
    void theBoundOnConnectionsHeldWritesTheOldestOutEarlyAndCountsThem() throws Exception {
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 50, i -> { }, null), holding(10),
            List.of(rows::add));
        assertEquals(50, rows.size());
        assertEquals(11, r.totals().peakConnections(), "the new one is in before the oldest goes");
        assertEquals(List.of("40 connections written out early because the table was full (--max-connections 10)"),
            r.totals().warnings());
        // The oldest half-open connection went first.
        assertEquals(10_000, rows.get(0).clientPort());
    }

    @Test
    void runningOutOfMemoryDropsTheConnectionsHeldAndIsReportedInsteadOfThrown() throws Exception {
        List<FlowRecord> rows = new ArrayList<>();
        // 50 half-open connections, 10 held at most: 40 written early, then the heap runs out.
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 50, i -> { }, new OutOfMemoryError("test")),
            holding(10), List.of(rows::add));
        assertEquals(new Analysis.OutOfMemory(50, 10), r.outOfMemory());
        assertEquals(40, rows.size(), "rows written before are kept, the 10 held are dropped");
        assertEquals(50, r.totals().packets());
        assertEquals(11, r.totals().peakConnections());
        assertTrue(r.totals().warnings().get(0).startsWith("40 connections written out early"), r.totals().warnings().toString());
    }

    @Test
    void runningOutOfMemoryWhileWritingTheConnectionsLeftAtTheEndCountsThoseNotWritten() throws Exception {
        List<FlowRecord> rows = new ArrayList<>();
        RecordSink failsOnTheThird = rec -> {
            if (rows.size() == 2) throw new OutOfMemoryError("test");
            rows.add(rec);
        };
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 5, i -> { }, null), holding(100),
            List.of(failsOnTheThird));
        assertEquals(new Analysis.OutOfMemory(5, 3), r.outOfMemory());
        assertEquals(2, rows.size());
    }

    @Test
    void aStopStopsReadingAndStillWritesEveryConnectionRead() throws Exception {
        int[] read = {0};
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.SYN, 50, i -> read[0] = i + 1, null), holding(100),
            List.of(rows::add), () -> read[0] >= 20);
        assertTrue(r.stopped());
        assertEquals(20, r.totals().packets());
        assertEquals(20, rows.size());
        assertNull(r.failure());
        assertNull(r.outOfMemory());
    }

    @Test
    void anIoErrorPartWayStillWritesEveryConnectionRead() throws Exception {
        IOException eio = new IOException("Input/output error");
        List<FlowRecord> rows = new ArrayList<>();
        Analysis.Result r = Analysis.run(Traffic.source(Traffic.Kind.KEEPALIVE, 5, i -> { }, eio), holding(100),
            List.of(rows::add));
        assertSame(eio, r.failure());
        assertEquals(5, rows.size());
        assertFalse(r.stopped());
    }

    @Test
    void progressIsToldEverySoManyPacketsWithBytesReadAndConnectionCounts() throws Exception {
        java.nio.file.Path sample = java.nio.file.Path.of("samples/http10-server-close.pcap");
        List<long[]> calls = new ArrayList<>();
        List<String> files = new ArrayList<>();
        ReadProgress every5 = new ReadProgress() {
            @Override
            public int packetsBetweenCalls() { return 5; }

            @Override
            public void reached(long bytesRead, long packets, int held, long written, String file) {
                calls.add(new long[] {bytesRead, packets, held, written});
                files.add(file);
            }
        };
        Analysis.Result r;
        try (var source = dev.teardown.capture.CaptureFiles.open(sample)) {
            r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(rec -> { }),
                dev.teardown.timewait.TimeWaitStage.none(), () -> false, every5);
        }
        long packets = r.totals().packets();
        assertEquals(packets / 5, calls.size());
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(5L * (i + 1), calls.get(i)[1], "packets so far at call " + i);
            assertTrue(calls.get(i)[0] > 0 && calls.get(i)[0] <= java.nio.file.Files.size(sample));
        }
        assertTrue(calls.stream().anyMatch(c -> c[2] > 0), "connections held are reported");
        assertEquals(List.of(sample.toString()), files.stream().distinct().toList());
    }
}
