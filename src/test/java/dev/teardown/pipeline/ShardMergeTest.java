package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.FlowHash;
import dev.teardown.report.FlowRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded run (each file read on its own, each shard on its own, then the merge) gives exactly one thread's
 * output: the merged records' CSV bytes (order and flow ids included), the summary, the totals (warnings, peak), the
 * TIME_WAIT timeline and figures; and the shards' own records are one thread's, but for their flow ids (the position
 * of their first packet).
 */
class ShardMergeTest {
    private static Sharded.Output sameOnEveryShardCount(List<Path> files, AnalyzeOptions options) throws IOException {
        return sameOnShardCounts(files, options, 1, 2, 3, 5);
    }

    private static Sharded.Output sameOnShardCounts(List<Path> files, AnalyzeOptions options, int... counts)
            throws IOException {
        Sharded.Output one = Sharded.oneThread(files, options);
        for (int shards : counts) {
            Sharded.Output many = Sharded.sharded(files, options, shards, FlowHash.keyed(shards));
            String what = shards + " shards: ";
            assertEquals(one.csv(), many.csv(), what + "merged CSV");
            assertEquals(one.summary(), many.summary(), what + "summary");
            assertEquals(one.totals(), many.totals(), what + "totals");
            assertEquals(one.timeline(), many.timeline(), what + "timeline");
            assertEquals(one.figures(), many.figures(), what + "TIME_WAIT figures");
            assertEquals(sorted(one.shardRecords()), sorted(many.shardRecords()), what + "the shards' records");
        }
        return one;
    }

    /** The records without their flow ids, in a fixed order: a multiset. */
    static List<String> sorted(List<FlowRecord> records) {
        List<String> all = new ArrayList<>();
        for (FlowRecord r : records) all.add(r.withFlowId(0).toString());
        all.sort(null);
        return all;
    }

    @TestFactory
    Stream<DynamicTest> everySampleGivesOneThreadsOutputOnTwoAndThreeShards() throws IOException {
        return SampleGoldenTest.captures().stream().map(p -> DynamicTest.dynamicTest(p.toString(),
            () -> sameOnShardCounts(List.of(p), AnalyzeOptions.defaults(), 2, 3)));
    }

    @Test
    void ringFilesAreOneCaptureAndConnectionsAcrossThemAreOneConnection(@TempDir Path dir) throws IOException {
        List<byte[]> parts = Churn.captures(11, 30, 120, 3);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) files.add(Files.write(dir.resolve("ring" + i + ".pcap"), parts.get(i)));
        Sharded.Output one = sameOnEveryShardCount(files, Churn.options());
        for (Path f : files) assertTrue(one.csv().contains("," + f + ","), "rows name " + f);
        assertTrue(one.csv().contains(",true,"), "tuple reuse happened");
        assertTrue(one.totals().peakConnections() > 20, "many held at once: " + one.totals().peakConnections());
    }

    @Test
    void filesOutOfOrderGetOneThreadsOverlapWarning(@TempDir Path dir) throws IOException {
        List<byte[]> parts = Churn.captures(3, 12, 60, 2);
        List<Path> files = List.of(Files.write(dir.resolve("later.pcap"), parts.get(1)),
            Files.write(dir.resolve("earlier.pcap"), parts.get(0)));
        Sharded.Output one = sameOnEveryShardCount(files, Churn.options());
        assertTrue(one.totals().warnings().stream().anyMatch(w -> w.contains("older than the files before it")),
            "overlap warned: " + one.totals().warnings());
    }

    @Test
    void keepAliveWithIdleClosesAndTimestampsGivesOneThreadsTimeWaitFigures() throws IOException {
        Path file = Files.createTempFile("keepalive", ".pcap");
        try {
            Files.write(file, KeepAlive.capture(5, 40, 600));
            Sharded.Output one = sameOnEveryShardCount(List.of(file), KeepAlive.options());
            assertTrue(one.figures().orElseThrow().whatIf().size() >= 15, "what-if rows");
        } finally {
            Files.delete(file);
        }
    }
}
