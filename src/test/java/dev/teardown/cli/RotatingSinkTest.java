package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rotate}: rows into one file per span of packet time, each file complete, named by the span's start. */
class RotatingSinkTest {
    private static final long S = 1_000_000_000L;
    /** 2026-11-24T11:00:00Z. */
    private static final long HOUR = 1_795_518_000L;

    private static List<FlowRecord> records() throws Exception {
        List<FlowRecord> rows = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(Path.of("samples/ab-keepalive.pcap"))) {
            Analysis.run(source, AnalyzeOptions.defaults(), List.of(rows::add));
        }
        return rows;
    }

    @Test
    void eachSpanOfPacketTimeGetsItsOwnCompleteFileAndTimeGoingBackStaysInTheCurrentOne(@TempDir Path dir)
            throws Exception {
        List<FlowRecord> rows = records();
        assertTrue(!rows.isEmpty());
        long[] now = {0};
        RotatingSink.SpanFiles files = new RotatingSink.SpanFiles(dir.resolve("flows-%H%M%S.csv").toString(), 10);
        RotatingSink sink = new RotatingSink(files, () -> now[0], w -> new CsvSink(w, true));
        long[] at = {HOUR + 5, HOUR + 7, HOUR + 12, HOUR + 9, HOUR + 35};
        for (int i = 0; i < at.length; i++) {
            now[0] = at[i] * S;
            sink.accept(rows.get(i % rows.size()));
        }
        files.close();
        try (Stream<Path> made = Files.list(dir)) {
            assertEquals(List.of("flows-110000.csv", "flows-110010.csv", "flows-110030.csv"),
                made.map(p -> p.getFileName().toString()).sorted().toList());
        }
        String header = Files.readAllLines(dir.resolve("flows-110000.csv")).get(0);
        assertTrue(header.startsWith("flow_id,"), header);
        assertEquals(3, Files.readAllLines(dir.resolve("flows-110000.csv")).size(), "a header and two rows");
        assertEquals(List.of(header), Files.readAllLines(dir.resolve("flows-110010.csv")).subList(0, 1));
        assertEquals(3, Files.readAllLines(dir.resolve("flows-110010.csv")).size(), "the row at 9 s stays here");
        assertEquals(2, Files.readAllLines(dir.resolve("flows-110030.csv")).size(), "no file for the empty span");
    }

    @Test
    void aNameWithoutATimeGetsTheSpanStartBeforeItsExtension() {
        assertEquals(Path.of("/var/log/flows-20261124T110000Z.csv").toString(),
            RotatingSink.name("/var/log/flows.csv", HOUR));
        assertEquals("flows-20261124T110000Z", RotatingSink.name("flows", HOUR));
        assertEquals("2026/flows-11.jsonl", RotatingSink.name("%Y/flows-%H.jsonl", HOUR));
    }
}
