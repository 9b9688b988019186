package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tshark's TLS dissector, which shares no code with teardown, against the TLS columns of every golden CSV: per
 * connection (by client port), the ClientHello's {@code tls.handshake.extensions_server_name} and
 * {@code tls.handshake.extensions_alpn_str} must be the golden's {@code sni} and {@code alpn}, the ServerHello's
 * ALPN its {@code alpn_selected}; the versions ({@code supported_version} first, else {@code tls.handshake.version})
 * its {@code tls_version} and {@code tls_offered}; and resumption (TLS 1.3: the ServerHello's pre_shared_key
 * extension, 41; earlier: the ServerHello's session id equal to the ClientHello's non-empty one) its
 * {@code tls_resumed}. Connections tshark finds no hello on must have empty TLS hello columns.
 *
 * <p>Needs {@code /usr/bin/tshark}; skipped where it is absent, except under CI (CI=true), where it fails.
 */
class TlsTsharkTest {
    private static final String[] FIELDS = {"tcp.srcport", "tcp.dstport", "tls.handshake.type",
        "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.handshake.extensions.supported_version", "tls.handshake.version", "tls.handshake.extension.type",
        "tls.handshake.session_id"};

    /** What tshark read of one connection's hellos. */
    private static final class Hellos {
        String sni = "";
        String alpn = "";
        String offered = "";
        String clientSession = "";
        String selected = "";
        String version = "";
        String resumed = "";
    }

    @TestFactory
    Stream<DynamicTest> everyGoldensHelloColumnsAgreeWithTsharksTlsDissector() throws IOException {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isExecutable(TsharkView.TSHARK), "needs tshark (apt-get install tshark)");
        }
        List<Path> captures = SampleGoldenTest.captures();
        long tls = captures.stream().filter(p -> p.getFileName().toString().startsWith("tls-")).count();
        assertTrue(tls >= 3, "the HTTPS samples are there: " + tls);
        return captures.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Map<String, Hellos> seen = hellos(p);
            int compared = 0;
            for (Map<String, String> cell : TsharkOracleTest.rows(SampleGoldenTest.sibling(p, ".csv"))) {
                Hellos h = seen.getOrDefault(cell.get("client_port"), new Hellos());
                String where = p + " client port " + cell.get("client_port") + " ";
                assertEquals(h.sni, cell.get("sni"), where + "sni");
                assertEquals(h.alpn, cell.get("alpn"), where + "alpn");
                assertEquals(h.offered, cell.get("tls_offered"), where + "tls_offered");
                assertEquals(h.selected, cell.get("alpn_selected"), where + "alpn_selected");
                assertEquals(h.version, cell.get("tls_version"), where + "tls_version");
                assertEquals(h.resumed, cell.get("tls_resumed"), where + "tls_resumed");
                if (!h.offered.isEmpty()) compared++;
            }
            if (p.getFileName().toString().startsWith("tls-")) {
                assertFalse(seen.isEmpty(), "tshark found hellos in " + p);
                assertEquals(seen.size(), compared, "every connection tshark saw a ClientHello on is a golden row");
            }
            System.out.printf("%s: %d TLS connections agree with tshark%n", p, compared);
        }));
    }

    /** tshark's hellos of {@code capture}, by client port (the captures have one server port each). */
    private static Map<String, Hellos> hellos(Path capture) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TsharkView.TSHARK.toString(), "-n", "-r", capture.toString(),
            "-Y", "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields", "-E", "separator=/t",
            "-E", "aggregator=|"));
        for (String f : FIELDS) {
            command.add("-e");
            command.add(f);
        }
        Map<String, Hellos> byPort = new LinkedHashMap<>();
        for (String[] f : TsharkView.fields(command)) {
            List<String> types = List.of(f[2].split("\\|"));
            if (types.contains("1")) {
                Hellos h = byPort.computeIfAbsent(f[0], k -> new Hellos());
                h.sni = f[3];
                h.alpn = f[4].replace('|', ',');
                h.offered = version(f[5].isEmpty() ? f[6] : highest(f[5]));
                h.clientSession = f[8];
            } else if (types.contains("2")) {
                Hellos h = byPort.computeIfAbsent(f[1], k -> new Hellos());
                h.selected = f[4];
                h.version = version(f[5].isEmpty() ? f[6] : f[5]);
                boolean psk = List.of(f[7].split("\\|")).contains("41");
                h.resumed = Boolean.toString(h.version.equals("1.3") ? psk
                    : !h.clientSession.isEmpty() && h.clientSession.equals(f[8]));
            }
        }
        return byPort;
    }

    private static String highest(String versions) {
        int best = -1;
        for (String v : versions.split("\\|")) {
            int n = Integer.decode(v);
            boolean grease = (n & 0x0f0f) == 0x0a0a && (n >> 8) == (n & 0xff);
            if (!grease) best = Math.max(best, n);
        }
        return String.format(Locale.ROOT, "0x%04x", best);
    }

    private static String version(String hex) {
        return switch (Integer.decode(hex)) {
            case 0x0300 -> "ssl3";
            case 0x0301 -> "1.0";
            case 0x0302 -> "1.1";
            case 0x0303 -> "1.2";
            case 0x0304 -> "1.3";
            default -> hex;
        };
    }
}
