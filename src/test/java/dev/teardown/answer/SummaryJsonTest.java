package dev.teardown.answer;

import static dev.teardown.answer.Capture.GET;
import static dev.teardown.answer.Capture.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The summary JSON of captures built packet by packet: strict JSON on one line, its members, numbers equal to the
 * figures, untrusted text escaped, unknown numbers null, the same bytes on every run.
 */
class SummaryJsonTest {
    /** Strict: no NaN, no raw controls in strings, nothing after the object. */
    private static final ObjectMapper STRICT = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Ten keep-alive connections the server closes idle (see FindingsTest), and two the client closes. */
    private static Capture.Result tenIdleCloses() {
        Capture c = new Capture();
        for (int i = 0; i < 10; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).serverCloses(6.011 + i);
        for (int i = 0; i < 2; i++) c.conn().handshake(1 + i).exchange(1.01 + i, GET, OK).clientCloses(1.02 + i);
        return c.run();
    }

    private static String json(String title, Capture.Result r) {
        return SummaryJson.of(title, r.summary(), r.totals(), r.timeWait(), r.findings());
    }

    private static List<String> names(JsonNode o) {
        List<String> n = new ArrayList<>();
        o.fieldNames().forEachRemaining(n::add);
        return n;
    }

    @Test
    void isOneLineOfStrictJsonWithTheMembersInOrder() throws Exception {
        String line = json("teardown: x.pcap", tenIdleCloses());
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        JsonNode o = STRICT.readTree(line);
        assertEquals(List.of("format_version", "title", "capture", "connections", "server_endpoints", "half_closed",
            "time_wait", "what_if", "findings", "notes", "warnings"), names(o));
        assertEquals(List.of("packets", "tcp_segments", "first_packet", "last_packet", "skipped", "malformed",
            "peak_connections_held", "tunnels"), names(o.get("capture")));
        assertEquals(List.of("time_wait_s", "step_s", "visible_from", "hosts", "server_endpoints",
            "client_port_pressure", "limits", "tuple_reuse", "keys_forgotten", "timestamp_clocks", "series"),
            names(o.get("time_wait")));
        assertEquals(List.of("fin_wait2", "fin_wait2_over_fin_timeout", "fin_wait2_max_s", "close_wait",
            "close_wait_running", "close_wait_max_s", "close_wait_running_max_s"), names(o.get("half_closed")));
        assertEquals(List.of("id", "severity", "subject", "text", "lever", "evidence"), names(o.get("findings").get(0)));
    }

    @Test
    void theCaptureCountsTunnelledPacketsPerEncapsulation() throws Exception {
        Capture.Result r = Capture.run(List.of(java.nio.file.Path.of("samples/crafted/vxlan-two-vnis.pcap"),
            java.nio.file.Path.of("samples/crafted/gre-key.pcap")), Capture.options());
        JsonNode tunnels = STRICT.readTree(json("t", r)).get("capture").get("tunnels");
        assertEquals(List.of("gre", "vxlan"), names(tunnels));
        assertEquals(11, tunnels.get("gre").asLong());
        assertEquals(22, tunnels.get("vxlan").asLong());
        assertEquals(0, STRICT.readTree(json("t", tenIdleCloses())).get("capture").get("tunnels").size());
    }

    @Test
    void httpsEndpointsCountTheirExchangesAsRequestsAndSayHowManyWereTls() throws Exception {
        // nginx keepalive_timeout 2s over TLS (samples/README.md): 2 and 1 requests, both connections closed idle.
        Capture.Result r = Capture.run(List.of(java.nio.file.Path.of("samples/tls-idle-timeout.pcap")), Capture.options());
        JsonNode http = STRICT.readTree(json("t", r)).get("server_endpoints").get("rows").get(0).get("http");
        assertEquals(2, http.get("connections").asLong());
        assertEquals(2, http.get("tls_connections").asLong());
        assertEquals(2, http.get("requests_max").asLong(), "nginx's $connection_requests: 2 on the first connection");
        assertEquals(2.0, http.get("idle_closes").get("median_s").asDouble(), 0.01, "keepalive_timeout 2s");
        assertEquals(2, http.get("server_time_wait_by_reason").get("server-idle-timeout").asLong());
    }

