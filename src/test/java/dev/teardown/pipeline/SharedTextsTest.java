package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records of many connections share one String per repeated text (an address, a Connection token), so the
 * outputs escape and format each once and no record costs a String per such column.
 */
class SharedTextsTest {

    private static List<FlowRecord> records(String sample) throws IOException {
        List<FlowRecord> records = new ArrayList<>();
        RecordSink sink = records::add;
        try (PacketSource source = CaptureFiles.open(Path.of(sample))) {
            Analysis.run(source, AnalyzeOptions.defaults(), List.of(sink));
        }
        return records;
    }

    @Test
    void connectionsToOneServerShareItsAddressAndTheirRepeatedHeaderTexts() throws IOException {
        // curl against nginx, each connection ending with Connection: close (samples/README.md).
        List<FlowRecord> rs = records("samples/curl-connection-close.pcap");
        assertTrue(rs.size() >= 3, "connections: " + rs.size());
        FlowRecord first = rs.get(0);
        assertEquals("close", first.http().responseConnection());
        for (FlowRecord r : rs.subList(1, rs.size())) {
            assertSame(first.serverIp(), r.serverIp(), "server address of connection " + r.flowId());
            assertSame(first.endpoints().clientIp(), r.endpoints().clientIp(), "client address of " + r.flowId());
            assertSame(first.http().responseConnection(), r.http().responseConnection(), "Connection of " + r.flowId());
        }
    }
}
