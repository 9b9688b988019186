package dev.teardown.metrics;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
}
