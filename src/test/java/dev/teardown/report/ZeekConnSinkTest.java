package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.TestCsv;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Zeek conn.log: the header Zeek's ASCII writer writes, Zeek's fields and types in its order, and on every sample
 * each row's values against the CSV row of the same connection (docs/output.md, "Zeek conn.log").
 */
class ZeekConnSinkTest {
    /**
     * conn.log's fields and types as Zeek writes them by default (base/protocols/conn/main.zeek, Conn::Info; the
     * header quoted in zeek/zeek issue 862 for Zeek 3.1, with ip_proto, a count, appended by Zeek 7.1).
     */
    private static final String ZEEK_FIELDS = "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
        + "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\t"
        + "orig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto";
    private static final String ZEEK_TYPES = "time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\t"
        + "count\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount";

    private static final Path SAMPLES = Path.of("samples");

    /** The conn.log and the CSV of {@code capture}, from one run. */
    private static String[] analyse(Path capture) throws IOException {
        StringWriter zeek = new StringWriter();
        StringWriter csv = new StringWriter();
        try (PacketSource source = CaptureFiles.open(capture); ZeekConnSink z = new ZeekConnSink(zeek, false);
             CsvSink c = new CsvSink(csv, false)) {
            Analysis.run(source, AnalyzeOptions.defaults(), List.of(z, c));
        }
        return new String[] {zeek.toString(), csv.toString()};
    }

    @Test
    void theHeaderIsZeeksWithItsFieldsAndTypesFirstAndTheCloseLineLast() throws IOException {
        String log = analyse(SAMPLES.resolve("http10-server-close.pcap"))[0];
        List<String> lines = log.lines().toList();
        assertEquals("#separator \\x09", lines.get(0));
        assertEquals("#set_separator\t,", lines.get(1));
        assertEquals("#empty_field\t(empty)", lines.get(2));
        assertEquals("#unset_field\t-", lines.get(3));
        assertEquals("#path\tconn", lines.get(4));
        assertTrue(lines.get(5).matches("#open\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d"), lines.get(5));
        assertTrue(lines.get(6).startsWith("#fields\t" + ZEEK_FIELDS + "\t"), lines.get(6));
        assertTrue(lines.get(7).startsWith("#types\t" + ZEEK_TYPES + "\t"), lines.get(7));
        assertTrue(lines.get(lines.size() - 1).matches("#close\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d"));
        String[] fields = lines.get(6).split("\t");
        String[] types = lines.get(7).split("\t");
        assertEquals(fields.length, types.length, "a type per field");
        for (String row : lines.subList(8, lines.size() - 1)) {
            assertEquals(fields.length - 1, row.split("\t", -1).length, "a value per field: " + row);
        }
        // teardown's other columns follow under their CSV names: all of them but those Zeek's fields hold.
        List<String> extra = List.of(fields).subList(1 + 22, fields.length);
        assertEquals(List.of("flow_id", "last_seen", "ip_version", "handshake", "close_initiator"), extra.subList(0, 5));
        assertEquals(Column.values().length - 12, extra.size());
    }

    @Test
    void anEmptyLogStillHasItsHeaderAndCloseLine() throws IOException {
        StringWriter out = new StringWriter();
        new ZeekConnSink(out, false).close();
        List<String> lines = out.toString().lines().toList();
        assertEquals(9, lines.size(), out.toString());
        assertEquals("#open\t1970-01-01-00-00-00", lines.get(5));
        assertEquals("#close\t1970-01-01-00-00-00", lines.get(8));
    }

