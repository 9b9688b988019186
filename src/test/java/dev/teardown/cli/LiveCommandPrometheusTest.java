package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code teardown live --metrics} scraped by a real Prometheus server (Debian's {@code prometheus} package) during a
 * capture of real sockets on loopback: what Prometheus stores, queried through its HTTP API, equals the kernel's
 * TIME_WAIT sockets ({@code ss}), the CSV written at the end and teardown's own summary. Needs root and the package
 * (skipped otherwise, except under CI=true, where it must run). Nothing waits a guessed time: each step waits for what
 * it can observe, with deadlines only a failure reaches.
 */
class LiveCommandPrometheusTest {
    private static final long DEADLINE_SECONDS = 60;
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final int SERVER_CLOSES = 30;
    private static final int CLIENT_CLOSES = 10;
    private static final Pattern METRICS_AT = Pattern.compile("metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static void await(String what, BooleanSupplier done, Runnable poke) {
        long start = System.nanoTime();
        while (true) {
            poke.run();
            if (done.getAsBoolean()) return;
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS)) fail("never saw " + what);
            LockSupport.parkNanos(50_000_000L); // pacing between looks, not a guess of how long anything takes
        }
    }

    /** One value of an instant query, by the labels asked for, joined by a space. */
    private static Map<String, Double> query(int port, String promql, String... labels) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("success", body.get("status").asText(), r.body());
            Map<String, Double> out = new TreeMap<>();
            for (JsonNode series : body.get("data").get("result")) {
                StringBuilder key = new StringBuilder();
                for (String l : labels) key.append(key.length() == 0 ? "" : " ").append(series.get("metric").path(l).asText());
                out.put(key.toString(), series.get("value").get(1).asDouble());
            }
            return out;
        } catch (IOException e) {
            return Map.of(); // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** TIME_WAIT sockets of the kernel now, by side of {@code port}: "server" (local port) and "client" (peer port). */
    private static Map<String, Long> ssTimeWait(int port) throws Exception {
        Process p = new ProcessBuilder("ss", "-tanH", "state", "time-wait").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, Long> sides = new TreeMap<>(Map.of("client", 0L, "server", 0L));
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) continue;
            if (f[2].endsWith(":" + port)) sides.merge("server", 1L, Long::sum);
            if (f[3].endsWith(":" + port)) sides.merge("client", 1L, Long::sum);
        }
        return sides;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Serves HTTP/1.0 (the server closes first) to the first connections, then HTTP/1.1 (the client closes first). */
    private static Thread serve(ServerSocket server) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < SERVER_CLOSES + CLIENT_CLOSES; i++) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[200]);
                    boolean http10 = i < SERVER_CLOSES;
                    s.getOutputStream().write(((http10 ? "HTTP/1.0" : "HTTP/1.1") + " 200 OK\r\nContent-Length: 2\r\n\r\nok")
                        .getBytes(StandardCharsets.US_ASCII));
                    if (!http10) {
                        while (in.read() >= 0) { } // the client closes first
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-server");
        t.start();
        return t;
    }

    private static void request(int port, boolean http10) throws IOException {
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            c.getOutputStream().write((http10 ? "GET / HTTP/1.0\r\n\r\n" : "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            InputStream in = c.getInputStream();
            byte[] response = new byte[200];
            int n = 0;
            // HTTP/1.0: until the server's close; HTTP/1.1: the whole response (Content-Length 2), then close first.
            while (n < response.length) {
                int r = in.read(response, n, response.length - n);
                if (r < 0) break;
                n += r;
                if (!http10 && new String(response, 0, n, StandardCharsets.US_ASCII).endsWith("\r\n\r\nok")) break;
            }
        }
    }

    @Tag("root")
    @Test
    void prometheusScrapingTheCaptureStoresTheKernelsTimeWaitAndTheClosesTheCsvHas(@TempDir Path dir) throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeTrue("root".equals(System.getProperty("user.name")), "live capture needs root");
            assumeTrue(Files.isExecutable(PROMETHEUS), "Debian's prometheus package");
        }
        Path csv = dir.resolve("live.csv");
        Path pcap = dir.resolve("live.pcap");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Process prometheus = null;
        try (ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CommandLine cl = TeardownCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            LiveCommand command = cl.getSubcommands().get("live").getCommand();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cl.execute("live", "-i", "lo", "-f",
                "tcp port " + port + " or udp port " + probe.getLocalPort(), "--duration", "600", "--csv", csv.toString(),
                "--write", pcap.toString(), "--metrics", "127.0.0.1:0"));
            try {
                await("the metrics address on stderr", () -> METRICS_AT.matcher(err.toString()).find(), () -> { });
                Matcher at = METRICS_AT.matcher(err.toString());
                assertTrue(at.find());
                int metricsPort = Integer.parseInt(at.group(1));
                byte[] ping = {1};
                await("a probe in " + pcap, () -> pcap.toFile().length() > 24, () -> {
                    try {
                        probe.send(new DatagramPacket(ping, 1, probe.getLocalSocketAddress()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });

                // A real Prometheus server scraping teardown every second, on its own port and storage.
                int promPort = freePort();
                Path config = Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                    "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s", "scrape_configs:",
                    "  - job_name: teardown", "    static_configs:", "      - targets: ['127.0.0.1:" + metricsPort + "']", ""));
                prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
                await("teardown scraped by Prometheus", () -> query(promPort, "up{job=\"teardown\"}").containsValue(1.0),
                    () -> { });

                Thread serving = serve(server);
                for (int i = 0; i < SERVER_CLOSES + CLIENT_CLOSES; i++) request(port, i < SERVER_CLOSES);
                serving.join();
                int all = SERVER_CLOSES + CLIENT_CLOSES;
                await("every close in Prometheus", () -> query(promPort, "sum(teardown_closes_total)")
                    .getOrDefault("", 0.0) == all, () -> { });
                // Every connection is in TIME_WAIT now and for most of a minute more, in the kernel and in the model.
                Map<String, Double> byServer = query(promPort, "teardown_time_wait", "server", "side");
                Map<String, Long> kernel = ssTimeWait(port);
                Map<String, Double> bySide = query(promPort, "sum by (side) (teardown_time_wait)", "side");
                assertEquals(Map.of("client", (double) CLIENT_CLOSES, "server", (double) SERVER_CLOSES), bySide,
                    "kernel " + kernel + ", series " + byServer);
                assertEquals(Map.of("client", (long) CLIENT_CLOSES, "server", (long) SERVER_CLOSES), kernel);
                assertEquals((double) SERVER_CLOSES, byServer.get("127.0.0.1:" + port + " server"),
                    "the endpoint is named: " + byServer);
                assertEquals(Map.of("", 1.0), query(promPort, "teardown_time_wait_partial"),
                    "younger than one TIME_WAIT: the figures may miss TIME_WAIT begun before the capture");
                assertEquals(Map.of("", 0.0), query(promPort, "teardown_pcap_dropped_total"));
                Map<String, Double> closes = query(promPort, "sum by (initiator, reason) (teardown_closes_total)",
                    "initiator", "reason");

                command.stop();
                assertEquals(0, run.get(DEADLINE_SECONDS, TimeUnit.SECONDS), err.toString());
                // The CSV written at the end: the same closes, by initiator and reason, and the same TIME_WAIT holders.
                List<List<String>> rows = dev.teardown.TestCsv.parse(Files.readString(csv));
                List<String> header = rows.get(0);
                Map<String, Double> written = new TreeMap<>();
                Map<String, Double> holders = new TreeMap<>();
                for (List<String> row : rows.subList(1, rows.size())) {
                    String type = row.get(header.indexOf("close_type"));
                    if (type.equals("none") || type.equals("fin-incomplete")) continue;
                    written.merge(row.get(header.indexOf("close_initiator")) + " " + row.get(header.indexOf("close_reason")),
                        1.0, Double::sum);
                    holders.merge(row.get(header.indexOf("time_wait_side")), 1.0, Double::sum);
                }
                assertEquals(written, closes);
                assertEquals(Map.of("client " + "client-close", (double) CLIENT_CLOSES,
                    "server http10-close", (double) SERVER_CLOSES), closes);
                assertEquals(holders, bySide);
                // And teardown's own summary says the same.
                assertTrue(out.toString().contains(String.format("TIME_WAIT held by  client %d, server %d",
                    CLIENT_CLOSES, SERVER_CLOSES)), out.toString());
            } finally {
                command.stop();
                run.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            if (prometheus != null) {
                prometheus.destroy(); // SIGTERM to its PID
                if (!prometheus.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) prometheus.destroyForcibly();
            }
        }
    }
}
