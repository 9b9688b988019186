package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.Captures.Packet;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real capture re-written as pcapng whose interface has a negative {@code if_tsoffset}, so every packet is
 * before 1970, analysed end to end: only the times may differ from the same capture with no offset.
 */
class PcapngTsoffsetPipelineTest {
    /** About 63 years back: the 2026 samples land in 1963. */
    private static final long OFFSET_SECONDS = -2_000_000_000L;
    private static final Set<String> TIME_COLUMNS = Set.of("first_seen", "last_seen", "time_wait_start", "time_wait_end");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"curl-connection-close.pcap", "http11-client-close.pcap"})
    void negativeTsoffsetChangesOnlyTheTimesWhichFallBefore1970(String sample) throws IOException {
        Path path = Path.of("samples", sample);
        List<Packet> packets;
        try (PacketSource source = CaptureFiles.open(path)) {
            packets = Captures.drain(source).packets();
        }

        // Named as the sample, so the file column reads as in the golden.
        String unshifted = analyse(pcapng(packets, 0), path.toString());
        String shifted = analyse(pcapng(packets, OFFSET_SECONDS), path.toString());

        assertEquals(Files.readString(path.resolveSibling(sample.replace(".pcap", ".csv")), StandardCharsets.UTF_8),
                unshifted, "the pcapng copy with no offset reads like the original");
        List<String[]> before = rows(unshifted);
        List<String[]> after = rows(shifted);
        List<String> header = Arrays.asList(before.get(0));
        assertEquals(header, Arrays.asList(after.get(0)));
        assertEquals(before.size(), after.size());
        assertTrue(before.size() > 1);
        for (int r = 1; r < before.size(); r++) {
            for (int col = 0; col < header.size(); col++) {
                String name = header.get(col);
                String expected = before.get(r)[col];
                String actual = after.get(r)[col];
                if (TIME_COLUMNS.contains(name) && !expected.isEmpty()) {
                    Instant time = Instant.parse(actual);
                    assertTrue(time.isBefore(Instant.EPOCH), name + " " + actual + " is before 1970");
                    assertEquals(Instant.parse(expected), time.minus(Duration.ofSeconds(OFFSET_SECONDS)),
                            "row " + r + " " + name);
                } else {
                    assertEquals(expected, actual, "row " + r + " " + name);
                }
            }
        }
        int closeType = header.indexOf("close_type");
        assertTrue(after.stream().skip(1).anyMatch(row -> row[closeType].equals("fin")), shifted);
    }

    /** The packets' own times as nanosecond ticks on an interface whose if_tsoffset adds {@code offsetSeconds}. */
    private static byte[] pcapng(List<Packet> packets, long offsetSeconds) {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(packets.get(0).linkType(), 0, 9, offsetSeconds);
        for (Packet p : packets) {
            capture.epb(0, p.timeNanos(), p.data(), p.originalLength());
        }
        return capture.toByteArray();
    }

    private static String analyse(byte[] file, String name) throws IOException {
        StringWriter out = new StringWriter();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), name);
             CsvSink csv = new CsvSink(out, false)) {
            Analysis.Result result = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv));
            assertNull(result.failure());
            assertEquals(List.of(), result.totals().warnings());
        }
        return out.toString();
    }

    /** The CSV's rows split on commas: these samples hold no quoted cells. */
    private static List<String[]> rows(String csv) {
        assertTrue(!csv.contains("\""), "no quoted cells");
        return csv.lines().map(line -> line.split(",", -1)).toList();
    }
}