    @Test
    void textFromTheWireIsEscapedAsZeekEscapesIt() {
        assertEquals("a\\x09b\\x0ac\\x5cx41\\x9b", ZeekConnSink.escape("a\tb\nc\\x41\u009b"));
        assertEquals("\\x2d", ZeekConnSink.escape("-"), "would read as unset");
        assertEquals("\\x28empty)", ZeekConnSink.escape("(empty)"), "would read as empty");
        assertEquals("h2,http/1.1", ZeekConnSink.escape("h2,http/1.1"));
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfEverySampleHoldsItsCsvRowsValues() throws IOException {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            captures = walk.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                .toList();
        }
        assertTrue(captures.size() >= 30);
        return captures.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            String[] out = analyse(p);
            List<String> lines = out[0].lines().toList();
            String[] fields = lines.get(6).substring("#fields\t".length()).split("\t");
            String[] types = lines.get(7).substring("#types\t".length()).split("\t");
            List<List<String>> csv = TestCsv.parse(out[1]);
            List<String> header = csv.get(0);
            List<String> rows = lines.subList(8, lines.size() - 1);
            assertEquals(csv.size() - 1, rows.size(), "rows");
            Set<String> uids = new HashSet<>();
            for (int i = 0; i < rows.size(); i++) {
                String[] values = rows.get(i).split("\t", -1);
                Map<String, String> zeek = new LinkedHashMap<>();
                for (int f = 0; f < fields.length; f++) zeek.put(fields[f], values[f]);
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++) row.put(header.get(c), csv.get(i + 1).get(c));
                String at = p + " row " + (i + 1) + ": ";
                assertTrue(zeek.get("uid").matches("C[0-9A-Za-z]{17}"), at + zeek.get("uid"));
                assertTrue(uids.add(zeek.get("uid")), at + "uid unique");
                assertEquals(micros(row.get("first_seen")), epochMicros(zeek.get("ts")), at + "ts");
                assertEquals(row.get("client_ip"), zeek.get("id.orig_h"), at);
                assertEquals(row.get("client_port"), zeek.get("id.orig_p"), at);
                assertEquals(row.get("server_ip"), zeek.get("id.resp_h"), at);
                assertEquals(row.get("server_port"), zeek.get("id.resp_p"), at);
                assertEquals("tcp", zeek.get("proto"), at);
                assertEquals(!row.get("tls_version").isEmpty() || !row.get("tls_offered").isEmpty() ? "ssl"
                    : !row.get("http_requests").equals("0") || !row.get("http_responses").equals("0") ? "http" : "-",
                    zeek.get("service"), at + "service");
                // Zeek gives duration and bytes only to a connection that lasted.
                boolean lasted = !row.get("duration_s").equals("0.000000");
                assertEquals(lasted ? row.get("duration_s") : "-", zeek.get("duration"), at + "duration");
                assertEquals(lasted ? row.get("bytes_c2s") : "-", zeek.get("orig_bytes"), at);
                assertEquals(lasted ? row.get("bytes_s2c") : "-", zeek.get("resp_bytes"), at);
                assertEquals(row.get("conn_state"), zeek.get("conn_state"), at);
                assertEquals(row.get("history").isEmpty() ? "-" : row.get("history"), zeek.get("history"), at);
                assertEquals(row.get("history").toLowerCase(java.util.Locale.ROOT).contains("g") ? "-" : "0",
                    zeek.get("missed_bytes"), at);
                assertEquals(row.get("packets_c2s"), zeek.get("orig_pkts"), at);
                assertEquals(row.get("packets_s2c"), zeek.get("resp_pkts"), at);
                for (String unset : List.of("local_orig", "local_resp", "orig_ip_bytes", "resp_ip_bytes", "tunnel_parents")) {
                    assertEquals("-", zeek.get(unset), at + unset);
                }
                assertEquals("6", zeek.get("ip_proto"), at);
                for (int f = 22; f < fields.length; f++) {
                    assertEquals(expected(types[f], row.get(fields[f])), zeek.get(fields[f]), at + fields[f]);
                }
            }
        }));
    }

    /** A CSV cell as the conn.log writes a value of Zeek type {@code type}. */
    private static String expected(String type, String cell) {
        if (cell.isEmpty()) return type.equals("set[string]") ? "(empty)" : "-";
        return switch (type) {
            case "time" -> micros(cell) / 1_000_000 + "." + String.format(java.util.Locale.ROOT, "%06d", micros(cell) % 1_000_000);
            case "bool" -> cell.equals("true") ? "T" : "F";
            case "set[string]" -> cell.replace(';', ',');
            // The CSV's leading quote defuses a spreadsheet formula; a conn.log is not read by spreadsheets.
            case "string" -> cell.startsWith("'") && "=+-@".indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
            default -> cell;
        };
    }

    private static long micros(String iso) {
        Instant t = Instant.parse(iso);
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    private static long epochMicros(String zeekTime) {
        return new BigDecimal(zeekTime).movePointRight(6).longValueExact();
    }
}
