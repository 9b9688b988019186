package dev.teardown.metrics;

import dev.teardown.capture.LiveCapture;
import dev.teardown.report.LiveEndpoints;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus metrics of a live capture (docs/output.md, "Metrics"), in a registry of their own: per capture,
 * packets, libpcap's counts, evictions and connections held; per server endpoint (the busiest, the rest summed as
 * {@code server="other"}), connections open, in TIME_WAIT by side, closes by initiator and reason, resets, tuple
 * reuse and the inferred idle timeout.
 *
 * <p>The capture thread {@link #publish publishes} a {@link Reading} once per status sample, made from the values
 * the live status shows; a scrape renders the latest one. So a scrape never touches the pipeline, and nothing is
 * done per packet. Memory: one reading, of at most the named endpoints' rows.
 */
public final class LiveMetrics {
    /**
     * The capture at one sample.
     *
     * @param packets frames read
     * @param pcap libpcap's own counts
     * @param evictions connections written out early because the table was full
     * @param held connections held now (open, or waiting out TIME_WAIT)
     * @param written connections written out (rows)
     * @param partial whether TIME_WAIT begun before the capture may still be running unseen: the capture is younger
     *     than one TIME_WAIT
     * @param endpoints the named endpoints' rows, then {@link LiveEndpoints#OTHER}'s
     * @param idleTimeoutSeconds per named endpoint ({@code ip:port}), the idle time after which it closes keep-alive
     *     connections, as the summary infers it; endpoints without one are absent
     */
    public record Reading(long packets, LiveCapture.Stats pcap, long evictions, long held, long written,
                          boolean partial, List<LiveEndpoints.Row> endpoints, Map<String, Double> idleTimeoutSeconds) {
        /** Before the first sample: nothing read. */
        public static final Reading NONE = new Reading(0, new LiveCapture.Stats(0, 0, 0), 0, 0, 0, true, List.of(),
            Map.of());
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private volatile Reading latest = Reading.NONE;

    /** The metrics, registered, showing {@link Reading#NONE} until the first {@link #publish}. */
    public LiveMetrics() {
        counter("teardown_packets", "Packets read from the capture.", Reading::packets);
        counter("teardown_pcap_received", "Packets libpcap received (ps_recv; about twice the packets read on a "
            + "loopback device, which hands each packet over leaving and arriving).", r -> r.pcap().received());
        counter("teardown_pcap_dropped", "Packets libpcap dropped: its buffer was full (ps_drop).",
            r -> r.pcap().dropped());
        counter("teardown_pcap_interface_dropped", "Packets the interface or its driver dropped (ps_ifdrop).",
            r -> r.pcap().interfaceDropped());
        counter("teardown_evictions", "Connections written out early because the table was full "
            + "(--max-connections): TIME_WAIT figures are minimums from the first one on.", Reading::evictions);
        counter("teardown_connections_written", "Connections written out (rows of --csv and --json).",
            Reading::written);
        gauge("teardown_connections_held", "Connections teardown holds now: open, or waiting out TIME_WAIT.",
            Reading::held);
        gauge("teardown_time_wait_partial", "1 while the capture is younger than one TIME_WAIT length: "
            + "teardown_time_wait misses the TIME_WAIT that began before the capture; 0 after.",
            r -> r.partial() ? 1 : 0);
        GaugeWithCallback.builder().name("teardown_connections_open")
            .help("Connections open now per server endpoint: both sides have spoken, neither has sent a FIN or RST.")
            .labelNames("server")
            .callback(cb -> rows(row -> cb.call(row.open(), row.server())))
            .register(registry);
        GaugeWithCallback.builder().name("teardown_time_wait")
            .help("Connections in TIME_WAIT now per server endpoint and side holding it (a simultaneous close counts "
                + "on both sides); during the first TIME_WAIT length of the capture it misses TIME_WAIT that began "
                + "before the capture (see teardown_time_wait_partial).")
            .labelNames("server", "side")
            .callback(cb -> rows(row -> {
                cb.call(row.timeWaitClient(), row.server(), "client");
                cb.call(row.timeWaitServer(), row.server(), "server");
            }))
            .register(registry);
        CounterWithCallback.builder().name("teardown_closes")
            .help("Connections closed (both FINs, or a RST) per server endpoint, by the side that closed first "
                + "(both: the FINs crossed) and close_reason, counted since the endpoint got its own series.")
            .labelNames("server", "initiator", "reason")
            .callback(cb -> rows(row -> {
                for (LiveEndpoints.Close c : row.closes()) {
                    cb.call(c.count(), row.server(), c.initiator().label(), c.reason().label());
                }
            }))
            .register(registry);
        CounterWithCallback.builder().name("teardown_resets")
            .help("Connections a RST ended (before or after a FIN) per server endpoint: of teardown_closes_total.")
            .labelNames("server")
            .callback(cb -> rows(row -> cb.call(row.resets(), row.server())))
            .register(registry);
        CounterWithCallback.builder().name("teardown_tuple_reuse")
            .help("New connections per server endpoint whose SYN met their 4-tuple still in TIME_WAIT.")
            .labelNames("server")
            .callback(cb -> rows(row -> cb.call(row.tupleReuses(), row.server())))
            .register(registry);
        GaugeWithCallback.builder().name("teardown_idle_timeout_seconds").unit(Unit.SECONDS)
            .help("The idle time after which the server endpoint closes keep-alive connections, as the summary infers "
                + "it (the median idle time before its server-idle-timeout closes), from the connections written out.")
            .labelNames("server")
            .callback(cb -> latest.idleTimeoutSeconds().forEach((server, seconds) -> cb.call(seconds, server)))
            .register(registry);
    }

    /** Makes {@code r} what the next scrapes show; from the capture thread, once per sample. */
    public void publish(Reading r) {
        latest = Objects.requireNonNull(r);
    }

    /** The registry the metrics are in, for the HTTP server (and tests). */
    public PrometheusRegistry registry() {
        return registry;
    }

    private void rows(Consumer<LiveEndpoints.Row> each) {
        for (LiveEndpoints.Row row : latest.endpoints()) each.accept(row);
    }

    private void counter(String name, String help, ToDoubleFunction<Reading> value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(latest)))
            .register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<Reading> value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.applyAsDouble(latest)))
            .register(registry);
    }
}
