package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SafeTest {

    @Test
    void csvCellsCannotStartFormulasAndAreQuotedPerRfc4180() {
        String[][] cases = {
            {"plain", "plain"},
            {"=HYPERLINK(1)", "'=HYPERLINK(1)"},
            {"+cmd", "'+cmd"},
            {"-2+3", "'-2+3"},
            {"@SUM(A1)", "'@SUM(A1)"},
            {"-1.5", "-1.5"},
            {"12", "12"},
            {"a,b", "\"a,b\""},
            {"say \"hi\"", "\"say \"\"hi\"\"\""},
            {"=1,2", "\"'=1,2\""},
        };
        for (String[] c : cases) assertEquals(c[1], Safe.csvCell(c[0]), c[0]);
    }

    @Test
    void controlCharactersAndTerminalEscapesBecomeVisible() {
        assertEquals("\\x1b[31mred", Safe.text("\u001b[31mred"));
        assertEquals("a\\x07b", Safe.text("a\u0007b"));
        assertEquals("tab\\x09here", Safe.text("tab\there"));
        assertEquals("c1\\x9bx", Safe.text("c1\u009bx"));
        assertEquals("caf\u00e9", Safe.text("caf\u00e9"));
    }
}
