package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.RealTraffic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tunnel: scripts/tunnel-truth.sh joins two network namespaces with Linux VXLAN devices (VNI 42 and 43),
 * runs nginx and curl through them and captures the underlay, where every TCP packet is inside VXLAN. Each
 * connection must be found with its inner endpoints, its tunnel named, and its TIME-WAIT holder as the kernel's
 * {@code ss} showed it on either side.
 *
 * <p>Needs root, the vxlan module, nginx, curl and tcpdump; skipped where they are missing, except under CI.
 */
@Tag("root")
class TunnelTruthTest {

    @Test
    void everyConnectionInsideVxlanIsFoundNamedAndAgreesWithTheKernel(@TempDir Path dir) throws Exception {
        RealTraffic.assumeRootAnd("/usr/sbin/nginx", "/usr/bin/tcpdump", "/usr/bin/curl", "/usr/bin/ss");
        String log = RealTraffic.runScript(dir.resolve("script.log"), Map.of(), 60, "tunnel-truth.sh", dir.toString());
        String csv = SampleGoldenTest.analyse(dir.resolve("capture.pcap"));
        for (String column : List.of("time_wait_side", "tunnel")) {
            Map<String, String> expected = SampleGoldenTest.expectations(dir.resolve("expect.txt"), column);
            assertFalse(expected.isEmpty(), "the script recorded connections:\n" + log);
            Map<String, List<String>> actual = SampleGoldenTest.columnByClientPort(csv, column);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                List<String> values = actual.get(e.getKey());
                assertTrue(values != null, "teardown found the connection from client port " + e.getKey() + ":\n" + csv);
                assertEquals(e.getValue(), values.get(values.size() - 1), column + ", client port " + e.getKey()
                    + "; ss said:\n" + Files.readString(dir.resolve("ss.txt")));
            }
        }
        assertTrue(SampleGoldenTest.columnByClientPort(csv, "client_ip").values().stream().flatMap(List::stream)
            .allMatch(ip -> ip.startsWith("10.4")), "inner (overlay) addresses, never the underlay's:\n" + csv);
    }
}
