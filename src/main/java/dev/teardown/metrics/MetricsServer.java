package dev.teardown.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The HTTP endpoint Prometheus scrapes ({@code teardown live --metrics ADDR:PORT}): the official client's exporter,
 * serving {@link LiveMetrics} at {@code /metrics} on its own threads, until {@link #close}.
 */
public final class MetricsServer implements Closeable {
    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** Listens on {@code address} (port 0: any free port; see {@link #port}); throws when it cannot bind. */
    public static MetricsServer start(InetSocketAddress address, LiveMetrics metrics) throws IOException {
        return new MetricsServer(HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
            .registry(metrics.registry()).buildAndStart());
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    /** Stops listening; a scrape under way is cut. */
    @Override
    public void close() {
        server.close();
    }
}
