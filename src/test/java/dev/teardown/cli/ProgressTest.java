package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The progress line: its text, when it is shown, and how it is redrawn and cleared. */
class ProgressTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1L << 20;

    @Test
    void lineShowsPercentOfTotalRateConnectionsElapsedAndTimeLeft() {
        // A quarter of 400 MiB in 10 s: 30 s left at that rate.
        String line = Progress.line(100 * MIB, 400 * MIB, 12_345_678, 10 * S, 4_321, 98_765, 1, 1, "x.pcap", 200);
        assertEquals("x.pcap: 25.0% 100.0 MiB/400.0 MiB ETA 0:30 elapsed 0:10, 1,234,567 packets/s, 4,321 held, "
            + "98,765 written", line);
    }

    @Test
    void unknownTotalShowsBytesReadWithoutPercentOrTimeLeft() {
        String line = Progress.line(1536, -1, 10, 2 * S, 0, 0, 1, 1, "x.pcap", 200);
        assertEquals("x.pcap: 1.5 KiB elapsed 0:02, 5 packets/s, 0 held, 0 written", line);
    }

    @Test
    void severalFilesShowWhichFileOfHowMany() {
        String line = Progress.line(0, 100, 0, 0, 0, 0, 2, 3, "b.pcap", 200);
        assertTrue(line.startsWith("2/3 b.pcap: 0.0% "), line);
        assertFalse(line.contains("ETA"), "no rate yet, no time left: " + line);
    }

    @Test
    void hugeSizesAndLongRunsStayReadable() {
        long total = Long.MAX_VALUE;
        String line = Progress.line(total / 2, total, Long.MAX_VALUE / 4, 3 * 3600 * S + 61 * S, Integer.MAX_VALUE,
            Long.MAX_VALUE, 1, 1, "f", 400);
        assertTrue(line.startsWith("f: 50.0% 4.0 EiB/8.0 EiB ETA 3:01:01 elapsed 3:01:01, "), line);
    }

    @Test
    void aFinishedReadShowsAHundredPercentAndNoTimeLeft() {
        String line = Progress.line(500, 400, 10, S, 0, 0, 1, 1, "f", 200);
        assertTrue(line.startsWith("f: 100.0% "), "capped at 100 when the file grew: " + line);
        assertTrue(line.contains("ETA 0:00"), line);
    }

    @Test
    void fileNamesWithControlCharactersAreNeutralised() {
        String line = Progress.line(0, 100, 0, 0, 0, 0, 1, 1, "evil\r\u001b[2Jname\n.pcap", 200);
        assertFalse(line.contains("\r") || line.contains("\n") || line.contains("\u001b"), line);
    }

    @Test
    void longFileNamesAreCutFromTheLeftToFitTheWidth() {
        String name = "/very/long/directory/".repeat(10) + "capture.pcap";
        String line = Progress.line(0, 100, 0, 0, 0, 0, 1, 1, name, 79);
        assertEquals(79, line.length());
        assertTrue(line.startsWith("...") && line.contains("capture.pcap: 0.0% "), line);
    }

    @Test
    void aNarrowTerminalKeepsSomeOfTheNameAndCutsTheLeastTellingFiguresAtTheEnd() {
        String line = Progress.line(100 * MIB, 400 * MIB, 12_345_678, 10 * S, 4_321, 98_765, 1, 1,
            "/captures/" + "x".repeat(40) + ".pcap", 60);
        assertEquals(60, line.length());
        assertTrue(line.startsWith("..." + "x".repeat(Progress.MIN_NAME - 8) + ".pcap: 25.0% "), line);
        assertTrue(line.contains("ETA 0:30"), line);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        // forced, quiet, terminal -> shown
        "true,  false, false, true",  // --progress with stderr piped
        "false, false, true,  false", // --no-progress on a terminal
        "null,  false, true,  true",  // default on a terminal
        "null,  false, false, false", // default when stderr is not a terminal
        "null,  true,  true,  false", // -q on a terminal
        "true,  true,  true,  false", // -q wins over --progress
    })
    void progressIsShownOnATerminalOrWhenForcedButNeverWithQuiet(Boolean forced, boolean quiet, boolean terminal,
                                                                 boolean shown) {
        assertEquals(shown, Progress.enabled(forced, quiet, terminal));
    }

    @ParameterizedTest
    @CsvSource({"/dev/pts/3, true", "/dev/tty1, true", "/dev/ttyS0, true", "/dev/null, false",
        "pipe:[12345], false", "/tmp/log.txt, false"})
    void aDescriptorIsATerminalWhenItLeadsToATerminalDevice(String target, boolean terminal, @TempDir Path dir)
            throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("2"), Path.of(target));
        assertEquals(terminal, Progress.isTerminal(link));
    }

    @Test
    void aPathThatIsNoLinkIsNotATerminal(@TempDir Path dir) throws IOException {
        assertFalse(Progress.isTerminal(Files.createFile(dir.resolve("2"))));
        assertFalse(Progress.isTerminal(dir.resolve("missing")));
    }

    @Test
    void widthComesFromColumnsWhenSensible() {
        assertEquals(120, Progress.width("120"));
        assertEquals(80, Progress.width(null));
        assertEquals(80, Progress.width("wide"));
        assertEquals(80, Progress.width("5"));
    }

    @Test
    void redrawsInPlaceAtMostOncePerIntervalAndClearsTheWholeLine() {
        AtomicLong now = new AtomicLong();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), now::get, 1, S / 4, List.of("a.pcap"), 0, 1, 1000, 200);
        p.reached(10, 1, 0, 0, "a.pcap");
        assertEquals("", err.toString(), "nothing before the first interval");
        now.set(S);
        p.reached(100, 1_000, 5, 0, "a.pcap");
        String first = err.toString();
        assertTrue(first.startsWith("\ra.pcap: 10.0% 100 B/1000 B ETA 0:09 elapsed 0:01, 1,000 packets/s, 5 held"),
            first);
        now.set(S + S / 8);
        p.reached(200, 2_000, 5, 0, "a.pcap");
        assertEquals(first, err.toString(), "no redraw within a quarter second");
        now.set(2 * S);
        p.reached(1000, 2_000, 0, 5, "a.pcap");
        String second = err.toString().substring(first.length());
        assertTrue(second.startsWith("\ra.pcap: 100.0% "), second);
        p.clear();
        String cleared = err.toString().substring(first.length() + second.length());
        assertEquals("\r" + " ".repeat(second.length() - 1) + "\r", cleared);
        p.clear();
        assertEquals(first.length() + second.length() + cleared.length(), err.toString().length(), "cleared once");
    }

    @Test
    void aShorterLineBlanksWhatRemainsOfTheLongerOne() {
        AtomicLong now = new AtomicLong();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err), now::get, 1, 0, List.of("a", "bb"), 0, 2, -1, 200);
        now.set(S);
        p.reached(1 << 30, 1, 0, 0, "bb");
        int longer = err.toString().length();
        assertTrue(err.toString().startsWith("\r2/2 bb: 1.0 GiB elapsed"), err.toString());
        now.set(2 * S);
        p.reached(1, 1, 0, 0, "a");
        String redraw = err.toString().substring(longer);
        assertEquals(longer, redraw.length(), "as long as the line it replaces: " + redraw);
        assertTrue(redraw.endsWith(" "), redraw);
    }
}
