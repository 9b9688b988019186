package dev.teardown.cli;

import static dev.teardown.answer.Pages.all;
import static dev.teardown.answer.Pages.attrs;
import static dev.teardown.answer.Pages.number;
import static dev.teardown.answer.Pages.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One model, three views: {@code teardown analyze} of real captures (nginx, ab, curl and python on loopback, read as
 * one 15 s capture) writes the terminal summary, {@code --summary-json} and {@code --html} in one run, and every
 * figure the three share says the same in each: packets, connections, close reasons, the endpoint table, TIME_WAIT
 * peaks, the what-if and the findings.
 */
class AnswerTest {
    private static final List<String> REAL = List.of("nginx-keepalive-requests", "curl-connection-close", "ab-http10",
        "ab-keepalive", "python-http-server", "python-http11-close", "pipelined", "nginx-idle-timeout",
        "keepalive-idle-timeout").stream().map(n -> "samples/" + n + ".pcap").toList();

    @TempDir
    static Path dir;
    private static String text;
    private static JsonNode json;
    private static Document page;

    @BeforeAll
    static void analyseOnceIntoThreeViews() throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze"));
        args.addAll(REAL);
        args.addAll(List.of("--summary-json", dir.resolve("summary.json").toString(), "--html",
            dir.resolve("report.html").toString()));
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        text = r.out();
        json = new ObjectMapper().readTree(Files.readString(dir.resolve("summary.json")));
        page = parse(Files.readString(dir.resolve("report.html")));
    }

    private static long n(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    /** The first group of every line of the terminal text that {@code regex} matches, whole. */
    private static List<Matcher> lines(String regex) {
        Pattern p = Pattern.compile(regex);
        List<Matcher> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = p.matcher(line);
            if (m.matches()) out.add(m);
        }
        return out;
    }

    @Test
    void packetsAndConnectionsAgree() {
        Matcher packets = lines("packets +([\\d,]+) read, ([\\d,]+) TCP.*").get(0);
        Matcher connections = lines("connections +([\\d,]+) \\(at most.*").get(0);
        assertEquals(n(packets.group(1)), json.get("capture").get("packets").asLong());
        assertEquals(n(packets.group(1)), number(page, "//dl[@class='facts']", "data-packets"));
        assertEquals(n(packets.group(2)), number(page, "//dl[@class='facts']", "data-tcp-segments"));
        assertEquals(n(connections.group(1)), json.get("connections").get("total").asLong());
        assertEquals(n(connections.group(1)), number(page, "//p[@class='headline']", "data-connections"));
        assertEquals(24, n(connections.group(1)), "the nine samples' connections");
    }

    @Test
    void closeReasonsAgree() {
        Map<String, Long> terminal = new LinkedHashMap<>();
        for (String part : lines("close reasons +(.*)").get(0).group(1).split(", ")) {
            terminal.put(part.substring(0, part.indexOf(' ')), n(part.substring(part.indexOf(' ') + 1)));
        }
        Map<String, Long> fromJson = new LinkedHashMap<>();
        json.get("connections").get("close_reason").fields().forEachRemaining(e -> fromJson.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> fromPage = new LinkedHashMap<>();
        for (Element bar : all(page, "//section[@id='close-reasons']//rect[@class='bar']")) {
            fromPage.put(bar.getAttribute("data-key"), Long.parseLong(bar.getAttribute("data-count")));
        }
        assertEquals(terminal, fromJson);
        assertEquals(new java.util.TreeMap<>(terminal), new java.util.TreeMap<>(fromPage));
        assertTrue(terminal.size() >= 5, "several reasons in these samples: " + terminal);
    }

    @Test
    void serverEndpointTableAgrees() {
        List<Matcher> rows = lines("  (\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+) +([\\d,]+) +([\\d,]+) +([\\d,]+)");
        assertEquals(2, rows.size(), text);
        JsonNode jsonRows = json.get("server_endpoints").get("rows");
        for (int i = 0; i < rows.size(); i++) {
            Matcher m = rows.get(i);
            JsonNode j = jsonRows.get(i);
            assertEquals(m.group(1), j.get("endpoint").asText());
            assertEquals(List.of(n(m.group(2)), n(m.group(3)), n(m.group(4))), List.of(j.get("connections").asLong(),
                j.get("closes_leaving_time_wait_server").asLong(), j.get("closes_leaving_time_wait_client").asLong()));
            String row = "//table[@data-table='endpoints']//tr[@data-endpoint='" + m.group(1) + "']";
            assertEquals(List.of(n(m.group(2)), n(m.group(3)), n(m.group(4))), List.of(number(page, row, "data-connections"),
                number(page, row, "data-server-time-wait"), number(page, row, "data-client-time-wait")));
        }
    }

    @Test
    void timeWaitPeaksAgree() {
        List<Matcher> peaks = lines("  (\\S+:\\d+) +(server|client) +([\\d,]+)\\*? at (\\d\\d:\\d\\d:\\d\\d) \\(([\\d.]+)\\).*");
        assertEquals(4, peaks.size(), "two endpoints, both sides: " + text);
        for (Matcher m : peaks) {
            JsonNode endpoint = null;
            for (JsonNode e : json.get("time_wait").get("server_endpoints")) {
                if ((e.get("server_ip").asText() + ":" + e.get("server_port").asInt()).equals(m.group(1))) endpoint = e;
            }
            JsonNode peak = endpoint.get("time_wait_" + m.group(2));
            assertEquals(n(m.group(3)), peak.get("peak").asLong());
            assertEquals(m.group(4), peak.get("at").asText().substring(11, 19));
            String figure = "//figure[@data-chart='time-wait'][@data-endpoint='" + m.group(1) + "']";
            assertEquals(n(m.group(3)), number(page, figure, "data-" + m.group(2) + "-peak"));
            assertEquals(peak.get("at").asText(), all(page, figure).get(0).getAttribute("data-" + m.group(2) + "-peak-at"));
        }
    }

    @Test
    void whatIfRowsAgree() {
        List<Matcher> rows = lines("  (\\S+:\\d+) +([\\d.]+) s( observed)? +([\\d,]+) +([\\d,]+) ([\\d,]+) \\(mean.*");
        JsonNode whatIf = json.get("what_if");
        List<Element> pageRows = all(page, "//table[@data-table='what-if']/tbody/tr");
        assertEquals(List.of(rows.size(), rows.size()), List.of(whatIf.size(), pageRows.size()));
        assertFalse(rows.isEmpty(), "nginx's idle closes give a what-if");
        for (int i = 0; i < rows.size(); i++) {
            Matcher m = rows.get(i);
            assertEquals(List.of(n(m.group(4)), n(m.group(5)), n(m.group(6))), List.of(whatIf.get(i).get("connections")
                .asLong(), whatIf.get(i).get("closes").asLong(), whatIf.get(i).get("time_wait_server_peak").asLong()));
            assertEquals(List.of(n(m.group(4)), n(m.group(5)), n(m.group(6))), List.of(
                Long.parseLong(pageRows.get(i).getAttribute("data-connections")),
                Long.parseLong(pageRows.get(i).getAttribute("data-closes")),
                Long.parseLong(pageRows.get(i).getAttribute("data-time-wait-server-peak"))));
            assertEquals(m.group(3) != null, Boolean.parseBoolean(pageRows.get(i).getAttribute("data-observed")));
        }
    }

    @Test
    void findingsAgree() {
        List<String> terminal = lines("  \\d+\\. \\[(\\w+)\\] .*").stream().map(m -> m.group(1)).toList();
        List<String> fromJson = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode f : json.get("findings")) {
            fromJson.add(f.get("severity").asText());
            ids.add(f.get("id").asText());
        }
        assertEquals(terminal, fromJson);
        assertEquals(terminal, attrs(page, "//li[@data-finding]", "data-severity"));
        assertEquals(ids, attrs(page, "//li[@data-finding]", "data-finding"));
        assertFalse(ids.isEmpty(), "the server holds most TIME_WAIT here: " + text);
    }
}