    @Test
    void numbersAreTheFigures() throws Exception {
        Capture.Result r = tenIdleCloses();
        String line = json("t", r);
        JsonNode o = STRICT.readTree(line);
        assertEquals(12, o.get("connections").get("total").asLong());
        assertEquals(10, o.get("connections").get("closes_leaving_time_wait").get("server").asLong());
        assertEquals(2, o.get("connections").get("closes_leaving_time_wait").get("client").asLong());
        JsonNode e = o.get("server_endpoints").get("rows").get(0);
        assertEquals("10.0.0.2:80", e.get("endpoint").asText());
        assertEquals(10, e.get("closes_leaving_time_wait_server").asLong());
        assertEquals(10, e.get("http").get("server_time_wait_by_reason").get("server-idle-timeout").asLong());
        assertTrue(line.contains("\"median_s\":5.000000,"), "idle 5 s after the response, six decimals: " + line);
        JsonNode tw = o.get("time_wait");
        assertEquals("1970-01-01T00:01:01.000000Z", tw.get("visible_from").asText(), "first packet 1 s + 60 s");
        JsonNode host = tw.get("hosts").get(0);
        assertEquals("10.0.0.2", host.get("ip").asText());
        assertEquals(10, host.get("as_server").get("peak").asLong());
        assertEquals("1970-01-01T00:00:16.000000Z", host.get("as_server").get("at").asText());
        assertTrue(host.get("as_server").get("partial").asBoolean());
        assertEquals(r.timeWait().get().hosts().get(0).asServer().mean(), host.get("as_server").get("mean").asDouble(), 0.001);
        // 10 server closes over 1.000 .. 15.014 s, 60 s each: 600 / 14.014.
        assertEquals("42.814", tw.get("server_endpoints").get(0).get("steady_state_estimate_server").asText());
        assertEquals(131_072, tw.get("limits").get("max_tw_buckets").asLong());
        assertTrue(tw.get("limits").get("max_tw_buckets_assumed").asBoolean());
        JsonNode f = o.get("findings").get(0);
        assertEquals(r.findings().get(0).id(), f.get("id").asText());
        assertEquals(r.findings().get(0).text(), f.get("text").asText());
        assertEquals(r.findings().size(), o.get("findings").size());
        assertEquals(10, o.get("findings").get(0).get("evidence").get("server_time_wait").asLong());
    }

