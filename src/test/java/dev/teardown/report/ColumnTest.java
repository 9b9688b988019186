package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teardown.TestCsv;
import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.HalfClosed;
import dev.teardown.teardown.Sides;
import dev.teardown.tls.TlsOutcome;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The columns of format versions 3 and 6, as both formats render them from one record. */
class ColumnTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final long T0 = 1_700_000_000_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what                                  | FIN-WAIT-2 from | CLOSE-WAIT from | end (ns after T0) | end     | fin_wait2_s | close_wait_s
        "four-way close                          | 1000100000      | 1000000000      | 1500000000        | FIN     | 0.499900    | 0.500000",
        "three-way close: no FIN-WAIT-2          |                 | 1000000000      | 1200000000        | FIN     |             | 0.200000",
        "running to the write-out                | 2001000         | 2000000         | 10000000000       | RUNNING | 9.997999    | 9.998000",
        "ended by a RST                          | 2001000         | 2000000         | 3000100           | RST     | 0.000999    | 0.001000",
        "printed times differ, not the nanoseconds | 999             | 999             | 1001              | FIN     | 0.000001    | 0.000001",
        "a timestamp stepping back is no time    | 5000000         | 5000000         | 4000000           | FIN     | 0.000000    | 0.000000",
        "neither state                           |                 |                 |                   | NONE    |             | ",
    })
    void halfClosedColumnsAreTheStatesPrintedSpansInBothFormats(String what, Long finWait2From, Long closeWaitFrom,
                                                                Long end, HalfClosed.End how, String finWait2,
                                                                String closeWait) throws IOException {
        HalfClosed h = new HalfClosed(at(finWait2From), at(closeWaitFrom), at(end), how);
        FlowRecord r = Records.halfClosed(h);

        StringWriter csv = new StringWriter();
        try (CsvSink sink = new CsvSink(csv, false)) {
            sink.accept(r);
        }
        List<List<String>> table = TestCsv.parse(csv.toString());
        Map<String, String> row = IntStream.range(0, table.get(0).size()).boxed()
            .collect(Collectors.toMap(i -> table.get(0).get(i), i -> table.get(1).get(i)));
        assertEquals(finWait2 == null ? "" : finWait2, row.get("fin_wait2_s"), "CSV fin_wait2_s");
        assertEquals(closeWait == null ? "" : closeWait, row.get("close_wait_s"), "CSV close_wait_s");
        assertEquals(how.label(), row.get("half_closed_end"), "CSV half_closed_end");

        StringWriter json = new StringWriter();
        try (JsonSink sink = new JsonSink(json, false)) {
            sink.accept(r);
        }
        // Numbers with the CSV's decimals, exactly as written; the label a string, null when absent.
        String line = json.toString();
        assertTrue(line.contains("\"fin_wait2_s\":" + (finWait2 == null ? "null" : finWait2) + ","), line);
        assertTrue(line.contains("\"close_wait_s\":" + (closeWait == null ? "null" : closeWait) + ","), line);
        JsonNode o = JSON.readTree(line);
        assertEquals(how == HalfClosed.End.NONE ? null : how.label(), o.get("half_closed_end").textValue(), "JSON half_closed_end");
    }

    private static long at(Long nanosAfterT0) {
        return nanosAfterT0 == null ? PacketTime.UNSET : T0 + nanosAfterT0;
    }

    @org.junit.jupiter.api.Test
    void tlsColumnsAreEmptyUnlessTlsAndTheirWireTextIsEscapedInBothFormats() throws IOException {
        TlsOutcome t = new TlsOutcome("1.2", "1.3", "=HYPERLINK(\"http://x\")", "h2,http/1.1", "http/1.1", Boolean.TRUE,
            Sides.CLIENT, "encrypted", 3, false, 0, Set.of());
        HttpOutcome https = new HttpOutcome(0, 0, "", "", "", "", null, PacketTime.UNSET, CloseReason.CLIENT_CLOSE_NOTIFY,
            -1, -1, 0, -1, 0, Set.of(), t);
        List<String> columns = List.of("tls_version", "tls_offered", "sni", "alpn", "alpn_selected", "tls_resumed",
            "tls_alert", "exchanges");
        Map<String, String> row = csvRow(Records.to("10.0.0.2", 443, Sides.SERVER, https));
        assertEquals(List.of("1.2", "1.3", "'=HYPERLINK(\"http://x\")", "h2,http/1.1", "http/1.1", "true",
            "client:encrypted", "3"), columns.stream().map(row::get).toList(), "a formula is defused in the CSV");
        assertEquals("client-close-notify", row.get("close_reason"));
        JsonNode o = jsonRow(Records.to("10.0.0.2", 443, Sides.SERVER, https));
        assertEquals("=HYPERLINK(\"http://x\")", o.get("sni").textValue(), "JSON keeps the text: no spreadsheet opens it");
        assertTrue(o.get("tls_resumed").isBoolean());
        assertEquals(3, o.get("exchanges").intValue());
        assertTrue(o.get("exchanges").isIntegralNumber());

        Map<String, String> plain = csvRow(Records.to("10.0.0.2", 80, Sides.SERVER, Records.NO_HTTP));
        assertEquals(List.of("", "", "", "", "", "", "", ""), columns.stream().map(plain::get).toList());
        JsonNode p = jsonRow(Records.to("10.0.0.2", 80, Sides.SERVER, Records.NO_HTTP));
        for (String c : columns) assertTrue(p.get(c).isNull(), c + " is null when the connection is not TLS");
    }

    @org.junit.jupiter.api.Test
    void theTlsColumnsFollowFileInFormatVersion6() {
        List<String> headers = java.util.Arrays.stream(Column.values()).map(Column::header).toList();
        assertEquals(List.of("file", "tls_version", "tls_offered", "sni", "alpn", "alpn_selected", "tls_resumed",
            "tls_alert", "exchanges"), headers.subList(headers.indexOf("file"), headers.indexOf("exchanges") + 1));
    }

    @org.junit.jupiter.api.Test
    void theTunnelColumnFollowsExchangesInFormatVersion7() {
        List<String> headers = java.util.Arrays.stream(Column.values()).map(Column::header).toList();
        assertEquals(List.of("exchanges", "tunnel"), headers.subList(headers.indexOf("exchanges"),
            headers.indexOf("tunnel") + 1));
    }

    @org.junit.jupiter.api.Test
    void theGoawayColumnComesLastInFormatVersion8AndIsEmptyWithoutAGoaway() throws IOException {
        List<String> headers = java.util.Arrays.stream(Column.values()).map(Column::header).toList();
        assertEquals(List.of("tunnel", "goaway"), headers.subList(headers.size() - 2, headers.size()));
        assertEquals(10, Column.FORMAT_VERSION); // 9 changed history's letters, 10 h2's http_requests and anomalies, not the columns
        dev.teardown.h2.H2Outcome said = new dev.teardown.h2.H2Outcome(2, 0, 2, 0, Sides.SERVER, 3, 0, 0, Set.of());
        HttpOutcome h2 = new HttpOutcome(2, 2, "2", "", "", "", false, PacketTime.UNSET, CloseReason.SERVER_GOAWAY,
            -1, -1, 0, -1, 0, Set.of(), null, said);
        assertEquals("server:3:NO_ERROR", csvRow(Records.to("10.0.0.2", 80, Sides.SERVER, h2)).get("goaway"));
        assertEquals("server:3:NO_ERROR", jsonRow(Records.to("10.0.0.2", 80, Sides.SERVER, h2)).get("goaway").textValue());
        dev.teardown.h2.H2Outcome quiet = new dev.teardown.h2.H2Outcome(1, 0, 1, 0, Sides.NONE, -1, -1, 0, Set.of());
        HttpOutcome noGoaway = new HttpOutcome(1, 1, "2", "", "", "", true, PacketTime.UNSET, CloseReason.CLIENT_CLOSE,
            -1, -1, 0, -1, 0, Set.of(), null, quiet);
        assertEquals("", csvRow(Records.to("10.0.0.2", 80, Sides.CLIENT, noGoaway)).get("goaway"));
        assertTrue(jsonRow(Records.to("10.0.0.2", 80, Sides.CLIENT, Records.NO_HTTP)).get("goaway").isNull());
    }

    private static Map<String, String> csvRow(FlowRecord r) throws IOException {
        StringWriter csv = new StringWriter();
        try (CsvSink sink = new CsvSink(csv, false)) {
            sink.accept(r);
        }
        List<List<String>> table = TestCsv.parse(csv.toString());
        return IntStream.range(0, table.get(0).size()).boxed()
            .collect(Collectors.toMap(i -> table.get(0).get(i), i -> table.get(1).get(i)));
    }

    private static JsonNode jsonRow(FlowRecord r) throws IOException {
        StringWriter json = new StringWriter();
        try (JsonSink sink = new JsonSink(json, false)) {
            sink.accept(r);
        }
        return JSON.readTree(json.toString());
    }
}
