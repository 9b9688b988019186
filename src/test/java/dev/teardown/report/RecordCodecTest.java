package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A record written as bytes reads back equal, and renders the same CSV: on every record of every sample (HTTP, TLS,
 * tunnels, resets, half-closes, anomalies), one after another in one stream.
 */
class RecordCodecTest {
    @Test
    void everySampleRecordReadsBackEqualAndRendersTheSameCsv() throws IOException {
        List<FlowRecord> records = new ArrayList<>();
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            captures = walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        for (Path p : captures) {
            try (PacketSource source = CaptureFiles.open(p)) {
                Analysis.run(source, AnalyzeOptions.defaults(), List.of(records::add));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (FlowRecord r : records) RecordCodec.write(out, r);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        List<FlowRecord> back = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) back.add(RecordCodec.read(in));
        assertEquals(records, back);
        assertEquals(-1, in.read(), "nothing left over");
        assertEquals(csv(records), csv(back));
        assertTrue(records.stream().anyMatch(r -> r.http().tls() != null), "TLS records");
        assertTrue(records.stream().anyMatch(r -> !r.anomalies().isEmpty()), "anomalies");
        assertTrue(records.stream().anyMatch(r -> !r.tunnel().isEmpty()), "tunnels");
        assertTrue(records.stream().anyMatch(r -> r.http().persistentExpected() == null), "unknown persistence");
    }

    private static String csv(List<FlowRecord> records) throws IOException {
        StringWriter w = new StringWriter();
        try (CsvSink sink = new CsvSink(w, false)) {
            for (FlowRecord r : records) sink.accept(r);
        }
        return w.toString();
    }
}
