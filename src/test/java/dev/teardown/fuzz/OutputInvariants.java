package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.teardown.report.Column;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every output must hold to whatever the traffic: a CSV row per record with exactly the header's columns,
 * no control character anywhere (terminal escapes), no cell from the wire that a spreadsheet would run as a
 * formula, and one valid JSON object per line with every column.
 */
final class OutputInvariants {
    private OutputInvariants() {}

    private static final Column[] COLUMNS = Column.values();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks a whole CSV output; returns its data rows, split into unquoted cells. */
    static List<List<String>> csv(String text) {
        check(text.endsWith("\n"), "CSV ends with a newline");
        String[] lines = text.split("\n", -1);
        StringBuilder header = new StringBuilder();
        for (Column c : COLUMNS) header.append(header.length() == 0 ? "" : ",").append(c.header());
        check(lines[0].equals(header.toString()), "the first line is the header: " + lines[0]);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i];
            noControls(line, "CSV row " + i);
            List<String> cells = cells(line);
            check(cells.size() == COLUMNS.length, "CSV row " + i + " has " + cells.size() + " cells, the header "
                + COLUMNS.length + ": " + line);
            // Every cell, not only those carrying wire text: no column may open a formula in a spreadsheet.
            for (Column c : COLUMNS) notAFormula(cells.get(c.ordinal()), c.header() + " in CSV row " + i);
            rows.add(cells);
        }
        return rows;
    }

    /** Checks JSON Lines output: every line an object with a field per column; returns the objects. */
    static int jsonLines(String text) {
        int n = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            noControls(line, "JSON line " + n);
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("JSON line " + n + " does not parse: " + e.getMessage() + ": " + line, e);
            }
            check(node.isObject(), "JSON line " + n + " is an object");
            for (Column c : COLUMNS) check(node.has(c.header()), "JSON line " + n + " lacks " + c.header());
            n++;
        }
        return n;
    }

    /** Checks terminal text: no control character but the newline. */
    static void terminal(String text) {
        for (String line : text.split("\n", -1)) noControls(line, "summary line");
    }

    /** C0 and C1 controls and DEL: what a terminal may run as an escape. */
    static void noControls(String s, String where) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            check(c >= 0x20 && (c < 0x7f || c >= 0xa0), where + " holds control character 0x"
                + Integer.toHexString(c) + " at " + i + ": " + s);
        }
    }

    /** OWASP CSV injection: a cell starting with = + - @ is run by spreadsheets, unless it is a plain number. */
    static void notAFormula(String cell, String where) {
        if (cell.isEmpty() || "=+-@".indexOf(cell.charAt(0)) < 0) return;
        check(cell.matches("-?[0-9]+(\\.[0-9]+)?"), where + " would run as a formula: " + cell);
    }

    /** The cells of one RFC 4180 line, quotes removed and doubled quotes undone. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder cell = new StringBuilder();
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    check(i < line.length(), "unterminated quoted cell: " + line);
                    char c = line.charAt(i++);
                    if (c != '"') {
                        cell.append(c);
                    } else if (i < line.length() && line.charAt(i) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                check(i == line.length() || line.charAt(i) == ',', "text after a quoted cell: " + line);
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    check(line.charAt(i) != '"', "a quote inside an unquoted cell: " + line);
                    cell.append(line.charAt(i++));
                }
            }
            cells.add(cell.toString());
            if (i >= line.length()) return cells;
            i++; // the comma
        }
    }
}
