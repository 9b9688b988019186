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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * Row formatting alone: {@link CsvSink} writing the real records of the captures (made once by running each
 * through {@link Analysis} into a collecting sink) to a writer that drops everything, as {@code --csv /dev/null}
 * would minus the system calls.
 */
public class CsvRowBench extends CaptureBench {
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
