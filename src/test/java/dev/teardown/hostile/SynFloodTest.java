package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.cli.TeardownCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A SYN flood read by {@code teardown analyze}: memory is bounded by --max-connections, and nothing is lost. */
@Tag("hostile")
class SynFloodTest {
    private static final int SYNS = 5_000;

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
        assertTrue(out.toString().contains("(at most 1,000 open at once)"), out.toString());
    }
}
