package dev.teardown.cli;

import dev.teardown.report.Safe;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The outputs both {@code analyze} and {@code live} take (picocli mixin): per-connection records, and the timeline. */
final class OutputOptions {
    /** Shortest {@code --step}, in microseconds: a millisecond; TIME_WAIT is counted in seconds. */
    static final long MIN_STEP_MICROS = 1_000;
    /** Longest {@code --step}, in microseconds: a day. */
    static final long MAX_STEP_MICROS = 86_400_000_000L;

    @Option(names = "--csv", paramLabel = "FILE",
        description = "Write the flow-summary CSV, one row per connection (docs/output.md), to FILE, or - for "
            + "stdout. live flushes each row as it is written.")
    String csv;

    @Option(names = "--json", paramLabel = "FILE",
        description = "Write the same records as JSON Lines, one object per connection, to FILE, or - for stdout.")
    String json;

    @Option(names = "--zeek-conn", paramLabel = "FILE",
        description = "Write the same records as a Zeek conn.log (tab-separated, #fields and #types headers, Zeek's "
            + "fields then teardown's other columns; docs/output.md), for zeek-cut and conn.log readers, to FILE, "
            + "or - for stdout.")
    String zeekConn;

    @Option(names = "--timeline", paramLabel = "FILE",
        description = "Write TIME_WAIT over time (docs/output.md): per step and server endpoint, connections open, "
            + "in TIME_WAIT on each side, and closes, as CSV to FILE, or - for stdout.")
    String timeline;

    @Option(names = "--summary-json", paramLabel = "FILE",
        description = "Write the summary (totals, endpoints, TIME_WAIT peaks and limits, what-if, findings) as one JSON "
            + "object per capture, one per line (docs/output.md), to FILE, or - for stdout.")
    String summaryJson;

    @Option(names = "--html", paramLabel = "FILE",
        description = "Write the report as one self-contained HTML page (charts, findings, tables; it loads nothing and "
            + "runs no script) to FILE, or - for stdout; live writes it when the capture stops.")
    String html;

    @Option(names = "--step", paramLabel = "SECONDS", defaultValue = "1",
        description = "The timeline's step: 0.001 to 86400 seconds, in whole microseconds. Default: ${DEFAULT-VALUE}.")
    String step;

    /**
     * The timeline's step in nanoseconds: a usage error (exit 2) naming {@code --step} when it is not a number
     * of seconds from 0.001 to 86,400 in whole microseconds, or is given without {@code --timeline}.
     */
    long stepNanos(CommandLine cmd) {
        BigDecimal micros;
        try {
            micros = new BigDecimal(step).movePointRight(6);
        } catch (NumberFormatException | ArithmeticException e) {
            micros = null; // not a number, or an exponent beyond BigDecimal's scale
        }
        if (micros == null || micros.compareTo(BigDecimal.valueOf(MIN_STEP_MICROS)) < 0
            || micros.compareTo(BigDecimal.valueOf(MAX_STEP_MICROS)) > 0) {
            throw new CommandLine.ParameterException(cmd, "--step must be 0.001 to 86,400 seconds, not " + Safe.text(step));
        }
        if (micros.stripTrailingZeros().scale() > 0) {
            throw new CommandLine.ParameterException(cmd, "--step must be whole microseconds (at most 6 decimals), not "
                + Safe.text(step));
        }
        if (timeline == null && cmd.getParseResult() != null && cmd.getParseResult().hasMatchedOption("--step")) {
            throw new CommandLine.ParameterException(cmd, "--step needs --timeline");
        }
        return micros.longValueExact() * 1_000L;
    }

    /** The outputs given, by option, for {@link OutputUsage#check}: {@code -} (stdout) as a null file. */
    List<OutputUsage.Named> named() {
        List<OutputUsage.Named> named = new ArrayList<>();
        if (csv != null) named.add(new OutputUsage.Named("--csv", "-".equals(csv) ? null : csv));
        if (json != null) named.add(new OutputUsage.Named("--json", "-".equals(json) ? null : json));
        if (zeekConn != null) named.add(new OutputUsage.Named("--zeek-conn", "-".equals(zeekConn) ? null : zeekConn));
        if (timeline != null) named.add(new OutputUsage.Named("--timeline", "-".equals(timeline) ? null : timeline));
        if (summaryJson != null) {
            named.add(new OutputUsage.Named("--summary-json", "-".equals(summaryJson) ? null : summaryJson));
        }
        if (html != null) named.add(new OutputUsage.Named("--html", "-".equals(html) ? null : html));
        return named;
    }
}
