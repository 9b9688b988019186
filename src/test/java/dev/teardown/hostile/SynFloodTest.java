package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.cli.TeardownCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A SYN flood read by {@code teardown analyze}: memory is bounded by --max-connections, and nothing is lost. */
@Tag("hostile")
class SynFloodTest {
    private static final int SYNS = 5_000;
    private static final Pattern PEAK = Pattern.compile("\\(at most ([0-9,]+) open at once\\)");

    @Test
    void aSynFloodHoldsNoMoreThanMaxConnectionsAndStillWritesEveryAttempt(@TempDir Path dir) throws IOException {
        Path capture = dir.resolve("flood.pcap");
        Files.write(capture, HostileCaptures.synFlood(SYNS));
        Path csv = dir.resolve("flows.csv");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = TeardownCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("analyze", "--max-connections", "1000", capture.toString(), "--csv", csv.toString());
        assertEquals(0, exit, err.toString());
        assertEquals(SYNS + 1, Files.readAllLines(csv).size(), "a row for every half-open connection");
        Matcher peak = PEAK.matcher(out.toString());
        assertTrue(peak.find(), out.toString());
        // A new connection may be stored before the least recently active one is written out: max + 1 at most.
        assertTrue(Integer.parseInt(peak.group(1).replace(",", "")) <= 1001, "held at once: " + peak.group());
        assertTrue(out.toString().contains("written out early"), "the summary warns of early writes: " + out);
    }
}
