package dev.teardown.cli;

import dev.teardown.answer.HtmlReport;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML report's page while runs are analysed: one report per run (several with {@code --separate}), kept until
 * the outputs close and the page is written whole. Memory: each run's report, some tens of KB.
 */
final class HtmlPage {
    private final List<String> reports = new ArrayList<>();
    private String title;

    /** The number the next run's report takes in the page: 1, 2, ... */
    int nextRun() {
        return reports.size() + 1;
    }

    /** Adds one run's report, titled {@code runTitle}; the page takes the title of its one run, or counts them. */
    void add(String runTitle, String report) {
        title = reports.isEmpty() ? runTitle : "teardown: " + (reports.size() + 1) + " captures";
        reports.add(report);
    }

    boolean isEmpty() {
        return reports.isEmpty();
    }

    /** The whole page, once: the reports are let go. */
    String take() {
        String page = HtmlReport.page(title, reports);
        reports.clear();
        return page;
    }
}
