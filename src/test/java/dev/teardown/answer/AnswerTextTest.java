package dev.teardown.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.timewait.ClockFigures;
import dev.teardown.timewait.Peak;
import dev.teardown.timewait.Series;
import dev.teardown.timewait.TimeWaitFigures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The terminal's answer blocks, line by line, for figures whose lines are worked out by hand. */
class AnswerTextTest {
    private static final long S = 1_000_000_000L;
    /** The capture: 1000 s .. 1100 s after the epoch (00:16:40 .. 00:18:20). */
    private static final long FIRST = 1000 * S;

    private static String print(Consumer<PrintWriter> block) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        block.accept(w);
        w.flush();
        return out.toString();
    }

    /**
     * One server host 10.0.0.2:80: 20 closes leaving TIME_WAIT on the server, its peak 12 at 00:16:50 (10 s in,
     * so partial), mean 3.5; 3 SYNs met a tuple in TIME_WAIT (2 accepted, 1 refused) and cut 30 s short.
     */
    private static TimeWaitFigures figures(ClockFigures clocks) {
        Peak server = new Peak(12, FIRST + 10 * S, 3.5, true);
        return new TimeWaitFigures(60 * S, S, FIRST, FIRST + 100 * S,
            List.of(new TimeWaitFigures.HostRow("10.0.0.2", server, Peak.NONE, server, 20, 0)),
            List.of(new TimeWaitFigures.EndpointRow("10.0.0.2", 80, server, Peak.NONE, 20, 0,
                new Series(FIRST, S, new long[] {0, 3, 6, 12, 9}), new Series(FIRST, S, new long[] {0, 0, 0, 0, 0}))),
            List.of(), 0, new TimeWaitFigures.Limits(131_072, 32768, 60999, false, true),
            new TimeWaitFigures.Reuse(2, 1, 30 * S, 20, 0.25), clocks, List.of());
    }

    @Test
    void timeWaitBlockLinesForKnownFigures() {
        String text = print(w -> AnswerText.printTimeWait(w, figures(ClockFigures.EMPTY)));
        // Steady state: 20 closes over 100 s, each held 60 s less the 30 s / 20 = 1.5 s reuse cut: 20 * 58.5 / 100 = 11.7.
        // Sparkline over 0, 3, 6, 12, 9 scaled to 12 on levels 0..9: 0, 2.25, 4.5, 9, 6.75 rounded.
        // Mean without reuse: 3.5 + 0.25. Sustainable: 28,232 ports / 60 s = 470.5.
        assertEquals(List.of(
            "",
            "TIME_WAIT over time (in TIME_WAIT at instants 1 s apart; TIME_WAIT = 60 s)",
            String.format("  %-28s %-30s %-30s %s", "host", "as server: peak (mean)", "as client: peak (mean)",
                "closes leaving TIME_WAIT, steady state"),
            "  10.0.0.2                     12* at 00:16:50 (3.5)          0                              20, ~12",
            "  server endpoint              side    peak (mean)                    shape over the capture",
            "  10.0.0.2:80                  server  12* at 00:16:50 (3.5)          | :+@#|",
            "  TIME_WAIT that began before the capture is not visible: figures before 1970-01-01T00:17:40.000000Z (one"
                + " TIME_WAIT after the start) may be low; peaks there are marked *",
            "  tuple reuse: 3 SYNs met a tuple in TIME_WAIT, 2 accepted, 1 refused; they cut 30.0 s of TIME_WAIT short:"
                + " the mean population was 3.5, and 3.8 without them",
            "  limits: tcp_max_tw_buckets 131,072 (assumed), highest host peak 12 (0.0%); ephemeral ports 32768-60999,"
                + " highest client peak toward one endpoint 0 (0.0%), about 471 new connections/s sustainable"),
            text.lines().toList());
    }

    @Test
    void timestampClocksLineSaysWhichPairsHaveAClockPerConnection() {
        ClockFigures clocks = new ClockFigures(List.of(
            new ClockFigures.Row("10.0.0.1", "10.0.0.2", 6, 6, 6, 2, 0, 2, FIRST, FIRST + S),
            new ClockFigures.Row("10.0.0.3", "10.0.0.2", 5, 5, 5, 5, 0, 0, FIRST, FIRST + S)), 2, 2, 11, 11, 2, 0);
        String line = print(w -> AnswerText.printTimeWait(w, figures(clocks))).lines()
            .filter(l -> l.startsWith("  TCP timestamp clocks")).findFirst().orElseThrow();
        assertEquals("  TCP timestamp clocks: 2 client/server address pairs, 2 with several clocks (1 of the busiest"
            + " with a clock per connection: offsets randomised per connection, not hosts); tcp_tw_recycle (removed in"
            + " Linux 4.12) would have dropped 2 of 11 SYNs", line);
    }

    @Test
    void nothingHeldAndNoReuseWritesNoTimeWaitBlock() {
        TimeWaitFigures empty = new TimeWaitFigures(60 * S, S, FIRST, FIRST, List.of(), List.of(), List.of(), 0,
            new TimeWaitFigures.Limits(131_072, 32768, 60999, false, false), new TimeWaitFigures.Reuse(0, 0, 0, 0, 0),
            ClockFigures.EMPTY, List.of());
        assertEquals("", print(w -> AnswerText.printTimeWait(w, empty)));
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "0,3,6,12,9| :+@#",
        "1,1000|.@",            // a value above 0 is never blank, however small beside the top
        "0,0,0|   ",            // nothing held: blanks
        "1,2,3,4,5,6,7,8,9|.:-=+*#%@",
        "5|@",
    })
    void sparklineScalesEachBucketToTheHighest(String values, String expected) {
        long[] v = java.util.Arrays.stream(values.split(",")).mapToLong(Long::parseLong).toArray();
        assertEquals(expected, AnswerText.sparkline(new Series(0, S, v)));
    }

    @Test
    void aPeakNotWithinOneTimeWaitOfTheStartHasNoPartialMarker() {
        Peak late = new Peak(7, FIRST + 70 * S, 2.0, false);
        TimeWaitFigures f = new TimeWaitFigures(60 * S, S, FIRST, FIRST + 100 * S,
            List.of(new TimeWaitFigures.HostRow("10.0.0.2", late, Peak.NONE, late, 7, 0)), List.of(), List.of(), 0,
            new TimeWaitFigures.Limits(20, 50000, 50039, true, true), new TimeWaitFigures.Reuse(0, 0, 0, 7, 0),
            ClockFigures.EMPTY, List.of());
        List<String> lines = print(w -> AnswerText.printTimeWait(w, f)).lines().toList();
        assertEquals("  10.0.0.2                     7 at 00:17:50 (2.0)            0                              7, -",
            lines.get(3), "fewer than 10 closes: no steady state");
        assertEquals("  limits: tcp_max_tw_buckets 20, highest host peak 7 (35.0%); ephemeral ports 50000-50039, highest"
            + " client peak toward one endpoint 0 (0.0%), about 1 new connections/s sustainable", lines.get(lines.size() - 1));
    }

    @Test
    void findingsBlockNumbersEachWithEvidenceAndLeverAndNeutralisesControls() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("count", 1234L);
        ev.put("share", 0.5);
        ev.put("whole", 2.0);
        ev.put("at", "1970-01-01T00:16:40.000000Z");
        ev.put("name", "a\u001b[2Jb");
        List<Finding> findings = List.of(
            new Finding("time-wait-buckets", Finding.Severity.LIMIT, "10.0.0.2", "Held \u001b[31mred\u0007.",
                "Raise it.\r", ev, 10),
            new Finding("tw-reuse-outgoing-only", Finding.Severity.MYTH, "capture", "Second.", "Nothing.", Map.of(), 1));
        assertEquals(List.of(
            "",
            "Findings",
            "  1. [limit] Held \\x1b[31mred\\x07.",
            "     evidence: count 1,234, share 0.5, whole 2, at 1970-01-01T00:16:40.000000Z, name a\\x1b[2Jb",
            "     lever: Raise it.\\x0d",
            "  2. [myth] Second.",
            "     evidence: ",
            "     lever: Nothing."), print(w -> AnswerText.printFindings(w, findings)).lines().toList());
    }

    @Test
    void noFindingsSaysNone() {
        assertEquals(List.of("", "Findings: none (no figure of this capture reached a finding's threshold)"),
            print(w -> AnswerText.printFindings(w, List.of())).lines().toList());
    }
}
