package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tshark's HTTP/2 dissector, which shares no code with teardown, against the HTTP/2 columns of every golden CSV: per
 * cleartext HTTP/2 connection (by client port), the requests (client HEADERS frames on new odd stream ids, plus
 * tshark's HTTP/1.1 request that asked for {@code Upgrade: h2c}, less the streams the server refused: reset with
 * {@code http2.rst_stream.error} REFUSED_STREAM, or above its GOAWAY's last stream id) must be the golden's
 * {@code http_requests}, the
 * server's frames with END_STREAM on odd streams its {@code http_responses}, and the first GOAWAY (sender,
 * {@code http2.goaway.last_stream_id}, {@code http2.goaway.error}) its {@code goaway}. Prior-knowledge connections
 * are decoded with {@code -d tcp.port==PORT,http2}; upgraded ones by tshark's HTTP dissector following the 101.
 *
 * <p>Needs {@code /usr/bin/tshark}; skipped where it is absent, except under CI (CI=true), where it fails.
 */
class H2TsharkTest {
    private static final String[] ERRORS = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
        "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
        "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

    /** What tshark read of one connection's frames. */
    private static final class Streams {
        long requests;
        long responses;
        int highest;
        String goaway = "";
        /** Client streams opened and not yet ended or reset, and the lowest last stream id of the server's GOAWAYs. */
        final Set<Integer> open = new TreeSet<>();
        int serverLast = Integer.MAX_VALUE;
    }

    @TestFactory
    Stream<DynamicTest> everyGoldensHttp2ColumnsAgreeWithTsharksHttp2Dissector() throws IOException {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isExecutable(TsharkView.TSHARK), "needs tshark (apt-get install tshark)");
        }
        List<Path> captures = SampleGoldenTest.captures().stream()
            .filter(p -> p.getFileName().toString().startsWith("h2c-")).toList();
        assertTrue(captures.size() >= 3, "the h2c samples are there: " + captures);
        return captures.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            List<Map<String, String>> rows = TsharkOracleTest.rows(SampleGoldenTest.sibling(p, ".csv"));
            List<Map<String, String>> h2 = rows.stream()
                .filter(r -> r.get("http_version").equals("2") && r.get("tls_version").isEmpty()).toList();
            assertFalse(h2.isEmpty(), "HTTP/2 connections in " + p);
            Set<String> priorKnowledgePorts = new TreeSet<>();
            Set<String> serverPorts = new HashSet<>();
            for (Map<String, String> r : h2) {
                serverPorts.add(r.get("server_port"));
                if (!r.get("req_connection").contains("upgrade")) priorKnowledgePorts.add(r.get("server_port"));
            }
            Map<String, Streams> seen = streams(p, priorKnowledgePorts, serverPorts);
            for (Map<String, String> r : h2) {
                String port = r.get("client_port");
                Streams s = seen.get(port);
                String where = p + " client port " + port + " ";
                assertTrue(s != null, where + "tshark saw HTTP/2");
                assertEquals(Long.toString(s.requests), r.get("http_requests"), where + "http_requests");
                assertEquals(Long.toString(s.responses), r.get("http_responses"), where + "http_responses");
                assertEquals(s.goaway, r.get("goaway"), where + "goaway");
            }
            assertEquals(h2.size(), seen.size(), "every connection tshark saw HTTP/2 on is an HTTP/2 golden row");
            System.out.printf("%s: %d HTTP/2 connections agree with tshark%n", p, h2.size());
        }));
    }

    /** tshark's frames of {@code capture}, by client port (a side is the server when its port is a server port). */
    private static Map<String, Streams> streams(Path capture, Set<String> priorKnowledgePorts, Set<String> servers)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TsharkView.TSHARK.toString(), "-n", "-r", capture.toString()));
        for (String port : priorKnowledgePorts) {
            command.add("-d");
            command.add("tcp.port==" + port + ",http2");
        }
        command.addAll(List.of("-Y", "http2 || http.request", "-T", "fields", "-E", "separator=/t", "-E",
            "aggregator=|", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "http2.type", "-e", "http2.streamid",
            "-e", "http2.flags", "-e", "http2.goaway.last_stream_id", "-e", "http2.goaway.error", "-e",
            "http.request", "-e", "http2.rst_stream.error"));
        Map<String, Streams> byPort = new LinkedHashMap<>();
        for (String[] f : TsharkView.fields(command)) {
            boolean fromClient = !servers.contains(f[0]);
            Streams s = byPort.computeIfAbsent(fromClient ? f[0] : f[1], k -> new Streams());
            if (fromClient && f[7].equals("1")) {
                s.requests++; // the HTTP/1.1 request that asked for Upgrade: h2c; HTTP/2's stream 1 answers it
                s.highest = Math.max(s.highest, 1);
                s.open.add(1);
            }
            if (f[2].isEmpty()) continue;
            String[] types = f[2].split("\\|");
            String[] ids = f[3].split("\\|");
            String[] flags = f[4].split("\\|");
            int goaways = 0;
            int resets = 0;
            for (int i = 0; i < types.length; i++) {
                int type = Integer.parseInt(types[i]);
                int id = Integer.parseInt(ids[i]);
                int fl = Integer.decode(flags[i]);
                if (type == 1 && fromClient && id % 2 == 1 && id > s.highest) {
                    s.requests++;
                    s.highest = id;
                    if (id > s.serverLast) s.requests--; // it crossed the server's GOAWAY: refused
                    else s.open.add(id);
                }
                if ((type == 0 || type == 1) && !fromClient && id % 2 == 1 && (fl & 1) != 0) {
                    s.responses++;
                    s.open.remove(id);
                }
                if (type == 3) {
                    int code = Integer.parseInt(f[8].split("\\|")[resets++]);
                    if (s.open.remove(id) && !fromClient && code == 7) s.requests--; // REFUSED_STREAM: not processed
                }
                if (type == 7 && !fromClient) {
                    s.serverLast = Math.min(s.serverLast, Integer.parseInt(f[5].split("\\|")[goaways]));
                    for (java.util.Iterator<Integer> it = s.open.iterator(); it.hasNext(); ) {
                        if (it.next() > s.serverLast) {
                            it.remove();
                            s.requests--; // above the GOAWAY's last stream id: refused
                        }
                    }
                }
                if (type == 7) {
                    if (s.goaway.isEmpty()) {
                        int code = Integer.parseInt(f[6].split("\\|")[goaways]);
                        s.goaway = (fromClient ? "client" : "server") + ":" + f[5].split("\\|")[goaways] + ":"
                            + (code < ERRORS.length ? ERRORS[code] : String.format(Locale.ROOT, "0x%x", code));
                    }
                    goaways++;
                }
            }
        }
        return byPort;
    }
}
