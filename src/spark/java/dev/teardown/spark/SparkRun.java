package dev.teardown.spark;

import dev.teardown.answer.Findings;
import dev.teardown.answer.SummaryJson;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.ShardAnalysis;
import dev.teardown.pipeline.ShardInput;
import dev.teardown.pipeline.ShardMerge;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import java.io.BufferedWriter;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One run of the Spark job: orders the files (a small job reading each one's first packet), decodes each file in
 * its own task into compact segments keyed by shard and position ({@link DecodeTask}), shuffles them to their shards
 * sorted by position, analyses each shard ({@link ShardTask}), writes the records as Parquet by date and as CSV part
 * files, then merges the shards' logs on the driver ({@link ShardMerge}) into the summary and the timeline.
 *
 * <p>The driver's merge holds one batch of every shard's log, the connections begun and not yet written, and the
 * TIME_WAIT stage's state; its work is a pass over the packet-time tracks and the logs (the segments the stage is
 * told, and one record per connection): what one thread's merger does in {@code analyze --threads}.
 */
final class SparkRun {
    private SparkRun() {}

    /**
     * What to run.
     *
     * @param defaultMaxConnections whether {@code options.maxConnections()} is to be worked out from the executors'
     *     heap
     * @param shards the number of shards, or null for Spark's default parallelism
     */
    record Settings(List<String> inputs, String output, AnalyzeOptions options, boolean defaultMaxConnections,
                    TimeWaitOptions timeWait, Integer shards, int payloadCap) {}

    /**
     * What a run found: the totals, the connections written and the shards used; and how long its parts took, in
     * seconds: ordering the files, decoding them with the shards' analysis and the Parquet write, the CSV write, the
     * driver's merge.
     */
    record Result(CaptureTotals totals, long connections, int shards, double orderSeconds, double analysisSeconds,
                  double csvSeconds, double mergeSeconds) {}

    /** The output directory exists: a run never writes into an earlier one. */
    static final class OutputExists extends IOException {
        OutputExists(String message) {
            super(message);
        }
    }

    static Result run(SparkSession spark, Settings s) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = new HadoopConf(sc.hadoopConfiguration());
        Path out = new Path(s.output());
        FileSystem fs = out.getFileSystem(conf.get());
        if (fs.exists(out)) throw new OutputExists(s.output() + ": exists; name a new output directory");
        long start = System.nanoTime();
        List<InputFile> files = Inputs.ordered(sc, Inputs.list(s.inputs(), conf.get()), conf);
        List<String> names = files.stream().map(InputFile::name).toList();
        int shards = s.shards() != null ? s.shards() : Math.max(1, Math.min(TeardownSpark.MAX_SHARDS, sc.defaultParallelism()));
        AnalyzeOptions options = s.defaultMaxConnections()
            ? s.options().withMaxConnections(AnalyzeOptions.defaultMaxConnections(taskHeap(sc))) : s.options();
        fs.mkdirs(out);
        WorkFiles work = new WorkFiles(out.toString(), conf);
        // One key for the whole job, drawn here: every task (and any retry) sends a connection to the same shard,
        // and nobody sending packets can know which tuples share one.
        long hashKey = new SecureRandom().nextLong();
        JavaRDD<Row> rows = sc.parallelize(files, files.size())
            .flatMapToPair(new DecodeTask(work, hashKey, shards, s.payloadCap()))
            .repartitionAndSortWithinPartitions(new SegmentKey.Shards(shards), new SegmentKey.ByPosition())
            .mapPartitionsWithIndex(new ShardTask(work, names, options), true);
        Dataset<Row> flows = spark.createDataFrame(rows, FlowRows.SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        long ordered = System.nanoTime();
        long analysed;
        try {
            flows.drop(FlowRows.CSV).write().partitionBy(FlowRows.DATE).parquet(new Path(out, "flows-parquet").toString());
            analysed = System.nanoTime();
            String header = FlowRows.header();
            flows.select(FlowRows.CSV).as(Encoders.STRING())
                .mapPartitions((MapPartitionsFunction<String, String>) lines -> withHeader(header, lines), Encoders.STRING())
                .write().text(new Path(out, "flows").toString());
        } finally {
            flows.unpersist();
        }
        nameAsCsv(fs, new Path(out, "flows"));
        long written = System.nanoTime();
        Merged merged = merge(work, fs, out, names, shards, options, s.timeWait());
        fs.delete(work.root(), true);
        long end = System.nanoTime();
        return new Result(merged.totals(), merged.connections(), shards, (ordered - start) / 1e9,
            (analysed - ordered) / 1e9, (written - analysed) / 1e9, (end - written) / 1e9);
    }

