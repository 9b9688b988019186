package dev.teardown.hostile;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryText;
import dev.teardown.answer.AnswerText;
import dev.teardown.answer.Findings;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Measures what an analysis costs as its input grows: CPU time of the analysing thread (not wall-clock, so
 * other processes on the machine matter less), output size and records, for n, 2n and 4n.
 *
 * <p>Tests compare ratios between sizes, never absolute times: linear work gives 2 and 4, quadratic 4 and 16.
 */
final class Work {
    private Work() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** What one analysis of one capture cost and produced. */
    record Cost(int n, long cpuNanos, long csvChars, long csvRows, long longestRow, Analysis.Result result) {}

    /** Costs at n, 2n and 4n, and their ratios to n. */
    record Sweep(String name, List<Cost> costs) {
        double timeRatio(int i) {
            return (double) costs.get(i).cpuNanos() / Math.max(1, costs.get(0).cpuNanos());
        }

        double outputRatio(int i) {
            return (double) costs.get(i).csvChars() / Math.max(1, costs.get(0).csvChars());
        }

        double longestRowRatio(int i) {
            return (double) costs.get(i).longestRow() / Math.max(1, costs.get(0).longestRow());
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(name).append(':');
            for (Cost c : costs) {
                b.append(String.format(Locale.ROOT, " n=%d cpu=%.1fms rows=%d chars=%d longest=%d;", c.n(),
                    c.cpuNanos() / 1e6, c.csvRows(), c.csvChars(), c.longestRow()));
            }
            return b.append(String.format(Locale.ROOT, " time ratios 2n/n=%.2f 4n/n=%.2f", timeRatio(1), timeRatio(2)))
                .toString();
        }
    }

    /**
     * Analyses {@code capture.apply(n)}, {@code 2n} and {@code 4n}, {@code repetitions} rounds of all three
     * (so that a burst of load elsewhere hits every size alike), keeping each size's least CPU time: the run
     * least disturbed by other processes (collector threads' own CPU time is not counted). One unmeasured run
     * at 4n first warms the JIT and grows the heap to what the largest run needs, whose first touch would
     * otherwise be charged to that run. With {@code summary}, a terminal {@link Summary} is kept and printed.
     */
    static Sweep sweep(String name, IntFunction<byte[]> capture, int n, int repetitions, boolean summary) {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        int[] sizes = {n, 2 * n, 4 * n};
        byte[][] captures = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) captures[i] = capture.apply(sizes[i]);
        analyse(captures[2], sizes[2], summary);
        Cost[] best = new Cost[sizes.length];
        for (int r = 0; r < repetitions; r++) {
            for (int i = 0; i < sizes.length; i++) {
                Cost c = analyse(captures[i], sizes[i], summary);
                if (best[i] == null || c.cpuNanos() < best[i].cpuNanos()) best[i] = c;
            }
        }
        Sweep s = new Sweep(name, List.of(best));
        System.out.println(s);
        return s;
    }

    /** One analysis of {@code capture} with a CSV sink (counted, not kept), and a summary when asked. */
    static Cost analyse(byte[] capture, int n, boolean summary) {
        CountingWriter csvOut = new CountingWriter();
        Summary s = summary ? new Summary() : null;
        long before = THREADS.getCurrentThreadCpuTime();
        Analysis.Result result;
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "hostile.pcap");
             CsvSink csv = new CsvSink(csvOut, false)) {
            List<RecordSink> sinks = s == null ? List.of(csv) : List.of(csv, s);
            // With the summary, the TIME_WAIT stage and the findings too, as the terminal summary needs them.
            AnalyzeOptions options = AnalyzeOptions.defaults();
            TimeWaitStage stage = s == null ? TimeWaitStage.none()
                : new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(), options.idleTimeoutNanos()), null);
            result = Analysis.run(source, options, sinks, stage, () -> false);
            if (s != null) {
                PrintWriter none = new PrintWriter(Writer.nullWriter());
                SummaryText.print(none, s.figures(), "hostile", result.totals(), 60);
                stage.figures().ifPresent(t -> AnswerText.printTimeWait(none, t));
                AnswerText.printFindings(none, Findings.of(s.figures(), stage.figures()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - before;
        return new Cost(n, cpu, csvOut.chars, csvOut.rows, csvOut.longest, result);
    }

    /**
     * Heap bytes that the terminal summary of {@code capture} still holds after the analysis (the summary
     * only, no CSV): measured as live heap after full collections with and without the summary reachable.
     */
    static long summaryRetainedBytes(byte[] capture) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        collect();
        long base = memory.getHeapMemoryUsage().getUsed();
        Summary s = new Summary();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "hostile.pcap")) {
            Analysis.run(source, AnalyzeOptions.defaults(), List.of(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        collect();
        long held = memory.getHeapMemoryUsage().getUsed() - base;
        Reference.reachabilityFence(s);
        return held;
    }

    private static void collect() {
        for (int i = 0; i < 3; i++) System.gc();
    }

    /** Counts characters, rows and the longest row of what it is given, and keeps nothing. */
    static final class CountingWriter extends Writer {
        long chars;
        long rows;
        long longest;
        private long current;

        @Override
        public void write(char[] cbuf, int off, int len) {
            for (int i = off; i < off + len; i++) count(cbuf[i]);
        }

        @Override
        public void write(String str, int off, int len) {
            for (int i = off; i < off + len; i++) count(str.charAt(i));
        }

        @Override
        public Writer append(CharSequence csq) {
            for (int i = 0; i < csq.length(); i++) count(csq.charAt(i));
            return this;
        }

        private void count(char c) {
            chars++;
            if (c == '\n') {
                rows++;
                longest = Math.max(longest, current);
                current = 0;
            } else {
                current++;
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
