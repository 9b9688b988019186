package dev.teardown.pipeline;

import dev.teardown.RealTraffic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel is the ground truth: scripts/kernel-truth.sh runs a real nginx and real clients in a network
 * namespace of its own, captures them with tcpdump and snapshots {@code ss -tanH state time-wait}; every
 * connection's {@code time_wait_side} must equal what the kernel shows.
 *
 * <p>It needs root and the servers and tools that .ci/run installs. Where they are missing it is skipped,
 * except under CI (CI=true), where a skip would hide a broken setup, so it fails instead.
 */
@Tag("root")
class KernelTruthTest {

    @Test
    void everyConnectionsTimeWaitSideMatchesTheKernel(@TempDir Path dir) throws Exception {
        String log = runScript(dir);
        assertAgreesWithTheKernel(dir, SampleGoldenTest.analyse(dir.resolve("capture.pcap")), log);
    }

    /**
     * The same real clients captured by {@code teardown live} itself (issue 4): its rows agree with the
     * kernel, equal the rows {@code analyze} gives on its own --write file, libpcap dropped nothing, and
     * SIGTERM ended it with exit 0 after writing everything.
     */
    @Test
    void liveCaptureAgreesWithTheKernelAndWithAnalyzeOnItsOwnTeeAndDropsNothing(@TempDir Path dir) throws Exception {
        String log = runScript(dir, "--live");
        assertEquals("0", Files.readString(dir.resolve("live.rc")).trim(), log);
        String summary = Files.readString(dir.resolve("live.out"), StandardCharsets.UTF_8);
        assertTrue(summary.contains(" received, 0 dropped, 0 dropped by the interface"), summary);

        String live = Files.readString(dir.resolve("live.csv"), StandardCharsets.UTF_8);
        String analysed = SampleGoldenTest.analyse(dir.resolve("capture.pcap"));
        // Every column but file: live names no file, analyze names the --write file it read.
        assertEquals(withoutFile(analysed), withoutFile(live), "live rows equal analyze's rows on the --write file");
        assertEquals(List.of(""), SampleGoldenTest.columnByClientPort(live, "file").values().stream()
            .flatMap(List::stream).distinct().toList(), "live rows name no file");
        assertEquals(List.of(dir.resolve("capture.pcap").toString()), SampleGoldenTest.columnByClientPort(analysed, "file")
            .values().stream().flatMap(List::stream).distinct().toList(), analysed);
        assertAgreesWithTheKernel(dir, live, log);
    }

    private static String runScript(Path dir, String... options) throws Exception {
        RealTraffic.assumeRootAnd("/usr/sbin/nginx", "/usr/bin/tcpdump", "/usr/bin/curl", "/usr/bin/ss");
        List<String> args = new java.util.ArrayList<>(List.of(options));
        args.add(dir.toString());
        // teardown live runs from this test's own classes and dependencies (no jar is built before tests).
        return RealTraffic.runScript(dir.resolve("script.log"), Map.of(
                "TEARDOWN_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "TEARDOWN_CP", System.getProperty("java.class.path")),
            120, "kernel-truth.sh", args.toArray(new String[0]));
    }

    private static void assertAgreesWithTheKernel(Path dir, String csv, String log) throws Exception {
        for (String column : List.of("time_wait_side", "http_requests", "close_reason")) {
            Map<String, String> expected = SampleGoldenTest.expectations(dir.resolve("expect.txt"), column);
            if (column.equals("time_wait_side")) assertFalse(expected.isEmpty(), "the script recorded connections:\n" + log);
            Map<String, List<String>> actual = SampleGoldenTest.columnByClientPort(csv, column);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                List<String> values = actual.get(e.getKey());
                assertTrue(values != null, "teardown found the connection from client port " + e.getKey());
                assertEquals(e.getValue(), values.get(values.size() - 1), column + ", client port " + e.getKey()
                    + "; ss said:\n" + Files.readString(dir.resolve("ss.txt")));
            }
        }
    }

    /** The CSV's rows, sorted, each without its file cell. */
    static List<List<String>> withoutFile(String csv) {
        List<List<String>> rows = dev.teardown.TestCsv.parse(csv);
        int file = rows.get(0).indexOf("file");
        List<List<String>> out = new java.util.ArrayList<>();
        for (List<String> row : rows) {
            List<String> r = new java.util.ArrayList<>(row);
            r.remove(file);
            out.add(r);
        }
        out.sort(java.util.Comparator.comparing(Object::toString));
        return out;
    }
}
