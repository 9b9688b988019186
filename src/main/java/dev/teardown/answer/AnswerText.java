package dev.teardown.answer;

import dev.teardown.report.Printf;
import dev.teardown.capture.PacketTime;
import dev.teardown.report.Safe;
import dev.teardown.report.Times;
import dev.teardown.timewait.Peak;
import dev.teardown.timewait.Series;
import dev.teardown.timewait.TimeWaitFigures;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The terminal summary's answer blocks: "TIME_WAIT over time" (peaks per host and server endpoint, a text
 * sparkline, tuple reuse, limits) and "Findings" (docs/output.md, "Terminal summary"). Populations are "in
 * TIME_WAIT at peak"; cumulative counts are "closes leaving TIME_WAIT".
 */
public final class AnswerText {
    /** Rows shown per table. */
    static final int ROWS = 8;
    /** Sparkline levels, lowest first: plain ASCII, so any terminal and any locale shows them. */
    private static final String LEVELS = " .:-=+*#%@";

    private AnswerText() {}

    /** Writes the "TIME_WAIT over time" block of {@code t}. */
    public static void printTimeWait(PrintWriter out, TimeWaitFigures t) {
        if (t.hosts().isEmpty() && t.reuse().accepted() + t.reuse().refused() == 0) return;
        out.println();
        out.println(Printf.format("TIME_WAIT over time (in TIME_WAIT at instants %s s apart; TIME_WAIT = %d s)",
            Printf.trimZeros(Times.seconds(t.stepNanos())), t.timeWaitNanos() / 1_000_000_000L));
        if (!t.hosts().isEmpty()) {
            out.println(Printf.format("  %-28s %-30s %-30s %s", "host", "as server: peak (mean)",
                "as client: peak (mean)", "closes leaving TIME_WAIT, steady state"));
            for (TimeWaitFigures.HostRow h : t.hosts().subList(0, Math.min(ROWS, t.hosts().size()))) {
                long entered = h.enteredAsServer() + h.enteredAsClient();
                double steady = t.steadyState(entered);
                out.println(Printf.format("  %-28s %-30s %-30s %,d, %s", Safe.text(h.ip()),
                    peak(h.asServer()), peak(h.asClient()), entered,
                    Double.isNaN(steady) ? "-" : Printf.format("~%,.0f", steady)));
            }
        }
        for (dev.teardown.timewait.ProxyRow p : t.proxies()) {
            StringBuilder up = new StringBuilder();
            for (TimeWaitFigures.PortPressure u : p.upstreams()) {
                if (up.length() > 0) up.append(", ");
                up.append(Findings.endpoint(u.serverIp(), u.serverPort())).append(' ').append(u.timeWait().value())
                    .append(" (").append(share(u.timeWait().value(), t.limits().ports())).append(" of ports)");
            }
            out.println(Printf.format("  proxy %s: inbound (as server) peak %,d, %,d closes; outbound (as"
                + " client) peak %,d, %,d closes, toward %s; tcp_tw_reuse acts on the outbound side only",
                Safe.text(p.ip()), p.asServer().value(), p.enteredAsServer(), p.asClient().value(), p.enteredAsClient(),
                Safe.text(up.toString())));
        }
        if (!t.endpoints().isEmpty()) {
            out.println(Printf.format("  %-28s %-7s %-30s %s", "server endpoint", "side", "peak (mean)",
                "shape over the capture"));
            int shown = 0;
            for (TimeWaitFigures.EndpointRow e : t.endpoints()) {
                if (shown++ == ROWS) break;
                String name = Safe.text(Findings.endpoint(e.ip(), e.port()));
                if (e.server().value() > 0) {
                    out.println(Printf.format("  %-28s %-7s %-30s |%s|", name, "server", peak(e.server()),
                        sparkline(e.serverShape())));
                }
                if (e.client().value() > 0) {
                    out.println(Printf.format("  %-28s %-7s %-30s |%s|", name, "client", peak(e.client()),
                        sparkline(e.clientShape())));
                }
            }
        }
        if (PacketTime.isSet(t.firstNanos())) {
            out.println("  TIME_WAIT that began before the capture is not visible: figures before "
                + Times.iso(t.firstNanos() + t.timeWaitNanos()) + " (one TIME_WAIT after the start) may be low; peaks"
                + " there are marked *");
        }
        TimeWaitFigures.Reuse r = t.reuse();
        if (r.accepted() + r.refused() > 0) {
            double mean = 0;
            for (TimeWaitFigures.HostRow h : t.hosts()) mean += h.total().mean();
            out.println(Printf.format("  tuple reuse: %,d SYNs met a tuple in TIME_WAIT, %,d accepted, %,d"
                + " refused; they cut %,.1f s of TIME_WAIT short: the mean population was %,.1f, and %,.1f without them",
                r.accepted() + r.refused(), r.accepted(), r.refused(), r.cutNanos() / 1e9, mean,
                mean + t.meanLoweredByReuse()));
        }
        dev.teardown.timewait.ClockFigures c = t.clocks();
        if (c.timestampSyns() > 0) {
            long perConnection = c.rows().stream().filter(dev.teardown.timewait.ClockFigures.Row::clockPerConnection).count();
            out.println(Printf.format("  TCP timestamp clocks: %,d client/server address pairs, %,d with"
                + " several clocks%s; tcp_tw_recycle (removed in Linux 4.12) would have dropped %,d of %,d SYNs",
                c.pairs(), c.pairsWithSeveralClocks(), perConnection == 0 ? "" : Printf.format(
                    " (%,d of the busiest with a clock per connection: offsets randomised per connection, not hosts)",
                    perConnection), c.recycleDrops(), c.syns()));
        }
        TimeWaitFigures.Limits l = t.limits();
        long hostPeak = t.hosts().isEmpty() ? 0 : t.hosts().get(0).total().value();
        long pairPeak = t.ports().isEmpty() ? 0 : t.ports().get(0).timeWait().value();
        out.println(Printf.format("  limits: tcp_max_tw_buckets %,d%s, highest host peak %,d (%s);"
            + " ephemeral ports %d-%d%s, highest client peak toward one endpoint %,d (%s), about %.0f new connections/s"
            + " sustainable", l.maxTwBuckets(), l.maxTwBucketsGiven() ? "" : " (assumed)", hostPeak,
            share(hostPeak, l.maxTwBuckets()), l.portLow(), l.portHigh(), l.portRangeGiven() ? "" : " (assumed)",
            pairPeak, share(pairPeak, l.ports()), t.sustainableRate()));
    }

