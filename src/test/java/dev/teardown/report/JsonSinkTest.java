package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    @TestFactory
    Stream<DynamicTest> everySampleGivesOneValidObjectPerConnectionWithTheCsvValuesTyped() throws Exception {
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            captures = walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList();
        }
        assertFalse(captures.isEmpty());
        return captures.stream().map(capture -> DynamicTest.dynamicTest(capture.toString(), () -> {
            List<FlowRecord> records = new ArrayList<>();
            StringWriter out = new StringWriter();
            try (PacketSource source = CaptureFiles.open(capture); JsonSink json = new JsonSink(out, false)) {
                Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.<RecordSink>of(records::add, json));
                assertNull(r.failure());
            }
            List<String> lines = out.toString().lines().toList();
            assertEquals(records.size(), lines.size());
            for (int i = 0; i < lines.size(); i++) assertMatches(records.get(i), JSON.readTree(lines.get(i)));
        }));
    }

    private static void assertMatches(FlowRecord r, JsonNode object) {
        Iterator<String> names = object.fieldNames();
        for (Column c : Column.values()) {
            assertEquals(c.header(), names.next(), "keys in column order");
            JsonNode v = object.get(c.header());
            String text = c.value(r);
            String where = c.header() + " of flow " + r.flowId();
            switch (c.kind()) {
                case STRING -> assertEquals(text.isEmpty() ? null : text, v.isNull() ? null : v.textValue(), where);
                case NUMBER -> {
                    if (text.isEmpty()) assertTrue(v.isNull(), where);
                    else assertEquals(0, new BigDecimal(text).compareTo(v.decimalValue()), where);
                    if (!text.isEmpty()) assertTrue(v.isNumber(), where);
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
        assertFalse(names.hasNext(), "no keys beyond the columns");
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

    @Test
    void emptyValuesAreNullAndListsSplitOnSemicolons() throws Exception {
        String[][] cases = {{"STRING", ""}, {"NUMBER", ""}, {"BOOLEAN", ""}, {"LIST", ""}, {"LIST", "A;B_C"},
            {"NUMBER", "0.003200"}, {"NUMBER", "12x"}, {"BOOLEAN", "true"}}; // "12x": kept as text, never bad JSON
        StringBuilder b = new StringBuilder("[");
        for (String[] c : cases) {
            if (b.length() > 1) b.append(',');
            JsonSink.appendValue(b, Column.Kind.valueOf(c[0]), c[1]);
        }
        b.append(']');
        assertEquals("[null,null,null,[],[\"A\",\"B_C\"],0.003200,\"12x\",true]", b.toString());
        assertEquals(8, JSON.readTree(b.toString()).size());
    }
}
