package dev.teardown.pipeline;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.FlowHash;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the steps of a sharded run in this process, as a Spark job runs them in its tasks and driver (each file read
 * on its own, each shard on its own, then the merge), and one thread's analysis of the same files read as one
 * capture, for tests that compare the two.
 */
final class Sharded {
    private Sharded() {}

    /** What a run gives: the records in the order written, the merged records' CSV, summary, totals, stage output. */
    record Output(List<FlowRecord> shardRecords, String csv, SummaryFigures summary, CaptureTotals totals,
                  String timeline, Optional<TimeWaitFigures> figures) {}

    /** One thread's analysis of {@code files} read one after another, with the whole TIME_WAIT stage. */
    static Output oneThread(List<Path> files, AnalyzeOptions options) throws IOException {
        StringWriter csv = new StringWriter();
        StringWriter timeline = new StringWriter();
        Summary summary = new Summary();
        List<FlowRecord> records = new ArrayList<>();
        TimeWaitStage stage = stage(options, timeline);
        Analysis.Result r;
        try (PacketSource source = CaptureFiles.open(files); CsvSink sink = new CsvSink(csv, false)) {
            r = Analysis.run(source, options, List.of(sink, summary, records::add), stage, () -> false);
        }
        if (r.failure() != null) throw r.failure();
        return new Output(records, csv.toString(), summary.figures(), r.totals(), timeline.toString(), stage.figures());
    }

    /** The sharded run of {@code files} on {@code shards} shards, connections spread by {@code hash}. */
    static Output sharded(List<Path> files, AnalyzeOptions options, int shards, FlowHash hash) throws IOException {
        List<String> names = new ArrayList<>();
        List<ShardInput.FileFacts> facts = new ArrayList<>();
        List<byte[]> tracks = new ArrayList<>();
        List<List<Object[]>> own = new ArrayList<>();
        for (int k = 0; k < shards; k++) own.add(new ArrayList<>());
        for (int f = 0; f < files.size(); f++) {
            ByteArrayOutputStream track = new ByteArrayOutputStream();
            try (PacketSource source = CaptureFiles.open(files.get(f))) {
                names.add(source.name());
                facts.add(ShardInput.read(source, f, hash, shards,
                    (shard, position, s) -> own.get(shard).add(new Object[] {position, SegmentCodec.encode(s, 1 << 20)}),
                    new PacketTimes.Writer(track)));
            }
            tracks.add(track.toByteArray());
        }
        ShardAnalysis.Tracks opener = f -> new ByteArrayInputStream(tracks.get(f));
        List<FlowRecord> shardRecords = new ArrayList<>();
        List<DataInput> logs = new ArrayList<>();
        for (int k = 0; k < shards; k++) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            // Each shard's segments as a shuffle delivers them: sorted by position.
            List<Object[]> mine = own.get(k);
            mine.sort((a, b) -> Long.compare((long) a[0], (long) b[0]));
            ShardAnalysis shard = new ShardAnalysis(options, true, names, opener, segments(mine),
                new DataOutputStream(log), shardRecords::add);
            while (shard.step()) {
                // each batch's records are handed on as it is done
            }
            logs.add(new DataInputStream(new ByteArrayInputStream(log.toByteArray())));
        }
        StringWriter csv = new StringWriter();
        StringWriter timeline = new StringWriter();
        Summary summary = new Summary();
        TimeWaitStage stage = stage(options, timeline);
        CaptureTotals totals;
        try (CsvSink sink = new CsvSink(csv, false)) {
            totals = ShardMerge.run(names, facts, opener, logs, options, List.of(sink, summary), stage);
        }
        return new Output(shardRecords, csv.toString(), summary.figures(), totals, timeline.toString(), stage.figures());
    }

    private static TimeWaitStage stage(AnalyzeOptions options, StringWriter timeline) {
        return new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(), options.idleTimeoutNanos()),
            new TimelineCsv(timeline, false));
    }

    private static ShardAnalysis.Segments segments(List<Object[]> sorted) {
        return new ShardAnalysis.Segments() {
            private int next = -1;

            @Override
            public boolean next() {
                return ++next < sorted.size();
            }

            @Override
            public long position() {
                return (long) sorted.get(next)[0];
            }

            @Override
            public byte[] segment() {
                return (byte[]) sorted.get(next)[1];
            }
        };
    }
}
