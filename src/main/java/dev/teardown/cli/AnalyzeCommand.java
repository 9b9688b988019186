package dev.teardown.cli;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Safe;
import dev.teardown.report.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code teardown analyze}: reads capture files and reports every TCP connection's teardown. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads pcap or pcapng files (gzip-compressed too) and tells, for every TCP connection, who "
        + "closed it, how, and which side holds TIME_WAIT until when.",
        "Several files are read as one continuous capture (tcpdump -C / -G ring files) unless --separate."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:analysed", "1:a capture could not be read (results up to the problem are still written)",
        "2:bad usage"})
final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Capture files (pcap, pcapng, optionally gzip).")
    List<Path> files;

    @CommandLine.Mixin
    OutputOptions outputOptions;

    @Option(names = "--time-wait", paramLabel = "SECONDS", defaultValue = "60",
        description = "TIME_WAIT length: Linux 60 (fixed), FreeBSD 2*MSL = 60, Windows 120 (TcpTimedWaitDelay), "
            + "RFC 793 240. Default: ${DEFAULT-VALUE}.")
    long timeWaitSeconds;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "3600",
        description = "Write out an unfinished connection after this long without packets. Default: ${DEFAULT-VALUE}.")
    long idleSeconds;

    @Option(names = "--separate", description = "Analyse each file on its own instead of as one capture.")
    boolean separate;

    @Option(names = {"-q", "--quiet"}, description = "No terminal summary.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (timeWaitSeconds <= 0 || idleSeconds <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--time-wait and --idle-timeout must be positive");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                return fail(err, f + ": " + (Files.exists(f) ? "not a regular file" : "no such file"));
            }
        }
        AnalyzeOptions options = new AnalyzeOptions(timeWaitSeconds * AnalyzeOptions.SECOND,
            idleSeconds * AnalyzeOptions.SECOND);
        int exit = TeardownCommand.EXIT_OK;
        Outputs outputs = null;
        try {
            outputs = Outputs.open(spec.commandLine(), outputOptions, false);
            PrintWriter summaryOut = outputs.summaryOut(spec.commandLine());
            List<List<Path>> runs = new ArrayList<>();
            if (separate) for (Path f : files) runs.add(List.of(f));
            else runs.add(files);
            for (List<Path> run : runs) {
                if (run != runs.get(0) && !quiet) summaryOut.println();
                int code = analyse(run, options, outputs, summaryOut, err);
                exit = Math.max(exit, code);
            }
        } catch (Outputs.OpenFailure e) {
            return fail(err, e.getMessage());
        } catch (NoSuchFileException e) {
            return fail(err, e.getFile() + ": no such file or directory");
        } catch (AccessDeniedException e) {
            return fail(err, e.getFile() + ": permission denied");
        } catch (IOException | UncheckedIOException e) {
            return fail(err, String.valueOf(e.getMessage()));
        } finally {
            if (outputs != null) outputs.close();
        }
        if (outputs.failure() != null) return fail(err, outputs.failure());
        return exit;
    }

    private int analyse(List<Path> run, AnalyzeOptions options, Outputs outputs, PrintWriter summaryOut,
                        PrintWriter err) throws IOException {
        Summary summary = new Summary();
        List<RecordSink> sinks = new ArrayList<>(outputs.sinks());
        sinks.add(summary);
        Analysis.Result result;
        try (PacketSource source = CaptureFiles.open(run)) {
            result = Analysis.run(source, options, sinks);
        }
        if (!quiet) {
            String title = "teardown: " + String.join(" + ", run.stream().map(Path::toString).toList());
            summary.print(summaryOut, title, result.totals(), timeWaitSeconds);
        }
        if (result.failure() != null) {
            outputs.flush();
            return fail(err, result.failure().getMessage() + " (results up to there were written)");
        }
        return TeardownCommand.EXIT_OK;
    }

    private static int fail(PrintWriter err, String message) {
        err.println("teardown: " + Safe.text(message));
        err.flush();
        return TeardownCommand.EXIT_INPUT;
    }
}
