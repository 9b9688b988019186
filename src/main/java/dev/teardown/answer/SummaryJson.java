package dev.teardown.answer;

import dev.teardown.report.CaptureTotals;
import dev.teardown.report.Column;
import dev.teardown.report.HalfClosedFigures;
import dev.teardown.report.HttpFigures;
import dev.teardown.report.JsonWriter;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.Peak;
import dev.teardown.timewait.Series;
import dev.teardown.timewait.SeriesFigures;
import dev.teardown.timewait.TimeWaitFigures;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The summary as one JSON object ({@code --summary-json}): everything the terminal summary says, typed, for
 * scripts (docs/output.md, "Summary JSON"). Member names are stable; later versions only add members.
 */
public final class SummaryJson {
    private SummaryJson() {}

    /** The JSON object of one run named {@code title}, on one line. */
    public static String of(String title, SummaryFigures s, CaptureTotals totals, Optional<TimeWaitFigures> tw,
                            List<Finding> findings) {
        JsonWriter w = new JsonWriter().beginObject();
        w.field("format_version", Column.FORMAT_VERSION).field("title", title);
        capture(w, totals);
        connections(w, s);
        endpoints(w, s);
        halfClosed(w.name("half_closed"), s.halfClosed());
        tw.ifPresent(t -> timeWait(w, t));
        w.name("findings").beginArray();
        for (Finding f : findings) finding(w, f);
        w.endArray();
        w.name("notes").beginArray();
        for (CaptureTotals.Note n : totals.notes()) w.beginObject().field("label", n.label()).field("text", n.text()).endObject();
        w.endArray();
        w.name("warnings").beginArray();
        for (String line : totals.warnings()) w.value(line);
        w.endArray();
        return w.endObject().toString();
    }

    private static void capture(JsonWriter w, CaptureTotals t) {
        w.name("capture").beginObject().field("packets", t.packets()).field("tcp_segments", t.tcpSegments());
        w.name("first_packet").time(t.firstNanos()).name("last_packet").time(t.lastNanos());
        counts(w.name("skipped"), t.skipped());
        counts(w.name("malformed"), t.malformed());
        w.field("peak_connections_held", t.peakConnections());
        counts(w.name("tunnels"), t.tunnels());
        w.endObject();
    }

    private static void connections(JsonWriter w, SummaryFigures s) {
        w.name("connections").beginObject().field("total", s.connections()).field("tuple_reuse", s.tupleReuses())
            .field("begun_before_capture", s.begunBeforeCapture());
        w.name("close_type").beginObject();
        s.closeTypes().forEach((k, n) -> w.field(k.label(), n));
        w.endObject().name("close_initiator").beginObject();
        s.closeInitiators().forEach((k, n) -> w.field(k.label(), n));
        w.endObject().name("closes_leaving_time_wait").beginObject();
        s.timeWaitHolders().forEach((k, n) -> w.field(k.label(), n));
        w.endObject().name("anomalies").beginObject();
        s.anomalies().forEach((k, n) -> w.field(k.name(), n));
        s.httpAnomalies().forEach((k, n) -> w.field(k.name(), n));
        w.endObject().name("close_reason").beginObject();
        s.closeReasons().forEach((k, n) -> w.field(k.label(), n));
        w.endObject().endObject();
    }

    private static void endpoints(JsonWriter w, SummaryFigures s) {
        SummaryFigures.EndpointTable t = s.endpoints();
        w.name("server_endpoints").beginObject().field("exact", t.exact()).field("distinct_at_most", t.enteredAtMost());
        w.name("rows").beginArray();
        for (SummaryFigures.Endpoint e : t.rows().subList(0, Math.min(TimeWaitFigures.TOP, t.rows().size()))) {
            w.beginObject().field("endpoint", e.endpoint()).field("connections", e.connections())
                .field("uncounted_at_most", e.errorBound()).field("closes_leaving_time_wait_server", e.serverTimeWait())
                .field("closes_leaving_time_wait_client", e.clientTimeWait());
            halfClosed(w.name("half_closed"), e.halfClosed());
            if (e.http().isPresent()) http(w.name("http"), e.http().get());
            w.endObject();
        }
        w.endArray().endObject();
    }

