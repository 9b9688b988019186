package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.report.FlowRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stages after the packet source, driven frame by frame. */
class PipelineTest {

    @Test
    void discardingTheConnectionsHeldEmptiesTheTableWritesNothingAndKeepsTheCounts() {
        List<FlowRecord> rows = new ArrayList<>();
        Pipeline p = new Pipeline(AnalyzeOptions.defaults().withMaxConnections(10), List.of(rows::add));
        Traffic.generate(Traffic.Kind.SYN, 30, p::onFrame);
        assertEquals(10, p.heldConnections());
        assertEquals(20, p.recordsWritten());

        assertEquals(10, p.discardHeld());
        assertEquals(0, p.heldConnections());
        p.finish();
        assertEquals(20, rows.size(), "the dropped connections are not written");
        assertEquals(11, p.totals(List.of()).peakConnections());
        assertEquals(List.of("20 connections written out early because the table was full (--max-connections 10)"),
            p.totals(List.of()).warnings());
        assertEquals(30, p.packets());
    }

    @Test
    void theBoundComesFromTheOptionsAndKeepAliveConnectionsAreEvictedOldestFirst() {
        List<FlowRecord> rows = new ArrayList<>();
        Pipeline p = new Pipeline(AnalyzeOptions.defaults().withMaxConnections(3), List.of(rows::add));
        Traffic.generate(Traffic.Kind.KEEPALIVE, 5, p::onFrame);
        assertEquals(List.of(10_000, 10_001), rows.stream().map(FlowRecord::clientPort).toList());
        assertEquals(3, p.heldConnections());
    }
}
