package dev.teardown.answer;

import dev.teardown.report.Printf;
import dev.teardown.http.CloseReason;
import dev.teardown.report.HalfClosedFigures;
import dev.teardown.report.HttpFigures;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The findings of a capture, ranked: each rule looks at the summary's and the TIME_WAIT stage's figures and says
 * something only when the figures support it (no finding is better than a wrong one). The rules and their
 * thresholds are listed in docs/output.md, "Findings"; the facts behind them in docs/rules.md.
 */
public final class Findings {
    /** Findings kept: the first ones by rank. */
    static final int MAX = 12;
    /** A side "holds" an endpoint's TIME_WAIT when it entered at least this share of it. */
    static final double HOLDS_SHARE = 0.5;
    /** Fewer TIME_WAIT entries than this at an endpoint say nothing about its traffic. */
    static final long MIN_ENTRIES = 10;
    /** A close reason "causes" the server's TIME_WAIT when it is behind at least this share of it. */
    static final double CAUSE_SHARE = 0.5;
    /** Port pressure worth a finding: the peak held this share of the ephemeral range. */
    static final double PORT_SHARE_WARN = 0.25;
    /** TIME_WAIT buckets worth a finding: the host's peak reached this share of {@code tcp_max_tw_buckets}. */
    static final double BUCKETS_SHARE_WARN = 0.5;
    /**
     * A CLOSE-WAIT still running when last seen says the application did not close only when it had this long: a
     * capture that stops milliseconds after a peer's FIN leaves a CLOSE-WAIT the application was about to end.
     */
    static final long MIN_CLOSE_WAIT_RUNNING_NANOS = 1_000_000_000L;
    /** The FIN-WAIT-2 finding needs one at least this long: a peer that took seconds to send its FIN. */
    static final long MIN_FIN_WAIT2_NANOS = 5_000_000_000L;

    private Findings() {}

