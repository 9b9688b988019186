package dev.teardown.bench;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row formatting alone: {@link CsvSink} writing the real records of the captures (made once by running each
 * through {@link Analysis} into a collecting sink) to a writer that drops everything, as {@code --csv /dev/null}
 * would minus the system calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CsvRowBench {
    /** {@code auto}, {@code samples} or the path of one capture: see {@link Captures}. */
    @Param(Settings.CAPTURE)
    public String capture;

    private FlowRecord[] records;

    @Setup
    public void load() throws IOException {
        List<FlowRecord> all = new ArrayList<>();
        RecordSink collect = all::add;
        for (Path p : Captures.paths(capture)) {
            try (PacketSource source = CaptureFiles.open(p)) {
                Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(collect));
                if (r.failure() != null) {
                    throw new UncheckedIOException(p.toString(), r.failure());
                }
            }
        }
        records = all.toArray(new FlowRecord[0]);
        System.out.println(records.length + " records");
    }

    /** One pass over every record into a fresh sink (its header line included); items = rows. */
    @Benchmark
    public void csvRows(Items items) throws IOException {
        try (CsvSink sink = new CsvSink(Writer.nullWriter(), false)) {
            for (FlowRecord r : records) {
                sink.accept(r);
            }
        }
        items.items += records.length;
    }
}