    private static void http(JsonWriter w, HttpFigures h) {
        w.beginObject().field("connections", h.connections()).field("requests_mean", h.meanRequests(), 3)
            .field("requests_p50", h.p50Requests()).field("requests_p90", h.p90Requests())
            .field("requests_max", h.maxRequests()).field("tls_connections", h.tlsConnections());
        w.name("advertised_keep_alive_timeout_s");
        if (h.advertisedKeepAliveTimeout().isPresent()) w.value(h.advertisedKeepAliveTimeout().getAsInt());
        else w.value((String) null);
        w.name("idle_closes");
        if (h.idleCloses().isPresent()) {
            HttpFigures.IdleCloses i = h.idleCloses().get();
            w.beginObject().field("count", i.count()).field("sampled", i.sampled());
            w.name("p10_s").seconds(i.p10Nanos()).name("median_s").seconds(i.medianNanos()).name("p90_s").seconds(i.p90Nanos());
            w.endObject();
        } else {
            w.value((String) null);
        }
        w.field("closes_leaving_time_wait_server", h.serverTimeWait()).name("server_time_wait_by_reason").beginObject();
        h.serverTimeWaitByReason().forEach((k, n) -> w.field(k.label(), n));
        w.endObject().name("requests_histogram").beginArray();
        for (HttpFigures.RequestsBin b : h.requestsHistogram()) {
            w.beginObject().field("from", b.from()).field("to", b.to()).field("connections", b.connections()).endObject();
        }
        w.endArray().name("idle_before_close_histogram").beginArray();
        for (HttpFigures.IdleBin b : h.idleHistogram()) {
            w.beginObject().name("from_s").seconds(b.fromNanos()).name("to_s");
            if (b.toNanos() == Long.MAX_VALUE) w.value((String) null);
            else w.seconds(b.toNanos());
            w.field("closed_by_server", b.serverClosed()).field("closed_by_client", b.clientClosed()).endObject();
        }
        w.endArray().endObject();
    }

    private static void halfClosed(JsonWriter w, HalfClosedFigures h) {
        w.beginObject().field("fin_wait2", h.finWait2()).field("fin_wait2_over_fin_timeout", h.finWait2OverFinTimeout())
            .name("fin_wait2_max_s").seconds(h.finWait2MaxNanos()).field("close_wait", h.closeWait())
            .field("close_wait_running", h.closeWaitRunning()).name("close_wait_max_s").seconds(h.closeWaitMaxNanos())
            .name("close_wait_running_max_s").seconds(h.closeWaitRunningMaxNanos()).endObject();
    }

    private static void timeWait(JsonWriter w, TimeWaitFigures t) {
        w.name("time_wait").beginObject().name("time_wait_s").seconds(t.timeWaitNanos()).name("step_s").seconds(t.stepNanos());
        w.name("visible_from").time(dev.teardown.capture.PacketTime.isSet(t.firstNanos())
            ? t.firstNanos() + t.timeWaitNanos() : t.firstNanos());
        w.name("hosts").beginArray();
        for (TimeWaitFigures.HostRow h : t.hosts()) {
            w.beginObject().field("ip", h.ip());
            peak(w.name("as_server"), h.asServer());
            peak(w.name("as_client"), h.asClient());
            peak(w.name("total"), h.total());
            long entered = h.enteredAsServer() + h.enteredAsClient();
            w.field("closes_leaving_time_wait_as_server", h.enteredAsServer())
                .field("closes_leaving_time_wait_as_client", h.enteredAsClient())
                .field("steady_state_estimate", t.steadyState(entered), 3).endObject();
        }
        w.endArray().name("server_endpoints").beginArray();
        for (TimeWaitFigures.EndpointRow e : t.endpoints()) {
            w.beginObject().field("server_ip", e.ip()).field("server_port", e.port());
            peak(w.name("time_wait_server"), e.server());
            peak(w.name("time_wait_client"), e.client());
            w.field("closes_leaving_time_wait_server", e.enteredServer())
                .field("closes_leaving_time_wait_client", e.enteredClient())
                .field("steady_state_estimate_server", t.steadyState(e.enteredServer()), 3)
                .field("steady_state_estimate_client", t.steadyState(e.enteredClient()), 3);
            shape(w.name("shape_server"), e.serverShape());
            shape(w.name("shape_client"), e.clientShape());
            w.endObject();
        }
        w.endArray().name("client_port_pressure").beginArray();
        for (TimeWaitFigures.PortPressure p : t.ports()) {
            w.beginObject().field("client_ip", p.clientIp()).field("server_ip", p.serverIp())
                .field("server_port", p.serverPort());
            peak(w.name("time_wait_client"), p.timeWait());
            w.field("port_share_at_peak", (double) p.timeWait().value() / t.limits().ports(), 4)
                .field("closes_leaving_time_wait", p.entered()).field("reuse_accepted", p.reuseAccepted())
                .field("reuse_refused", p.reuseRefused()).endObject();
        }
        w.endArray();
        TimeWaitFigures.Limits l = t.limits();
        w.name("limits").beginObject().field("max_tw_buckets", l.maxTwBuckets())
            .field("max_tw_buckets_assumed", !l.maxTwBucketsGiven()).field("port_low", l.portLow())
            .field("port_high", l.portHigh()).field("port_range_assumed", !l.portRangeGiven())
            .field("sustainable_new_connections_per_s", t.sustainableRate(), 3).endObject();
        TimeWaitFigures.Reuse r = t.reuse();
        w.name("tuple_reuse").beginObject().field("accepted", r.accepted()).field("refused", r.refused())
            .name("cut_short_s").seconds(r.cutNanos()).field("mean_population_lowered_by", t.meanLoweredByReuse(), 3)
            .endObject();
        w.field("keys_forgotten", t.forgotten());
        clocks(w.name("timestamp_clocks"), t.clocks());
        series(w.name("series"), t.series());
        w.endObject();
        whatIf(w, t.whatIf());
    }

