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
    void theTimeWaitStageIsNeededOnlyByTheOutputsThatShowItsFigures() throws Exception {
        // With -q, AnalyzeCommand skips the stage (its cost) unless one of these asks for its figures.
        CommandLine cmd = TeardownCommand.commandLine();
        assertEquals(false, Outputs.open(cmd, options("/dev/null", "/dev/null"), false).needsTimeWait(),
            "rows alone do not need it");
        OutputOptions json = options(null, null);
        json.summaryJson = "/dev/null";
        OutputOptions timeline = options(null, null);
        timeline.timeline = "/dev/null";
        timeline.step = "1"; // picocli's default
        OutputOptions html = options(null, null);
        html.html = "/dev/null";
        for (OutputOptions o : List.of(json, timeline, html)) {
            assertEquals(true, Outputs.open(cmd, o, false).needsTimeWait());
        }
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

    @Test
    void anHtmlPageOverAnInputOrAnotherOutputIsAUsageErrorAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.pcap");
        Files.copy(Path.of("samples/http10-server-close.pcap"), input);
        AnalyzeCommandTest.Run overInput = AnalyzeCommandTest.run("analyze", input.toString(), "--html", input.toString());
        assertEquals(2, overInput.exit(), overInput.err());
        assertEquals("teardown: --html " + input + " is the input " + input + ": it would be overwritten before it is read",
            overInput.err().lines().findFirst().orElseThrow());
        Path csv = dir.resolve("out");
        AnalyzeCommandTest.Run overCsv = AnalyzeCommandTest.run("analyze", input.toString(), "--csv", csv.toString(),
            "--html", dir.resolve("./out").toString());
        assertEquals(2, overCsv.exit(), overCsv.err());
        assertTrue(overCsv.err().startsWith("teardown: --csv " + csv + " and --html "), overCsv.err());
        AnalyzeCommandTest.Run twoOnStdout = AnalyzeCommandTest.run("analyze", input.toString(), "--csv", "-", "--html", "-");
        assertEquals(2, twoOnStdout.exit(), twoOnStdout.err());
        assertEquals(List.of("in.pcap"), listing(dir));
        AnalyzeCommandTest.Run live = AnalyzeCommandTest.run("live", "-i", "lo", "--json", csv.toString(), "--html",
            csv.toString());
        assertEquals(2, live.exit(), live.err());
        assertTrue(live.err().lines().findFirst().orElseThrow().endsWith("are the same file"), live.err());
        assertEquals(List.of("in.pcap"), listing(dir), "live: nothing created either");
    }

    @Test
    void theHtmlPageReplacesItsTargetWhenCompleteAndMayGoToDevNullWithTheOthers(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        Files.writeString(html, "an older report\n");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "samples/http10-server-close.pcap", "--html",
            html.toString(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("report.html"), listing(dir), "no temporary file left");
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"), "the whole page");
        AnalyzeCommandTest.Run devNull = AnalyzeCommandTest.run("analyze", "samples/http10-server-close.pcap", "--csv",
            "/dev/null", "--summary-json", "/dev/null", "--html", "/dev/null");
        assertEquals(0, devNull.exit(), devNull.err());
    }

    @Test
    void aLiveHtmlPageGoesThroughATemporaryFileLikeAnalyzesWhileRowsAreWrittenInPlace(@TempDir Path dir) throws Exception {
        OutputOptions o = options(dir.resolve("flows.csv").toString(), null);
        o.html = dir.resolve("report.html").toString();
        Outputs live = Outputs.open(TeardownCommand.commandLine(), o, true);
        List<String> during = listing(dir);
        assertEquals(2, during.size(), during.toString());
        assertTrue(during.get(1).startsWith("report.html.teardown-") && during.get(1).endsWith(".tmp"),
            "no half page at report.html while the capture runs: " + during);
        live.close();
        assertEquals(List.of("flows.csv", "report.html"), listing(dir), "put in place when the capture stops");
    }

    @Test
    void anHtmlPageOnStdoutMovesTheSummaryToStderrAndSeparateRunsShareOnePage() {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "samples/http10-server-close.pcap",
            "samples/port-reuse.pcap", "--separate", "--html", "-");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("<!DOCTYPE html>"), r.out());
        assertTrue(r.err().contains("closed first by"), "the summary on stderr: " + r.err());
        org.w3c.dom.Document d = dev.teardown.answer.Pages.parse(r.out());
        assertEquals(List.of("1", "2"), dev.teardown.answer.Pages.attrs(d, "//article", "data-run"));
        assertEquals("teardown: 2 captures", dev.teardown.answer.Pages.one(d, "/html/head/title").getTextContent());
        assertEquals(List.of("teardown: samples/http10-server-close.pcap", "teardown: samples/port-reuse.pcap"),
            dev.teardown.answer.Pages.all(d, "//h1").stream().map(e -> e.getTextContent()).toList());
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
