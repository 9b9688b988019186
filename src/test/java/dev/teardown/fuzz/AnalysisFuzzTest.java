package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.report.JsonSink;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The whole analysis on any bytes given as a capture file, as {@code teardown analyze} runs it: reader,
 * decoder, tracker, HTTP stage, CSV, JSON Lines and the terminal summary. Nothing may escape but the
 * documented I/O exception with a one-line message, and the outputs must hold to {@link OutputInvariants}.
 * Seeds are the project's sample captures ({@code AnalysisFuzzTestInputs}).
 */
class AnalysisFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyCaptureFileGivesWellFormedOutputsOrAOneLineError(byte[] file) {
        StringWriter csvText = new StringWriter();
        StringWriter jsonText = new StringWriter();
        StringWriter summaryText = new StringWriter();
        Summary summary = new Summary();
        Analysis.Result result;
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), "fuzz.pcap");
             CsvSink csv = new CsvSink(csvText, false);
             JsonSink json = new JsonSink(jsonText, false)) {
            result = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv, json, summary));
        } catch (IOException e) {
            CaptureInvariants.oneLine(e.getMessage());
            return;
        }
        if (result.failure() != null) CaptureInvariants.oneLine(result.failure().getMessage());
        SummaryText.print(new PrintWriter(summaryText), summary.figures(), "teardown: fuzz.pcap", result.totals(), 60);
        int rows = OutputInvariants.csv(csvText.toString()).size();
        check(rows == summary.connections(), rows + " CSV rows but the summary counts " + summary.connections());
        check(OutputInvariants.jsonLines(jsonText.toString()) == rows, "a JSON line per CSV row");
        OutputInvariants.terminal(summaryText.toString());
        check(result.totals().tcpSegments() <= result.totals().packets(), "TCP segments among packets");
        check(rows <= result.totals().tcpSegments(), rows + " connections from " + result.totals().tcpSegments()
            + " TCP segments");
    }
}
