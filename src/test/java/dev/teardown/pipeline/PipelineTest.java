package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Sides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    private static Pipeline fed(String sample, List<FlowRecord> rows) throws IOException {
        Pipeline p = new Pipeline(AnalyzeOptions.defaults(), List.of(rows::add));
        try (PacketSource source = CaptureFiles.open(Path.of("samples/" + sample + ".pcap"))) {
            Frame frame = new Frame();
            while (source.next(frame)) p.onFrame(frame);
        }
        return p;
    }

    @Test
    void aCloseIsCountedWithItsReasonOnceItsLastAckIsSeenLongBeforeItsRowIsWritten() throws IOException {
        List<FlowRecord> rows = new ArrayList<>();
        Pipeline p = fed("http10-server-close", rows);
        assertEquals(0, p.recordsWritten(), "the rows wait for the end of TIME_WAIT");
        assertEquals(4, p.view(1).serverCloses());
        List<LiveEndpoints.Row> endpoints = p.endpoints(20);
        assertEquals(List.of(new LiveEndpoints.Close(Sides.SERVER, dev.teardown.http.CloseReason.HTTP10_CLOSE, 4)),
            endpoints.get(endpoints.size() - 1).closes(), "counted before the endpoint was named: under other");
        assertEquals(4, endpoints.get(0).timeWaitServer());
        p.finish();
        assertEquals(4, p.view(1).serverCloses(), "finishing counts none twice");
    }

    static Stream<String> samples() throws IOException {
        // The real captures and the crafted edge cases (crossed FINs, RSTs in TIME_WAIT, reuse, ...).
        try (Stream<Path> files = Files.walk(Path.of("samples"), 2)) {
            return files.map(f -> Path.of("samples").relativize(f).toString()).filter(n -> n.endsWith(".pcap"))
                .map(n -> n.substring(0, n.length() - ".pcap".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theLiveClosesByEndpointInitiatorAndReasonAndTheTupleReusesAreThoseOfTheRowsWritten(String sample)
            throws IOException {
        List<FlowRecord> rows = new ArrayList<>();
        Pipeline p = fed(sample, rows);
        p.endpoints(1000); // names every endpoint holding a connection: their closes from now on count by name
        p.finish();
        Map<String, Long> counted = new TreeMap<>();
        long reuses = 0;
        for (LiveEndpoints.Row r : p.endpoints(1000)) {
            for (LiveEndpoints.Close c : r.closes()) counted.merge(c.initiator().label() + " " + c.reason().label(), c.count(), Long::sum);
            reuses += r.tupleReuses();
        }
        Map<String, Long> written = new TreeMap<>();
        for (FlowRecord r : rows) {
            if (r.closeType() == CloseType.NONE || r.closeType() == CloseType.FIN_INCOMPLETE) continue;
            written.merge(r.closeInitiator().label() + " " + r.http().closeReason().label(), 1L, Long::sum);
        }
        assertTrue(!rows.isEmpty());
        assertEquals(written, counted);
        assertEquals(rows.stream().filter(FlowRecord::tupleReuse).count(), reuses);
    }
}
