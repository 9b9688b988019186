package dev.teardown.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics endpoint: served over HTTP on the address given, on a free port for port 0, until closed. */
class MetricsServerTest {
    @Test
    void servesTheMetricsAtSlashMetricsOnAFreePortAndStopsWhenClosed() throws Exception {
        LiveMetrics metrics = new LiveMetrics();
        int port;
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            metrics)) {
            port = server.port();
            assertTrue(port > 0);
            String body = Scrape.get(port);
            assertTrue(body.contains("# TYPE teardown_time_wait_partial gauge"), body);
            assertTrue(Scrape.samples(body).contains("teardown_packets_total 0.0"), body);
        }
        int closed = port;
        assertThrows(IOException.class, () -> Scrape.get(closed));
    }

    @Test
    void anAddressInUseFailsToStart() throws Exception {
        try (MetricsServer first = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new LiveMetrics())) {
            assertThrows(IOException.class, () -> MetricsServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), first.port()), new LiveMetrics()));
        }
    }

    @Test
    void everyFormatPrometheusMayAskForIsServedProtobufIncluded() throws Exception {
        // Prometheus with native histograms asks for protobuf first: without the client's protobuf writer (its
        // exposition-formats jar) the scrape would fail with a 500, not fall back to text.
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new LiveMetrics())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (String accept : List.of(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                    + "text/plain;version=0.0.4;q=0.3",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
                "text/plain;version=0.0.4")) {
                java.net.http.HttpResponse<byte[]> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).header("Accept", accept).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), accept);
                String type = r.headers().firstValue("Content-Type").orElse("");
                assertTrue(type.startsWith(accept.substring(0, accept.indexOf(';'))), accept + " gave " + type);
            }
        }
    }
}