    private record Merged(CaptureTotals totals, long connections) {}

    /** The driver's part: the shards' logs merged into the summary, the TIME_WAIT stage and its timeline. */
    private static Merged merge(WorkFiles work, FileSystem fs, Path out, List<String> names, int shards,
                                AnalyzeOptions options, TimeWaitOptions timeWait) throws IOException {
        List<ShardInput.FileFacts> facts = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            try (DataInputStream in = work.open(work.facts(f))) {
                facts.add(ShardInput.FileFacts.read(in));
            }
        }
        List<DataInputStream> logs = new ArrayList<>();
        DataInputStream[] track = new DataInputStream[1];
        Summary summary = new Summary();
        CaptureTotals totals;
        TimeWaitStage stage;
        try (Writer timeline = new BufferedWriter(new OutputStreamWriter(fs.create(new Path(out, "timeline/timeline.csv")),
                StandardCharsets.UTF_8), 1 << 16)) {
            stage = new TimeWaitStage(timeWait, new TimelineCsv(timeline, false));
            for (int k = 0; k < shards; k++) logs.add(work.open(work.log(k), true));
            ShardAnalysis.Tracks tracks = f -> {
                if (track[0] != null) track[0].close();
                return track[0] = work.open(work.track(f));
            };
            totals = ShardMerge.run(names, facts, tracks, new ArrayList<DataInput>(logs), options, List.of(summary), stage);
        } finally {
            if (track[0] != null) track[0].close();
            for (DataInputStream log : logs) log.close();
        }
        String title = "teardown: " + String.join(" + ", names);
        SummaryFigures figures = summary.figures();
        Optional<TimeWaitFigures> tw = stage.figures();
        try (Writer json = new OutputStreamWriter(fs.create(new Path(out, "summary.json")), StandardCharsets.UTF_8)) {
            json.write(SummaryJson.of(title, figures, totals, tw, Findings.of(figures, tw)));
            json.write('\n');
        }
        return new Merged(totals, figures.connections());
    }

    /** The lines of one part file: the header of {@code analyze --csv}, then the rows. */
    private static Iterator<String> withHeader(String header, Iterator<String> lines) {
        return new Iterator<>() {
            private boolean headerDone;

            @Override
            public boolean hasNext() {
                return !headerDone || lines.hasNext();
            }

            @Override
            public String next() {
                if (headerDone) return lines.next();
                headerDone = true;
                return header;
            }
        };
    }

    /** Spark's text writer names its part files {@code .txt}; they are CSV. */
    private static void nameAsCsv(FileSystem fs, Path dir) throws IOException {
        for (FileStatus f : fs.listStatus(dir)) {
            String name = f.getPath().getName();
            if (name.startsWith("part-") && name.endsWith(".txt")) {
                fs.rename(f.getPath(), new Path(dir, name.substring(0, name.length() - 4) + ".csv"));
            }
        }
    }

    /**
     * The heap one task may use: on a local master the driver's heap shared by its cores, else an executor's memory
     * ({@code spark.executor.memory}) shared by its cores ({@code spark.executor.cores}).
     */
    private static long taskHeap(JavaSparkContext sc) {
        if (sc.isLocal()) return Runtime.getRuntime().maxMemory() / Math.max(1, sc.defaultParallelism());
        long memory = sc.getConf().getSizeAsBytes("spark.executor.memory", "1g");
        return memory / Math.max(1, sc.getConf().getInt("spark.executor.cores", 1));
    }
}
