package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
class KernelTruthTest {

    @Test
    void everyConnectionsTimeWaitSideMatchesTheKernel(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = List.of("/usr/sbin/nginx", "/usr/bin/tcpdump", "/usr/bin/curl", "/usr/bin/ss")
            .stream().allMatch(p -> Files.isExecutable(Path.of(p)));
        if (!ci) assumeTrue(root && tools, "needs root, nginx, tcpdump, curl and ss (run .ci/run's installs)");

        Process p = new ProcessBuilder("bash", "scripts/kernel-truth.sh", dir.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("script.log").toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String log = Files.readString(dir.resolve("script.log"), StandardCharsets.UTF_8);
        assertTrue(done && p.exitValue() == 0, "kernel-truth.sh failed:\n" + log);

        String csv = SampleGoldenTest.analyse(dir.resolve("capture.pcap"));
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
}