    /** The ranked findings of a capture whose summary is {@code s} and TIME_WAIT figures {@code tw}. */
    public static List<Finding> of(SummaryFigures s, Optional<TimeWaitFigures> tw) {
        List<Finding> all = new ArrayList<>();
        long twSeconds = tw.map(t -> t.timeWaitNanos() / 1_000_000_000L).orElse(60L);
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            Optional<TimeWaitFigures.EndpointRow> row = tw.flatMap(t -> endpointRow(t, e.endpoint()));
            serverHolds(e, row, tw).ifPresent(all::add);
            clientsHold(e, row).ifPresent(all::add);
            idleTimeoutAlignment(e, twSeconds, tw.map(TimeWaitFigures::whatIf).orElse(List.of())).ifPresent(all::add);
            closeWaitNotClosed(e).ifPresent(all::add);
        }
        tw.ifPresent(t -> {
            for (TimeWaitFigures.PortPressure p : t.ports()) portPressure(p, t).ifPresent(all::add);
            for (TimeWaitFigures.HostRow h : t.hosts()) buckets(h, t).ifPresent(all::add);
            for (dev.teardown.timewait.ClockFigures.Row r : t.clocks().rows()) natClocks(r).ifPresent(all::add);
            for (dev.teardown.timewait.ProxyRow p : t.proxies()) proxy(p, t).ifPresent(all::add);
        });
        twReuse(s, tw).ifPresent(all::add);
        finTimeout(s.halfClosed(), twSeconds).ifPresent(all::add);
        all.sort(Comparator.comparing(Finding::severity).thenComparing(f -> -f.weight()).thenComparing(Finding::id)
            .thenComparing(Finding::subject));
        return List.copyOf(all.subList(0, Math.min(MAX, all.size())));
    }

    /** The server endpoint holds most of its TIME_WAIT itself: why, from the close reasons, and the lever. */
    private static Optional<Finding> serverHolds(SummaryFigures.Endpoint e, Optional<TimeWaitFigures.EndpointRow> row,
                                                 Optional<TimeWaitFigures> tw) {
        long total = e.serverTimeWait() + e.clientTimeWait();
        if (total < MIN_ENTRIES || e.serverTimeWait() < HOLDS_SHARE * total) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("server_time_wait", e.serverTimeWait());
        ev.put("client_time_wait", e.clientTimeWait());
        row.ifPresent(r -> {
            ev.put("time_wait_server_peak", r.server().value());
            ev.put("time_wait_server_peak_at", dev.teardown.report.Times.iso(r.server().atNanos()));
            double steady = tw.get().steadyState(r.enteredServer());
            // Not known (too few closes, too short a capture): left out rather than written as 0.
            if (!Double.isNaN(steady)) ev.put("steady_state_estimate", round(steady));
        });
        String why = "";
        String lever = "Letting clients close first would move this TIME_WAIT to them (each then holds a port of its"
            + " ephemeral range); fewer, longer-lived connections would shrink it.";
        if (e.http().isPresent() && e.http().get().serverTimeWait() > 0) {
            HttpFigures h = e.http().get();
            ev.put("http_connections", h.connections());
            ev.put("requests_per_connection_mean", round(h.meanRequests()));
            long idle = h.serverTimeWaitByReason().getOrDefault(CloseReason.SERVER_IDLE_TIMEOUT, 0L);
            long asked = h.serverTimeWaitByReason().getOrDefault(CloseReason.CLIENT_REQUESTED_CLOSE, 0L)
                + h.serverTimeWaitByReason().getOrDefault(CloseReason.HTTP10_CLOSE, 0L);
            long budget = h.serverTimeWaitByReason().getOrDefault(CloseReason.SERVER_CLOSE_ANNOUNCED, 0L)
                + h.serverTimeWaitByReason().getOrDefault(CloseReason.SERVER_GOAWAY, 0L);
            long notify = h.serverTimeWaitByReason().getOrDefault(CloseReason.CLIENT_CLOSE_NOTIFY, 0L)
                + h.serverTimeWaitByReason().getOrDefault(CloseReason.CLIENT_GOAWAY, 0L);
            for (Map.Entry<CloseReason, Long> r : h.serverTimeWaitByReason().entrySet()) {
                ev.put("reason_" + r.getKey().label().replace('-', '_'), r.getValue());
            }
            long n = h.serverTimeWait();
            if (idle >= CAUSE_SHARE * n) {
                String after = h.idleCloses().map(i -> Printf.format(" after ~%.1f s", i.medianNanos() / 1e9))
                    .orElse("");
                why = Printf.format(" %d%% of it follows the server closing idle keep-alive connections%s"
                    + " (%.1f requests per connection).", pct(idle, n), after, h.meanRequests());
                lever = "A longer keep-alive idle timeout lets returning clients reuse their connection instead of"
                    + " opening a new one (see the what-if); letting clients close first would move the TIME_WAIT to"
                    + " them.";
            } else if (asked >= CAUSE_SHARE * n) {
                why = Printf.format(" %d%% of it follows clients asking to close (Connection: close or"
                    + " HTTP/1.0 without keep-alive): the server closes as RFC 9112 section 9.6 says, and pays.",
                    pct(asked, n));
                lever = "Clients that keep connections alive (HTTP/1.1 without Connection: close) would open fewer"
                    + " connections; the server's settings cannot change who closes here.";
            } else if (notify >= CAUSE_SHARE * n) {
                why = Printf.format(" %d%% of it follows clients ending the connection with TLS"
                    + " close_notify or an HTTP/2 GOAWAY: the server closes its side on reading it, before the client's"
                    + " FIN arrives.", pct(notify, n));
                lever = "Clients that keep their connections for more requests would close fewer; who sends the first"
                    + " FIN after a close_notify is a race that a server closing at once (nginx) wins.";
            } else if (budget >= CAUSE_SHARE * n) {
                why = Printf.format(" %d%% of it follows the server announcing Connection: close (HTTP/2:"
                    + " GOAWAY) to clients that asked to persist (a request budget, errors, or shutdown).", pct(budget, n));
                lever = "A larger per-connection request budget (nginx keepalive_requests, lighttpd"
                    + " server.max-keep-alive-requests) would close fewer connections.";
            }
        }
        String text = Printf.format("The server %s holds %d%% of its connections' TIME_WAIT (%,d of %,d"
            + " closes leaving TIME_WAIT).%s", e.endpoint(), pct(e.serverTimeWait(), total), e.serverTimeWait(), total, why);
        return Optional.of(new Finding("server-holds-time-wait", Finding.Severity.CAUSE, e.endpoint(), text, lever, ev,
            e.serverTimeWait()));
    }

    /** The clients of an endpoint close first and hold its connections' TIME_WAIT. */
    private static Optional<Finding> clientsHold(SummaryFigures.Endpoint e, Optional<TimeWaitFigures.EndpointRow> row) {
        long total = e.serverTimeWait() + e.clientTimeWait();
        // Strictly more than half: at an even split the server holds as much, and server-holds-time-wait says so.
        if (total < MIN_ENTRIES || e.clientTimeWait() <= HOLDS_SHARE * total) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("server_time_wait", e.serverTimeWait());
        ev.put("client_time_wait", e.clientTimeWait());
        row.ifPresent(r -> ev.put("time_wait_client_peak", r.client().value()));
        String text = Printf.format("Clients of %s close first and hold %d%% of its connections'"
            + " TIME_WAIT (%,d of %,d): the server holds little.", e.endpoint(), pct(e.clientTimeWait(), total),
            e.clientTimeWait(), total);
        return Optional.of(new Finding("clients-hold-time-wait", Finding.Severity.NOTE, e.endpoint(), text,
            "Nothing to change on the server for TIME_WAIT; on busy clients each TIME_WAIT holds an ephemeral port"
                + " toward this endpoint (see port pressure).", ev, e.clientTimeWait()));
    }

    /**
     * An endpoint that closes idle connections: aligning its idle timeout with TIME_WAIT changes nothing; what
     * changing it would do is the what-if's (the observed row against the longest timeout tried).
     */
    private static Optional<Finding> idleTimeoutAlignment(SummaryFigures.Endpoint e, long twSeconds,
                                                          List<dev.teardown.timewait.WhatIfRow> whatIf) {
        if (e.http().isEmpty() || e.http().get().idleCloses().isEmpty()) return Optional.empty();
        HttpFigures.IdleCloses idle = e.http().get().idleCloses().get();
        if (idle.count() < MIN_ENTRIES) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("idle_closes", idle.count());
        ev.put("idle_before_close_median_s", round(idle.medianNanos() / 1e9));
        ev.put("time_wait_s", twSeconds);
        String text = Printf.format("%s closes idle keep-alive connections after ~%.1f s (%,d times)."
            + " Aligning that timeout with the %d s TIME_WAIT would change nothing by itself: the idle timeout ends an"
            + " established connection, TIME_WAIT begins only after the close, and the two never overlap.",
            e.endpoint(), idle.medianNanos() / 1e9, idle.count(), twSeconds);
        String lever = "What the idle timeout does change is how many connections close.";
        List<dev.teardown.timewait.WhatIfRow> rows = whatIf.stream()
            .filter(r -> Findings.endpoint(r.serverIp(), r.serverPort()).equals(e.endpoint())).toList();
        Optional<dev.teardown.timewait.WhatIfRow> observed = rows.stream().filter(dev.teardown.timewait.WhatIfRow::observed)
            .findFirst();
        Optional<dev.teardown.timewait.WhatIfRow> longest = rows.stream().filter(r -> !r.observed())
            .max(Comparator.comparingLong(dev.teardown.timewait.WhatIfRow::idleTimeoutNanos));
        if (observed.isPresent() && longest.isPresent()) {
            dev.teardown.timewait.WhatIfRow o = observed.get();
            dev.teardown.timewait.WhatIfRow l = longest.get();
            ev.put("observed_connections", o.connections());
            ev.put("observed_time_wait_server_peak", o.timeWaitServerPeak());
            ev.put("what_if_idle_timeout_s", round(l.idleTimeoutSeconds()));
            ev.put("what_if_connections", l.connections());
            ev.put("what_if_time_wait_server_peak", l.timeWaitServerPeak());
            lever = Printf.format("With a %.0f s idle timeout this capture's clients would have opened"
                + " %,d connections instead of %,d, and the server would have held at most %,d in TIME_WAIT within it instead of"
                + " %,d (what-if; its assumptions are in docs/output.md).", l.idleTimeoutSeconds(), l.connections(),
                o.connections(), l.timeWaitServerPeak(), o.timeWaitServerPeak());
        }
        return Optional.of(new Finding("idle-timeout-not-time-wait", Finding.Severity.MYTH, e.endpoint(), text,
            lever, ev, idle.count()));
    }

    /** Connections left in CLOSE-WAIT: an application that does not close its socket. */
    private static Optional<Finding> closeWaitNotClosed(SummaryFigures.Endpoint e) {
        HalfClosedFigures h = e.halfClosed();
        if (h.closeWaitRunning() == 0 || h.closeWaitRunningMaxNanos() < MIN_CLOSE_WAIT_RUNNING_NANOS) {
            return Optional.empty();
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("close_wait", h.closeWait());
        ev.put("close_wait_running", h.closeWaitRunning());
        ev.put("close_wait_running_max_s", round(h.closeWaitRunningMaxNanos() / 1e9));
        // The running ones' longest, not every CLOSE-WAIT's: one that ended says nothing about those still open.
        String text = Printf.format("%,d connections of %s were still in CLOSE-WAIT when last seen (up to"
            + " %.1f s): the peer had closed, but the application on the other side had not closed its socket.",
            h.closeWaitRunning(), e.endpoint(), h.closeWaitRunningMaxNanos() / 1e9);
        return Optional.of(new Finding("close-wait-not-closed", Finding.Severity.CAUSE, e.endpoint(), text,
            "If the peer's FIN ended the exchange, the application there missed close() after reading end-of-stream (the"
                + " kernel never times CLOSE-WAIT out); a server still sending after a client's half-close is fine.",
            ev, h.closeWaitRunning()));
    }

    /** A client address held a large share of its ephemeral ports in TIME_WAIT toward one endpoint. */
    private static Optional<Finding> portPressure(TimeWaitFigures.PortPressure p, TimeWaitFigures t) {
        int ports = t.limits().ports();
        long peak = p.timeWait().value();
        if (peak < PORT_SHARE_WARN * ports) return Optional.empty();
        String endpoint = endpoint(p.serverIp(), p.serverPort());
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("time_wait_client_peak", peak);
        ev.put("time_wait_client_peak_at", dev.teardown.report.Times.iso(p.timeWait().atNanos()));
        ev.put("ephemeral_ports", (long) ports);
        ev.put("sustainable_new_connections_per_s", round(t.sustainableRate()));
        ev.put("reuse_accepted", p.reuseAccepted());
        ev.put("reuse_refused", p.reuseRefused());
        boolean severe = peak >= 0.75 * ports || p.reuseRefused() > 0;
        String text = Printf.format("Client %s held %,d ports in TIME_WAIT toward %s at peak: %d%% of its"
            + " %,d ephemeral ports (%d-%d%s). Closing first, it can open about %.0f new connections per second to"
            + " that endpoint before running out.", p.clientIp(), peak, endpoint, pct(peak, ports), ports,
            t.limits().portLow(), t.limits().portHigh(), t.limits().portRangeGiven() ? "" : ", Linux's default, assumed",
            t.sustainableRate());
        return Optional.of(new Finding("client-port-pressure", severe ? Finding.Severity.LIMIT : Finding.Severity.CAUSE,
            p.clientIp() + " -> " + endpoint, text, "On that client: keep connections alive (fewer new ones), widen"
                + " net.ipv4.ip_local_port_range, or set net.ipv4.tcp_tw_reuse=1 (outgoing connections may reuse a"
                + " TIME_WAIT tuple after 1 s when TCP timestamps prove it safe).", ev, peak));
    }

    /**
     * A reverse proxy: the host is the server of its clients and the client of upstreams. Its two TIME_WAIT
     * populations answer to different levers: tcp_tw_reuse only to the outbound one.
     */
    private static Optional<Finding> proxy(dev.teardown.timewait.ProxyRow p, TimeWaitFigures t) {
        long outbound = p.enteredAsClient();
        if (outbound + p.enteredAsServer() == 0) return Optional.empty();
        int ports = t.limits().ports();
        TimeWaitFigures.PortPressure busiest = p.upstreams().get(0);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("inbound_time_wait", p.enteredAsServer());
        ev.put("inbound_time_wait_peak", p.asServer().value());
        ev.put("outbound_time_wait", outbound);
        ev.put("outbound_time_wait_peak", p.asClient().value());
        ev.put("upstreams", (long) p.upstreams().size());
        ev.put("busiest_upstream_peak", busiest.timeWait().value());
        ev.put("ephemeral_ports", (long) ports);
        String inbound = String.join(", ", p.inbound().stream().map(e -> endpoint(e.ip(), e.port())).toList());
        String text = Printf.format("%s is a proxy: the server of its clients (%s) and the client of %d"
            + " upstream endpoint%s. As a server it entered %,d TIME_WAITs (peak %,d); as a client %,d (peak %,d), the"
            + " busiest upstream %s holding %,d of its %,d ephemeral ports at peak (%d%%). tcp_tw_reuse acts on the"
            + " outbound side only: it lets connect() to an upstream reuse a TIME_WAIT tuple after 1 s when TCP"
            + " timestamps prove it safe; the inbound TIME_WAIT stays.", p.ip(), inbound, p.upstreams().size(),
            p.upstreams().size() == 1 ? "" : "s", p.enteredAsServer(), p.asServer().value(), outbound,
            p.asClient().value(), endpoint(busiest.serverIp(), busiest.serverPort()), busiest.timeWait().value(), ports,
            pct(busiest.timeWait().value(), ports));
        return Optional.of(new Finding("proxy-time-wait", Finding.Severity.NOTE, p.ip(), text, "Outbound: keep upstream"
            + " connections alive (nginx: proxy_http_version 1.1, proxy_set_header Connection \"\", an upstream keepalive"
            + " pool), then net.ipv4.tcp_tw_reuse (Linux's default 2 covers loopback only; 1 covers all outgoing"
            + " connections) or a wider ip_local_port_range. Inbound: who closes and how often (see the server"
            + " findings); no sysctl lowers it.", ev, outbound + p.enteredAsServer()));
    }

    /** A host's TIME_WAIT peak came near {@code tcp_max_tw_buckets}. */
    private static Optional<Finding> buckets(TimeWaitFigures.HostRow h, TimeWaitFigures t) {
        long peak = h.total().value();
        long max = t.limits().maxTwBuckets();
        // A capture shorter than one TIME_WAIT never sees the population settle: its steady state says more.
        double steady = t.spanNanos() < t.timeWaitNanos()
            ? t.steadyState(h.enteredAsServer() + h.enteredAsClient()) : Double.NaN;
        boolean bySteady = !Double.isNaN(steady) && steady > peak;
        long level = bySteady ? Math.round(steady) : peak;
        if ((bySteady ? steady : peak) < BUCKETS_SHARE_WARN * max) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("time_wait_peak", peak);
        ev.put("time_wait_peak_at", dev.teardown.report.Times.iso(h.total().atNanos()));
        if (bySteady) ev.put("steady_state_estimate", round(steady));
        ev.put("max_tw_buckets", max);
        String held = bySteady
            ? Printf.format("would hold about %,d sockets in TIME_WAIT at this close rate (%,d seen at peak in"
                + " a capture shorter than one TIME_WAIT)", level, peak)
            : Printf.format("held %,d sockets in TIME_WAIT at peak", peak);
        String text = Printf.format("Host %s %s: %d%% of tcp_max_tw_buckets (%,d%s). Above it the"
            + " kernel destroys new TIME_WAIT sockets at once (\"time wait bucket table overflow\"), and their tuples"
            + " lose TIME_WAIT's protection.", h.ip(), held, pct(level, max), max,
            t.limits().maxTwBucketsGiven() ? "" : ", assumed; read yours with sysctl net.ipv4.tcp_max_tw_buckets");
        return Optional.of(new Finding("time-wait-buckets", Finding.Severity.LIMIT, h.ip(), text,
            "Raise net.ipv4.tcp_max_tw_buckets (a TIME_WAIT socket costs a few hundred bytes), or close fewer"
                + " connections on this host.", ev, level));
    }

    /**
     * Several TCP timestamp clocks behind one client address (NAT, or several hosts): the clients
     * {@code tcp_tw_recycle} broke. Not said when the sender randomises its offset per connection, where the clock
     * count tells nothing about hosts.
     */
    private static Optional<Finding> natClocks(dev.teardown.timewait.ClockFigures.Row r) {
        // Every connection on a clock already held, each clock shared by several: hosts, not per-connection offsets.
        if (r.clocks() < 2 || r.clockPerConnection() || r.unplaced() > 0 || 2 * r.clocks() > r.connections()) {
            return Optional.empty();
        }
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("clocks", (long) r.clocks());
        ev.put("connections", r.connections());
        ev.put("tw_recycle_would_drop", r.recycleDrops());
        String text = Printf.format("Client address %s sends to %s with %d independent TCP timestamp"
            + " clocks: several hosts behind one address (NAT). tcp_tw_recycle would have dropped %,d of its SYNs;"
            + " it was removed in Linux 4.12 for exactly this.", r.client(), r.server(), r.clocks(), r.recycleDrops());
        return Optional.of(new Finding("clients-behind-nat", Finding.Severity.NOTE, r.client() + " -> " + r.server(),
            text, "On a kernel older than 4.12, keep net.ipv4.tcp_tw_recycle at 0; nothing to do on newer ones.", ev,
            r.connections()));
    }

    /** Much server-held TIME_WAIT: tcp_tw_reuse would not touch it. */
    private static Optional<Finding> twReuse(SummaryFigures s, Optional<TimeWaitFigures> tw) {
        long server = 0;
        long client = 0;
        for (SummaryFigures.Endpoint e : s.endpoints().rows()) {
            server += e.serverTimeWait();
            client += e.clientTimeWait();
        }
        if (server < MIN_ENTRIES || server <= HOLDS_SHARE * (server + client)) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("server_time_wait", server);
        ev.put("client_time_wait", client);
        String text = Printf.format("Most TIME_WAIT here is held by servers (%,d of %,d closes leaving"
            + " TIME_WAIT). net.ipv4.tcp_tw_reuse would not lower it: it lets outgoing connections (connect()) reuse a"
            + " TIME_WAIT tuple, and a server's TIME_WAIT comes from inbound ones. tcp_tw_recycle, which did touch"
            + " them, broke clients behind NAT and was removed in Linux 4.12.", server, server + client);
        return Optional.of(new Finding("tw-reuse-outgoing-only", Finding.Severity.MYTH, "capture", text,
            "Change who closes or how often (see the findings above), not these settings.", ev, server));
    }

    /** FIN-WAIT-2 seen: tcp_fin_timeout bounds it for orphans; it is not TIME_WAIT's length. */
    private static Optional<Finding> finTimeout(HalfClosedFigures h, long twSeconds) {
        // Brief FIN-WAIT-2s (the peer's FIN a moment after its ACK) are every close's; only long ones make anyone
        // reach for tcp_fin_timeout.
        if (h.finWait2() < MIN_ENTRIES || h.finWait2MaxNanos() < MIN_FIN_WAIT2_NANOS) return Optional.empty();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("fin_wait2", h.finWait2());
        ev.put("fin_wait2_max_s", round(h.finWait2MaxNanos() / 1e9));
        ev.put("fin_wait2_over_fin_timeout", h.finWait2OverFinTimeout());
        String text = Printf.format("%,d connections went through FIN-WAIT-2 (the closer waiting for the"
            + " peer's FIN), the longest %.1f s, %,d of them %d s or more. net.ipv4.tcp_fin_timeout bounds that state"
            + " for orphaned sockets only; it does not shorten TIME_WAIT, which stays %d s.", h.finWait2(),
            h.finWait2MaxNanos() / 1e9, h.finWait2OverFinTimeout(), HalfClosedFigures.FIN_TIMEOUT_NANOS / 1_000_000_000L,
            twSeconds);
        return Optional.of(new Finding("fin-timeout-not-time-wait", Finding.Severity.MYTH, "capture", text,
            "Lowering tcp_fin_timeout only frees orphaned FIN-WAIT-2 sockets sooner.", ev, h.finWait2()));
    }

    private static Optional<TimeWaitFigures.EndpointRow> endpointRow(TimeWaitFigures t, String endpoint) {
        return t.endpoints().stream().filter(r -> endpoint(r.ip(), r.port()).equals(endpoint)).findFirst();
    }

    /** {@code ip:port}, or {@code [ip]:port} for IPv6, as the summary names endpoints. */
    static String endpoint(String ip, int port) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    private static long pct(long part, long whole) {
        return whole == 0 ? 0 : Math.round(100.0 * part / whole);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
