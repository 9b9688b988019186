package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.TestCsv;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.Pcap4jFileSource;
import dev.teardown.report.CsvSink;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture under samples/ against its golden CSV ({@code NAME.csv} beside it), and against the
 * kernel's own TIME_WAIT view recorded when it was made ({@code NAME.expect}, from {@code ss}), with the server's
 * own count of requests (HTTP) or of exchanges (HTTPS: nginx's {@code $connection_requests}) and close reason.
 *
 * <p>Regenerate the goldens with {@code mvn test -Dteardown.regenerate=true}, then review the diff like code.
 */
class SampleGoldenTest {
    private static final Path SAMPLES = Path.of("samples");
    private static final boolean REGENERATE = Boolean.getBoolean("teardown.regenerate");

    static List<Path> captures() throws IOException {
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            return walk.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".pcap.gz");
            }).sorted().toList();
        }
    }

    static String analyse(Path capture) throws IOException {
        StringWriter out = new StringWriter();
        try (PacketSource source = CaptureFiles.open(capture); CsvSink csv = new CsvSink(out, false)) {
            Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv));
            assertNull(r.failure(), "a sample must read to its end");
        }
        return out.toString();
    }

    static Path sibling(Path capture, String extension) {
        String n = capture.getFileName().toString().replaceFirst("\\.(pcapng|pcap\\.gz|pcap)$", "");
        return capture.resolveSibling(n + extension);
    }

    @TestFactory
    Stream<DynamicTest> everySampleMatchesItsGoldenCsv() throws IOException {
        List<Path> all = captures();
        assertFalse(all.isEmpty(), "samples/ holds captures");
        return all.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            String csv = analyse(p);
            Path golden = sibling(p, ".csv");
            if (REGENERATE) Files.writeString(golden, csv, StandardCharsets.UTF_8);
            assertTrue(Files.exists(golden), golden + " is missing: run mvn test -Dteardown.regenerate=true and review it");
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), csv, "golden " + golden);
        }));
    }

    /**
     * The same rows when libpcap reads the file ({@code --reader pcap4j}), on every sample libpcap reads: the one it
     * refuses, a pcapng file with interfaces of two link types (libpcap allows one per file), fails with libpcap's
     * words before any packet.
     */
    @TestFactory
    Stream<DynamicTest> everySampleReadByLibpcapGivesItsGoldenRows() throws IOException {
        List<Path> all = captures();
        return all.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            StringWriter out = new StringWriter();
            Analysis.Result r;
            try (PacketSource source = Pcap4jFileSource.open(p); CsvSink csv = new CsvSink(out, false)) {
                r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv));
            }
            if (p.endsWith(Path.of("crafted", "two-sections.pcapng"))) {
                assertTrue(r.failure() != null && r.failure().getMessage().contains(
                    "an interface has a type 101 different from the type of the first interface"), "" + r.failure());
                return;
            }
            assertNull(r.failure(), "libpcap reads " + p + " to its end");
            assertEquals(Files.readString(sibling(p, ".csv"), StandardCharsets.UTF_8), out.toString(), "read by libpcap");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySampleAgreesWithTheKernelsTimeWaitView() throws IOException {
        return captures().stream().filter(p -> Files.exists(sibling(p, ".expect")))
            .map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
                String csv = analyse(p);
                for (String column : List.of("time_wait_side", "close_initiator", "http_requests", "exchanges",
                        "close_reason", "tunnel")) {
                    Map<String, String> expected = expectations(sibling(p, ".expect"), column);
                    if (column.equals("time_wait_side")) assertFalse(expected.isEmpty());
                    Map<String, List<String>> actual = columnByClientPort(csv, column);
                    for (Map.Entry<String, String> e : expected.entrySet()) {
                        List<String> values = actual.get(e.getKey());
                        assertTrue(values != null && !values.isEmpty(), "a connection from client port " + e.getKey());
                        // Port reuse makes several lifetimes per client port: the kernel sees the last one.
                        assertEquals(e.getValue(), values.get(values.size() - 1), column + ", client port " + e.getKey());
                    }
                }
            }));
    }

    /** The {@code column=value} of each {@code client_port=P key=value ...} line; {@code #} starts a comment. */
    static Map<String, String> expectations(Path file, String column) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#")) continue;
            String port = null;
            String value = null;
            for (String field : line.trim().split("\\s+")) {
                if (field.startsWith("client_port=")) port = field.substring(12);
                if (field.startsWith(column + "=")) value = field.substring(column.length() + 1);
            }
            if (port != null && value != null) m.put(port, value);
        }
        return m;
    }

    /** The column's cells by client port (RFC 4180 parsing: an ALPN list is a quoted cell with commas). */
    static Map<String, List<String>> columnByClientPort(String csv, String column) {
        List<List<String>> rows = TestCsv.parse(csv);
        List<String> header = rows.get(0);
        int port = header.indexOf("client_port");
        int side = header.indexOf(column);
        Map<String, List<String>> m = new HashMap<>();
        for (List<String> f : rows.subList(1, rows.size())) {
            m.computeIfAbsent(f.get(port), k -> new ArrayList<>()).add(f.get(side));
        }
        return m;
    }
}
