package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Opening, putting in place and throwing away the record outputs together. */
class OutputsTest {

    private static OutputOptions options(String csv, String json) {
        OutputOptions o = new OutputOptions();
        o.csv = csv;
        o.json = json;
        return o;
    }

    @Test
    void anOutputThatCannotBeOpenedLeavesEveryTargetAsItWasAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Files.writeString(csv, "an older run\n");
        CommandLine cmd = TeardownCommand.commandLine();
        Outputs.OpenFailure e = assertThrows(Outputs.OpenFailure.class, () -> Outputs.open(cmd,
            options(csv.toString(), dir.resolve("no/such/dir/flows.jsonl").toString()), false));
        assertTrue(e.getMessage().endsWith("flows.jsonl: no such file or directory"), e.getMessage());
        assertEquals("an older run\n", Files.readString(csv));
        assertEquals(List.of("flows.csv"), listing(dir));
    }

    @Test
    void discardingTheTemporaryFilesOnASecondInterruptLeavesTheTargetsAsTheyWere(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Files.writeString(csv, "an older run\n");
        Outputs outputs = Outputs.open(TeardownCommand.commandLine(),
            options(csv.toString(), dir.resolve("flows.jsonl").toString()), false);
        assertEquals(3, listing(dir).size(), "two temporary files beside the old csv: " + listing(dir));
        outputs.discardTemporaryFiles();
        assertEquals(List.of("flows.csv"), listing(dir));
        assertEquals("an older run\n", Files.readString(csv));
    }

    @Test
    void liveOutputsAreTheTargetsThemselves(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flows.csv");
        Outputs outputs = Outputs.open(TeardownCommand.commandLine(), options(csv.toString(), null), true);
        assertEquals(List.of("flows.csv"), listing(dir));
        assertTrue(Files.readString(csv).startsWith("flow_id,"), "the header is flushed at once");
        outputs.close();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
