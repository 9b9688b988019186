package dev.teardown.cli;

import dev.teardown.answer.AnswerText;
import dev.teardown.answer.Finding;
import dev.teardown.answer.Findings;
import dev.teardown.answer.HtmlReport;
import dev.teardown.answer.SummaryJson;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.SummaryFigures;
import dev.teardown.report.SummaryText;
import dev.teardown.timewait.TimeWaitFigures;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/**
 * Writes one run's answer from one model (the summary's figures, the TIME_WAIT stage's figures, the findings of
 * both) in three views: the terminal summary with its TIME_WAIT and findings blocks, the summary JSON, and the HTML
 * report.
 */
final class Answer {
    private Answer() {}

    /**
     * Writes the summary of one run to {@code summaryOut} (none when null), to the summary JSON output when
     * {@code outputs} has one, and its report to the HTML page when asked for.
     */
    static void write(SummaryFigures figures, Optional<TimeWaitFigures> timeWait, CaptureTotals totals, String title,
                      long timeWaitSeconds, PrintWriter summaryOut, Outputs outputs) {
        List<Finding> findings = Findings.of(figures, timeWait);
        if (summaryOut != null) {
            SummaryText.print(summaryOut, figures, title, totals, timeWaitSeconds);
            timeWait.ifPresent(t -> {
                AnswerText.printTimeWait(summaryOut, t);
                AnswerText.printWhatIf(summaryOut, t.whatIf());
            });
            if (figures.connections() > 0) AnswerText.printFindings(summaryOut, findings);
            summaryOut.flush();
        }
        if (outputs.wantsSummaryJson()) outputs.writeSummaryJson(SummaryJson.of(title, figures, totals, timeWait, findings));
        if (outputs.wantsHtml()) {
            HtmlPage page = outputs.htmlPage();
            page.add(title, HtmlReport.article(page.nextRun(), title, figures, totals, timeWait, findings, timeWaitSeconds));
        }
    }
}