    /** Writes the idle-timeout what-if table, when an endpoint closed idle keep-alive connections. */
    public static void printWhatIf(PrintWriter out, List<dev.teardown.timewait.WhatIfRow> rows) {
        if (rows.isEmpty()) return;
        out.println();
        out.println("Idle-timeout what-if (a client's next connection within T of its last activity reuses its idle one;"
            + " other closes unchanged; docs/output.md)");
        out.println(Printf.format("  %-28s %-16s %11s %9s %-24s %s", "server endpoint", "idle timeout T",
            "connections", "closes", "server TIME_WAIT peak", "if clients closed first: moved peak, busiest client"));
        for (dev.teardown.timewait.WhatIfRow r : rows) {
            out.println(Printf.format("  %-28s %-16s %,11d %,9d %-24s %,d, %,d (%.1f%% of ports)",
                Safe.text(Findings.endpoint(r.serverIp(), r.serverPort())),
                Printf.format("%.1f s%s", r.idleTimeoutSeconds(), r.observed() ? " observed" : ""),
                r.connections(), r.closes(), Printf.format("%,d (mean %.1f)", r.timeWaitServerPeak(),
                    r.timeWaitServerMean()), r.movedPeak(), r.clientPeak(), 100 * r.clientPortShare()));
        }
    }

    /** Writes the "Findings" block: each finding, its evidence and its lever. */
    public static void printFindings(PrintWriter out, List<Finding> findings) {
        out.println();
        if (findings.isEmpty()) {
            out.println("Findings: none (no figure of this capture reached a finding's threshold)");
            return;
        }
        out.println("Findings");
        int n = 1;
        for (Finding f : findings) {
            out.println(Printf.format("  %d. [%s] %s", n++, f.severity().label(), Safe.text(f.text())));
            StringBuilder ev = new StringBuilder();
            for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
                if (ev.length() > 0) ev.append(", ");
                ev.append(e.getKey()).append(' ').append(Finding.format(e.getValue()));
            }
            out.println("     evidence: " + Safe.text(ev.toString()));
            out.println("     lever: " + Safe.text(f.lever()));
        }
    }

    private static String peak(Peak p) {
        if (p.value() == 0) return "0";
        return Printf.format("%,d%s at %s (%.1f)", p.value(), p.partial() ? "*" : "",
            Times.clock(p.atNanos()), p.mean());
    }

    /** The shape as one character per bucket, scaled to its own highest value. */
    static String sparkline(Series s) {
        if (s == null) return "";
        long[] max = s.values();
        long top = 0;
        for (long v : max) top = Math.max(top, v);
        StringBuilder b = new StringBuilder(max.length);
        for (long v : max) {
            int level = top == 0 || v == 0 ? 0 : (int) Math.max(1, Math.round((double) v * (LEVELS.length() - 1) / top));
            b.append(LEVELS.charAt(level));
        }
        return b.toString();
    }

    private static String share(long part, long whole) {
        return whole == 0 ? "-" : Printf.format("%.1f%%", 100.0 * part / whole);
    }
}
