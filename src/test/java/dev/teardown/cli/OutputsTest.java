package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.pipeline.AnalyzeOptions;
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

    @Test
    void aLiveTimelineIsWrittenInPlaceEachRowFlushedAndAnAnalyzeOneOnlyWhenPutInPlace(@TempDir Path dir) throws Exception {
        Path timeline = dir.resolve("tw.csv");
        OutputOptions o = options(null, null);
        o.timeline = timeline.toString();
        o.step = "1";

        Outputs live = Outputs.open(TeardownCommand.commandLine(), o, true);
        assertEquals(List.of("tw.csv"), listing(dir));
        assertTrue(Files.readString(timeline).startsWith("time,server_ip,"), "the header is flushed at once");
        live.close();

        Files.writeString(timeline, "an older run\n");
        Outputs analyze = Outputs.open(TeardownCommand.commandLine(), o, false);
        assertEquals(2, listing(dir).size(), "a temporary file beside the old one: " + listing(dir));
        analyze.close();
        assertEquals(List.of("tw.csv"), listing(dir));
        assertEquals(List.of("time,server_ip,server_port,open,time_wait_server,time_wait_client,closes_client,"
            + "closes_server,closes_both,resets,partial"), Files.readAllLines(timeline));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
