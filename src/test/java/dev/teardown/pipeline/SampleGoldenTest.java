package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
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
 * kernel's own TIME_WAIT view recorded when it was made ({@code NAME.expect}, from {@code ss}).
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

    @TestFactory
    Stream<DynamicTest> everySampleAgreesWithTheKernelsTimeWaitView() throws IOException {
        return captures().stream().filter(p -> Files.exists(sibling(p, ".expect")))
            .map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
                Map<String, String> expected = expectations(sibling(p, ".expect"));
                assertFalse(expected.isEmpty());
                Map<String, List<String>> actual = timeWaitSideByClientPort(analyse(p));
                for (Map.Entry<String, String> e : expected.entrySet()) {
                    List<String> sides = actual.get(e.getKey());
                    assertTrue(sides != null && !sides.isEmpty(), "a connection from client port " + e.getKey());
                    // Port reuse makes several lifetimes per client port: the kernel sees the last one.
                    assertEquals(e.getValue(), sides.get(sides.size() - 1), "client port " + e.getKey());
                }
            }));
    }

    /** {@code client_port=P time_wait_side=X} lines. */
    static Map<String, String> expectations(Path file) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String port = null;
            String side = null;
            for (String field : line.trim().split("\\s+")) {
                if (field.startsWith("client_port=")) port = field.substring(12);
                if (field.startsWith("time_wait_side=")) side = field.substring(15);
            }
            if (port != null && side != null) m.put(port, side);
        }
        return m;
    }

    static Map<String, List<String>> timeWaitSideByClientPort(String csv) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].split(","));
        int port = header.indexOf("client_port");
        int side = header.indexOf("time_wait_side");
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            m.computeIfAbsent(f[port], k -> new ArrayList<>()).add(f[side]);
        }
        return m;
    }
}
