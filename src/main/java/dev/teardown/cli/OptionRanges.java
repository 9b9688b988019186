package dev.teardown.cli;

import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.ThreadPlan;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Range checks for numeric options: a value out of range is a usage error (exit 2) naming that option, its
 * range and the value given, before anything is opened; a value within range never overflows once in
 * nanoseconds.
 */
final class OptionRanges {
    private OptionRanges() {}

    /** {@code seconds} of {@code option} in nanoseconds, if it is 1 to {@code maxSeconds}. */
    static long seconds(CommandLine cmd, String option, long seconds, long maxSeconds) {
        return between(cmd, option, seconds, 1, maxSeconds, " seconds") * AnalyzeOptions.SECOND;
    }

    /** {@code value} of {@code option}, if it is {@code min} to {@code max} ({@code unit} follows the numbers). */
    static long between(CommandLine cmd, String option, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                ? (min == 0 ? " must not be negative" : " must be at least " + number(min) + unit)
                : " must be " + number(min) + " to " + number(max) + unit;
            throw new CommandLine.ParameterException(cmd, option + range + ", not " + value);
        }
        return value;
    }

    /** Whether option {@code name} was given on the command line (not left to its default). */
    static boolean given(CommandLine cmd, String name) {
        CommandLine.ParseResult given = cmd.getParseResult();
        return given != null && given.hasMatchedOption(name);
    }

    /**
     * The threads a run uses, {@code threads} being {@code --threads}: one thread for 1; the relay
     * ({@link ThreadPlan#relay}) when {@code --max-connections} was given, since the bound is one table's and the relay
     * keeps one table, as one thread does (with a note on stderr when {@code --threads} was given too, as its number is
     * then not the analysing threads'); else the number given on the command line as it is ({@link ThreadPlan#of}), or
     * this machine's default plan ({@link ThreadPlan#byDefault}).
     */
    static ThreadPlan threadPlan(CommandLine cmd, java.io.PrintWriter err, int threads) {
        if (threads == 1) return ThreadPlan.of(1);
        if (given(cmd, MachineDefaults.MAX_CONNECTIONS)) {
            if (given(cmd, MachineDefaults.THREADS)) {
                err.println("teardown: --threads " + threads + ": reading, analysing and writing on three threads: "
                    + "--max-connections bounds one table, kept by one analysing thread");
                err.flush();
            }
            return ThreadPlan.relay();
        }
        if (given(cmd, MachineDefaults.THREADS)) return ThreadPlan.of(threads);
        return ThreadPlan.byDefault(threads);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Supplies the defaults this machine decides, so that {@code --help} shows the values in force:
     * {@code --max-connections} from this JVM's heap ({@link AnalyzeOptions#defaultMaxConnections()}), and
     * {@code --threads} from its cores.
     */
    static final class MachineDefaults implements CommandLine.IDefaultValueProvider {
        static final String MAX_CONNECTIONS = "--max-connections";
        static final String THREADS = "--threads";

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof CommandLine.Model.OptionSpec o)) return null;
            if (MAX_CONNECTIONS.equals(o.longestName())) return String.valueOf(AnalyzeOptions.defaultMaxConnections());
            if (THREADS.equals(o.longestName())) return String.valueOf(defaultThreads());
            return null;
        }

        /** The cores this JVM may use, at most {@link Analysis#MAX_THREADS}. */
        static int defaultThreads() {
            return Math.min(Analysis.MAX_THREADS, Runtime.getRuntime().availableProcessors());
        }
    }

    /** The help of {@code --verify-checksums}, which both commands take. */
    static final String VERIFY_CHECKSUMS_HELP = "Check TCP checksums: a segment that fails is dropped, as its receiver "
        + "drops it, and shows only as the history letter c (C from the client). Only for captures off the wire (a "
        + "tap, a mirror port): a host that offloads checksums, and loopback, capture its own segments unfilled.";

    /** The analysis settings both commands share, each number checked against its range (exit 2 naming it). */
    static AnalyzeOptions analyzeOptions(CommandLine cmd, long timeWaitSeconds, long idleSeconds, long maxConnections) {
        return new AnalyzeOptions(
            seconds(cmd, "--time-wait", timeWaitSeconds, AnalyzeOptions.MAX_TIME_WAIT_SECONDS),
            seconds(cmd, "--idle-timeout", idleSeconds, AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS),
            (int) between(cmd, "--max-connections", maxConnections, 1, Integer.MAX_VALUE, ""));
    }
}