    @Test
    void closeReasonsHistogramsAndSeriesAreTheFigures() throws Exception {
        Capture.Result r = tenIdleCloses();
        JsonNode o = STRICT.readTree(json("t", r));
        JsonNode reasons = o.get("connections").get("close_reason");
        assertEquals(10, reasons.get("server-idle-timeout").asLong());
        assertEquals(2, reasons.get("client-close").asLong());
        JsonNode http = o.get("server_endpoints").get("rows").get(0).get("http");
        JsonNode requests = http.get("requests_histogram");
        assertEquals(1, requests.size(), "one request on each connection");
        assertEquals(List.of(1L, 1L, 12L), List.of(requests.get(0).get("from").asLong(), requests.get(0).get("to").asLong(),
            requests.get(0).get("connections").asLong()));
        JsonNode idle = http.get("idle_before_close_histogram");
        long server = 0;
        long client = 0;
        for (JsonNode bin : idle) {
            server += bin.get("closed_by_server").asLong();
            client += bin.get("closed_by_client").asLong();
        }
        assertEquals(List.of(10L, 2L), List.of(server, client), "every idle time, by who closed first");
        JsonNode last = idle.get(idle.size() - 1);
        assertEquals(10, last.get("closed_by_server").asLong());
        assertTrue(json("t", r).contains("{\"from_s\":5.000000,\"to_s\":6.300000,\"closed_by_server\":10,"
            + "\"closed_by_client\":0}]"), "5 s idle: the bin 5 to 6.3 s, the last");
        JsonNode series = o.get("time_wait").get("series");
        dev.teardown.timewait.SeriesFigures fig = r.timeWait().orElseThrow().series();
        assertEquals(fig.closesServer().sum(), sum(series.get("closes_server").get("values")));
        assertEquals(10, sum(series.get("closes_server").get("values")), "ten server closes");
        assertEquals(2, sum(series.get("closes_client").get("values")));
        JsonNode endpoint = series.get("endpoints").get(0);
        assertEquals("10.0.0.2", endpoint.get("server_ip").asText());
        assertTrue(endpoint.get("complete").asBoolean());
        long peak = 0;
        for (JsonNode v : endpoint.get("time_wait_server").get("values")) peak = Math.max(peak, v.asLong());
        assertEquals(r.timeWait().get().endpoints().get(0).server().value(), peak, "the series' highest is the peak");
        assertEquals(1.0, endpoint.get("time_wait_server").get("bucket_s").asDouble());
    }

    private static long sum(JsonNode values) {
        long s = 0;
        for (JsonNode v : values) s += v.asLong();
        return s;
    }

    @Test
    void anUnknownSteadyStateIsNull() throws Exception {
        Capture c = new Capture();
        for (int i = 0; i < 3; i++) c.conn().handshake(1 + i).serverClosesPiggybacked(2 + i);
        JsonNode o = STRICT.readTree(json("t", c.run()));
        JsonNode host = o.get("time_wait").get("hosts").get(0);
        assertTrue(host.get("steady_state_estimate").isNull(), host.toString());
        assertTrue(o.get("time_wait").get("server_endpoints").get(0).get("steady_state_estimate_client").isNull());
    }

    @Test
    void untrustedTitleIsEscapedAndReadsBackUnchanged() throws Exception {
        String title = "teardown: evil\u001b[2J\u0007\"quote\"\\back\nline\u0085\u2028.pcap";
        String line = json(title, tenIdleCloses());
        for (char ch : line.toCharArray()) assertTrue(ch >= 0x20 && !(ch >= 0x7f && ch < 0xa0), "raw control in " + line);
        assertEquals(title, STRICT.readTree(line).get("title").asText());
    }

    @Test
    void ipv6EndpointsAreNamedInBrackets() throws Exception {
        Capture c = new Capture();
        var server = dev.teardown.hostile.PcapBuilder.Endpoint.v6(0x20010db8_00000000L, 2, 443);
        var client = dev.teardown.hostile.PcapBuilder.Endpoint.v6(0x20010db8_00000000L, 1, 50000);
        c.conn(client, server).handshake(1).clientCloses(2);
        JsonNode o = STRICT.readTree(json("t", c.run()));
        assertEquals("[2001:db8::2]:443", o.get("server_endpoints").get("rows").get(0).get("endpoint").asText());
        assertEquals("2001:db8::2", o.get("time_wait").get("server_endpoints").get(0).get("server_ip").asText());
    }

    @Test
    void withoutTheTimeWaitStageThereIsNoTimeWaitMember() throws Exception {
        Capture.Result r = tenIdleCloses();
        JsonNode o = STRICT.readTree(SummaryJson.of("t", r.summary(), r.totals(), Optional.empty(),
            Findings.of(r.summary(), Optional.empty())));
        assertFalse(o.has("time_wait"));
        assertTrue(o.get("findings").isArray());
    }

    @Test
    void theSameCaptureGivesTheSameBytes() {
        assertEquals(json("t", tenIdleCloses()), json("t", tenIdleCloses()));
    }
}
