package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teardown.TestCsv;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** JSON Lines output: valid JSON (checked by Jackson), the CSV's columns and values, typed, and inert text. */
class JsonSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * Each sample's JSON Lines against its golden CSV (the values the kernel's {@code ss}, the servers' logs
     * and the crafting script back; see samples/README.md), parsed here by an RFC 4180 reader of the test's
     * own: the expected values never come from the code that writes the JSON.
     */
    @TestFactory
    Stream<DynamicTest> everySampleGivesOneValidObjectPerConnectionEqualToItsGoldenCsvRowTyped() throws Exception {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            captures = walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        assertTrue(captures.size() >= 30, "samples found: " + captures.size());
        return captures.stream().map(capture -> DynamicTest.dynamicTest(capture.toString(), () -> {
            Path golden = Path.of(capture.toString().replaceFirst("\\.(pcap|pcapng|pcap\\.gz)$", ".csv"));
            List<List<String>> csv = TestCsv.parse(Files.readString(golden));
            List<String> header = csv.get(0);
            StringWriter out = new StringWriter();
            try (PacketSource source = CaptureFiles.open(capture); JsonSink json = new JsonSink(out, false)) {
                Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.<RecordSink>of(json));
                assertNull(r.failure());
            }
            List<String> lines = out.toString().lines().toList();
            assertEquals(csv.size() - 1, lines.size(), "one object per golden row");
            for (int i = 0; i < lines.size(); i++) assertMatches(header, csv.get(i + 1), JSON.readTree(lines.get(i)));
        }));
    }

    /** How docs/output.md ("JSON Lines") types each column; every other column is a string. */
    private enum Kind { STRING, NUMBER, BOOLEAN, LIST }

    private static final java.util.Map<String, Kind> KINDS = java.util.Map.ofEntries(
        java.util.Map.entry("flow_id", Kind.NUMBER), java.util.Map.entry("duration_s", Kind.NUMBER),
        java.util.Map.entry("ip_version", Kind.NUMBER), java.util.Map.entry("client_port", Kind.NUMBER),
        java.util.Map.entry("server_port", Kind.NUMBER), java.util.Map.entry("packets_c2s", Kind.NUMBER),
        java.util.Map.entry("packets_s2c", Kind.NUMBER), java.util.Map.entry("bytes_c2s", Kind.NUMBER),
        java.util.Map.entry("bytes_s2c", Kind.NUMBER), java.util.Map.entry("reuse_gap_s", Kind.NUMBER),
        java.util.Map.entry("http_requests", Kind.NUMBER), java.util.Map.entry("http_responses", Kind.NUMBER),
        java.util.Map.entry("idle_before_close_s", Kind.NUMBER), java.util.Map.entry("tuple_reuse", Kind.BOOLEAN),
        java.util.Map.entry("persistent_expected", Kind.BOOLEAN), java.util.Map.entry("anomalies", Kind.LIST),
        java.util.Map.entry("fin_wait2_s", Kind.NUMBER), java.util.Map.entry("close_wait_s", Kind.NUMBER),
        java.util.Map.entry("tls_resumed", Kind.BOOLEAN), java.util.Map.entry("exchanges", Kind.NUMBER));

    private static void assertMatches(List<String> header, List<String> row, JsonNode object) {
        Iterator<String> names = object.fieldNames();
        for (int i = 0; i < header.size(); i++) {
            String key = header.get(i);
            assertEquals(key, names.next(), "keys in the golden's column order");
            JsonNode v = object.get(key);
            String text = unneutralised(row.get(i));
            String where = key + " of flow " + row.get(0);
            switch (KINDS.getOrDefault(key, Kind.STRING)) {
                case STRING -> assertEquals(text.isEmpty() ? null : text, v.isNull() ? null : v.textValue(), where);
                case NUMBER -> {
                    if (text.isEmpty()) assertTrue(v.isNull(), where);
                    else assertTrue(v.isNumber() && new BigDecimal(text).compareTo(v.decimalValue()) == 0, where + ": " + v);
                }
                case BOOLEAN -> assertEquals(text.isEmpty() ? "null" : text, v.toString(), where);
                case LIST -> {
                    assertTrue(v.isArray(), where);
                    List<String> items = new ArrayList<>();
                    v.forEach(n -> items.add(n.textValue()));
                    assertEquals(text, String.join(";", items), where);
                }
            }
        }
        assertFalse(names.hasNext(), "no keys beyond the golden's columns");
    }

    /**
     * A CSV cell's value before the CSV's documented defences (docs/output.md): a {@code '} before a formula
     * character dropped, {@code \\xNN} turned back into its control character. JSON carries the value itself.
     */
    private static String unneutralised(String cell) {
        String t = cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@".indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
        return java.util.regex.Pattern.compile("\\\\x([0-9a-f]{2})").matcher(t)
            .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }


    @Test
    void hostileTextParsesBackExactlyYetTheLineHoldsNoControlCharacter() throws Exception {
        String hostile = "a\"b\\c\u001b]0;owned\u0007\u001b[31m\u009b2J\u007f\n\r\t\u2028\u2029=cmd|' /C calc'!A0 é";
        StringBuilder b = new StringBuilder();
        JsonSink.appendString(b, hostile, 0, hostile.length());
        String line = b.toString();
        for (char ch : line.toCharArray()) {
            assertFalse(ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == '\u2028' || ch == '\u2029',
                "raw control " + (int) ch + " in " + line);
        }
        assertEquals(hostile, JSON.readTree(line).textValue());
    }

}
