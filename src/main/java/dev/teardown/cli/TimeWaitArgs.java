package dev.teardown.cli;

import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.Safe;
import dev.teardown.timewait.TimeWaitOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The host limits and what-if values both {@code analyze} and {@code live} take (picocli mixin); public for the Spark
 * job, which takes them too.
 */
public final class TimeWaitArgs {
    /** Most {@code --what-if-idle} values. */
    static final int MAX_WHAT_IF = 16;
    /** Longest {@code --what-if-idle} value: a day, in seconds. */
    static final double MAX_WHAT_IF_SECONDS = 86_400;

    @Option(names = "--max-tw-buckets", paramLabel = "N",
        description = "The host's net.ipv4.tcp_max_tw_buckets (read it with sysctl), against which TIME_WAIT peaks are "
            + "held. Default: " + TimeWaitOptions.DEFAULT_MAX_TW_BUCKETS + ", Linux 6.x's value on a 24 GiB machine "
            + "(it scales with memory), marked as assumed.")
    Long maxTwBuckets;

    @Option(names = "--port-range", paramLabel = "LOW-HIGH",
        description = "The clients' net.ipv4.ip_local_port_range, against which client-held TIME_WAIT toward one "
            + "server endpoint is held. Default: Linux's " + TimeWaitOptions.DEFAULT_PORT_LOW + "-"
            + TimeWaitOptions.DEFAULT_PORT_HIGH + ", marked as assumed.")
    String portRange;

    @Option(names = "--what-if-idle", paramLabel = "SECONDS[,SECONDS...]",
        description = "Keep-alive idle timeouts to try in the what-if, besides the inferred one and 15, 30, 60, 75 "
            + "(at most " + MAX_WHAT_IF + " values, each above 0 and at most 86400).")
    String whatIfIdle;

    /** The TIME_WAIT stage's options for {@code analysis}: a usage error (exit 2) naming the option that is wrong. */
    public TimeWaitOptions options(CommandLine cmd, AnalyzeOptions analysis) {
        TimeWaitOptions d = TimeWaitOptions.defaults(analysis.timeWaitNanos(), analysis.idleTimeoutNanos());
        long buckets = d.maxTwBuckets();
        if (maxTwBuckets != null) {
            if (maxTwBuckets < 1 || maxTwBuckets > Integer.MAX_VALUE) {
                throw new CommandLine.ParameterException(cmd, "--max-tw-buckets must be 1 to " + Integer.MAX_VALUE
                    + ", not " + maxTwBuckets);
            }
            buckets = maxTwBuckets;
        }
        int low = d.portLow();
        int high = d.portHigh();
        if (portRange != null) {
            String[] parts = portRange.trim().split("\\s*[-\\s]\\s*");
            int[] v = parts.length == 2 ? new int[] {port(parts[0]), port(parts[1])} : null;
            if (v == null || v[0] < 1 || v[1] < 1 || v[0] > v[1]) {
                throw new CommandLine.ParameterException(cmd, "--port-range must be LOW-HIGH with 1 <= LOW <= HIGH <= "
                    + "65535 (e.g. 32768-60999), not " + Safe.text(portRange));
            }
            low = v[0];
            high = v[1];
        }
        List<Double> whatIf = new ArrayList<>();
        if (whatIfIdle != null) {
            for (String item : whatIfIdle.split(",", -1)) {
                double seconds;
                try {
                    seconds = Double.parseDouble(item.trim());
                } catch (NumberFormatException e) {
                    seconds = Double.NaN;
                }
                if (!(seconds > 0 && seconds <= MAX_WHAT_IF_SECONDS)) {
                    throw new CommandLine.ParameterException(cmd, "--what-if-idle takes seconds above 0 and at most 86400,"
                        + " comma-separated; not " + Safe.text(item));
                }
                whatIf.add(seconds);
            }
            if (whatIf.size() > MAX_WHAT_IF) {
                throw new CommandLine.ParameterException(cmd, "--what-if-idle takes at most " + MAX_WHAT_IF + " values");
            }
        }
        return new TimeWaitOptions(d.timeWaitNanos(), d.idleNanos(), d.stepNanos(), buckets, low, high, whatIf,
            maxTwBuckets != null, portRange != null);
    }

    /** A port number, or -1. */
    private static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 1 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
