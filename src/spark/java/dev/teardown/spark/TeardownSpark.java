package dev.teardown.spark;

import dev.teardown.cli.TimeWaitArgs;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.Safe;
import dev.teardown.timewait.TimeWaitOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code teardown-spark}: the analysis of {@code teardown analyze} as a Spark job, over captures on any Hadoop file
 * system (local, HDFS, S3A). Parses the options and maps outcomes to exit codes; {@link SparkRun} runs the job.
 */
@Command(name = "teardown-spark", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads pcap or pcapng captures (gzip-compressed too) as one continuous capture, on Spark, and writes "
        + "what `teardown analyze` finds: flows/ (CSV, the columns of --csv), flows-parquet/ (by date), summary.json "
        + "(as --summary-json) and timeline/ (as --timeline)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:analysed", "1:a capture could not be read or an output could not be written",
        "2:bad usage (also: an output directory that exists)"})
public final class TeardownSpark implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_INPUT = 1;
    static final int EXIT_USAGE = 2;
    /** Most shards: each walks the whole packet-time track, and the merge compares every shard's next event. */
    static final int MAX_SHARDS = Byte.MAX_VALUE;

    @Option(names = "--input", required = true, paramLabel = "PATH_OR_GLOB",
        description = "Capture files, directories or globs on any Hadoop file system; repeatable. Read as one capture "
            + "(ring files), ordered by their first packet.")
    List<String> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory; must not exist.")
    String output;

    @CommandLine.Mixin
    TimeWaitArgs timeWaitArgs;

    @Option(names = "--time-wait", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_TIME_WAIT_SECONDS,
        description = "TIME_WAIT length, as for analyze. Default: ${DEFAULT-VALUE}.")
    long timeWaitSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "" + AnalyzeOptions.DEFAULT_IDLE_TIMEOUT_SECONDS,
        description = "Write out an unfinished connection after this long without packets. Default: ${DEFAULT-VALUE}.")
    long idleSeconds;

    @Option(names = "--step", paramLabel = "SECONDS", defaultValue = "1",
        description = "The timeline's step: 0.001 to 86400 seconds. Default: ${DEFAULT-VALUE}.")
    BigDecimal step;

    @Option(names = "--shards", paramLabel = "N",
        description = "Partitions the connections are spread over by their 4-tuple, 1 to " + MAX_SHARDS
            + ". Default: spark.default.parallelism, at most " + MAX_SHARDS + ".")
    Integer shards;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "Connections one shard holds at once; beyond, the oldest is written out early and counted. "
            + "Default: as many as fit in half of one task's share of an executor's heap at 2 KiB each.")
    Integer maxConnections;

    @Option(names = "--payload-cap", paramLabel = "BYTES",
        description = "Payload bytes of each segment carried to its shard, as a snaplen would cut them. Default: all.")
    Integer payloadCap;

    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master when not run by spark-submit, e.g. local[*] (scripts/spark-local.sh).")
    String master;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TeardownSpark()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        PrintWriter err = cmd.getErr();
        long stepNanos = stepNanos(cmd);
        if (shards != null && (shards < 1 || shards > MAX_SHARDS)) {
            throw new CommandLine.ParameterException(cmd, "--shards must be 1 to " + MAX_SHARDS + ", not " + shards);
        }
        if (maxConnections != null && maxConnections < 1) {
            throw new CommandLine.ParameterException(cmd, "--max-connections must be positive, not " + maxConnections);
        }
        if (payloadCap != null && payloadCap < 0) {
            throw new CommandLine.ParameterException(cmd, "--payload-cap must be 0 or more, not " + payloadCap);
        }
        AnalyzeOptions options;
        try {
            options = new AnalyzeOptions(timeWaitSeconds * AnalyzeOptions.SECOND, idleSeconds * AnalyzeOptions.SECOND,
                maxConnections == null ? 1 : maxConnections);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--time-wait must be 1 to " + AnalyzeOptions.MAX_TIME_WAIT_SECONDS
                + " and --idle-timeout 1 to " + AnalyzeOptions.MAX_IDLE_TIMEOUT_SECONDS + " seconds");
        }
        TimeWaitOptions timeWait = timeWaitArgs.options(cmd, options).withStep(stepNanos);
        SparkSession.Builder builder = SparkSession.builder().appName("teardown")
            .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
            .config("spark.kryo.classesToRegister", SegmentKey.class.getName()) // a number, not a name, per segment
            .config("spark.kryo.referenceTracking", "false") // segments share no objects: no identity map per record
            .config("spark.sql.debug.maxToStringFields", "100"); // the flow schema's columns, without a warning
        if (master != null) builder.master(master);
        SparkSession spark = builder.getOrCreate();
        try {
            SparkRun.Settings settings = new SparkRun.Settings(inputs, output, options, maxConnections == null,
                timeWait, shards, payloadCap == null ? Integer.MAX_VALUE : payloadCap);
            SparkRun.Result result = SparkRun.run(spark, settings);
            PrintWriter out = cmd.getOut();
            out.println(Safe.text(String.format(Locale.ROOT, "teardown-spark: %,d packets, %,d connections on %d shards: "
                + "%s (files ordered in %.1f s, decoded and analysed with Parquet written in %.1f s, CSV in %.1f s, "
                + "merged in %.1f s)", result.totals().packets(), result.connections(), result.shards(), output,
                result.orderSeconds(), result.analysisSeconds(), result.csvSeconds(), result.mergeSeconds())));
            out.flush();
            return EXIT_OK;
        } catch (SparkRun.OutputExists e) {
            return fail(err, e.getMessage(), EXIT_USAGE);
        } catch (IOException | RuntimeException e) {
            // A task's I/O failure (an unreadable or corrupt file, a full disk) arrives wrapped in Spark's exceptions.
            return fail(err, message(e), EXIT_INPUT);
        } finally {
            if (master != null) spark.stop();
        }
    }

    /** The step in nanoseconds, in whole microseconds from 0.001 to 86,400 s; a usage error otherwise. */
    private long stepNanos(CommandLine cmd) {
        BigDecimal micros = step.movePointRight(6).stripTrailingZeros();
        if (micros.scale() > 0 || micros.compareTo(BigDecimal.valueOf(1000)) < 0 || micros.compareTo(BigDecimal.valueOf(86_400_000_000L)) > 0) {
            throw new CommandLine.ParameterException(cmd, "--step must be 0.001 to 86,400 seconds in whole microseconds, "
                + "not " + step.toPlainString());
        }
        return micros.longValueExact() * 1000L;
    }

    /** The root cause's message: a task's failure arrives wrapped by Spark. */
    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static int fail(PrintWriter err, String message, int code) {
        err.println("teardown-spark: " + Safe.text(message));
        err.flush();
        return code;
    }
}