    /** The what-if as the top-level list {@code what_if}: one object per endpoint and timeout, observed included. */
    private static void whatIf(JsonWriter w, List<dev.teardown.timewait.WhatIfRow> rows) {
        w.name("what_if").beginArray();
        for (dev.teardown.timewait.WhatIfRow r : rows) {
            w.beginObject().field("server_ip", r.serverIp()).field("server_port", r.serverPort())
                .name("idle_timeout_s").seconds(r.idleTimeoutNanos()).field("observed", r.observed())
                .field("connections", r.connections()).field("closes", r.closes())
                .field("time_wait_server_peak", r.timeWaitServerPeak())
                .field("time_wait_server_mean", r.timeWaitServerMean(), 3)
                .field("moved_peak", r.movedPeak()).field("left_peak", r.leftPeak())
                .field("client_peak", r.clientPeak()).field("client_ports", r.clientPorts())
                .field("client_port_share", r.clientPortShare(), 4).name("since").time(r.sinceNanos())
                .endObject();
        }
        w.endArray();
    }

    private static void clocks(JsonWriter w, dev.teardown.timewait.ClockFigures c) {
        w.beginObject().field("pairs", c.pairs()).field("pairs_with_several_clocks", c.pairsWithSeveralClocks())
            .field("syns", c.syns()).field("timestamp_syns", c.timestampSyns())
            .field("tw_recycle_would_drop", c.recycleDrops()).field("untracked_syns", c.untrackedSyns())
            .name("rows").beginArray();
        for (dev.teardown.timewait.ClockFigures.Row r : c.rows()) {
            w.beginObject().field("client_ip", r.client()).field("server_ip", r.server()).field("syns", r.syns())
                .field("timestamp_syns", r.timestampSyns()).field("connections", r.connections())
                .field("clocks", r.clocks()).field("unplaced", r.unplaced())
                .field("clock_per_connection", r.clockPerConnection()).field("tw_recycle_would_drop", r.recycleDrops())
                .name("first_syn").time(r.firstNanos()).name("last_syn").time(r.lastNanos()).endObject();
        }
        w.endArray().endObject();
    }

    /** The timeline downsampled for charts: closes by who closed, and the busiest endpoints' populations. */
    private static void series(JsonWriter w, SeriesFigures s) {
        w.beginObject();
        series(w.name("closes_client"), s.closesClient());
        series(w.name("closes_server"), s.closesServer());
        series(w.name("closes_both"), s.closesBoth());
        series(w.name("resets"), s.resets());
        w.name("endpoints").beginArray();
        for (SeriesFigures.EndpointSeries e : s.endpoints()) {
            w.beginObject().field("server_ip", e.ip()).field("server_port", e.port()).field("complete", e.complete());
            series(w.name("time_wait_server"), e.server());
            series(w.name("time_wait_client"), e.client());
            w.endObject();
        }
        w.endArray().endObject();
    }

    private static void series(JsonWriter w, Series s) {
        w.beginObject().name("start").time(s.originNanos()).name("bucket_s").seconds(s.bucketNanos()).name("values")
            .beginArray();
        for (long v : s.values()) w.value(v);
        w.endArray().endObject();
    }

    private static void peak(JsonWriter w, Peak p) {
        w.beginObject().field("peak", p.value()).name("at").time(p.atNanos()).field("mean", p.mean(), 3)
            .field("partial", p.partial()).endObject();
    }

    private static void shape(JsonWriter w, Series s) {
        if (s == null) {
            w.value((String) null);
            return;
        }
        w.beginObject().name("start").time(s.originNanos()).name("bucket_s").seconds(s.bucketNanos()).name("max").beginArray();
        for (long v : s.values()) w.value(v);
        w.endArray().endObject();
    }

    private static void finding(JsonWriter w, Finding f) {
        w.beginObject().field("id", f.id()).field("severity", f.severity().label()).field("subject", f.subject())
            .field("text", f.text()).field("lever", f.lever()).name("evidence").beginObject();
        for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
            w.name(e.getKey());
            if (e.getValue() instanceof Long l) w.value(l);
            else if (e.getValue() instanceof Double d) w.value(d, 3);
            else w.value(String.valueOf(e.getValue()));
        }
        w.endObject().endObject();
    }

    private static void counts(JsonWriter w, Map<String, Long> m) {
        w.beginObject();
        m.forEach(w::field);
        w.endObject();
    }
}
