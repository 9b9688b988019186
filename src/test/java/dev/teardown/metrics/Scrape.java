package dev.teardown.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads a metrics endpoint as Prometheus does: an HTTP GET of /metrics, in the text format. */
final class Scrape {
    private Scrape() {}

    /** The body of {@code http://127.0.0.1:port/metrics}. */
    static String get(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).header("Accept", "text/plain; version=0.0.4").build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
        return r.body();
    }

    /** The sample lines (not comments) of {@code body}. */
    static List<String> samples(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\n")) if (!line.isEmpty() && !line.startsWith("#")) out.add(line);
        return out;
    }
}
