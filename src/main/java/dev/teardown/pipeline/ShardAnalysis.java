package dev.teardown.pipeline;

import dev.teardown.decode.TcpSegment;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import java.io.InputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.List;

/**
 * One shard of a sharded run (one Spark partition): the connections {@link dev.teardown.decode.FlowHash} gave it,
 * analysed exactly as a worker of a parallel analysis analyses its share ({@link Worker}, the same code). It walks
 * the {@link PacketTimes} track of every input file in order: its own segments go through the whole chain, every
 * other one only moves packet time on, so its connections expire at exactly the packet where one thread's would.
 * Records are numbered by the position of their first packet ({@link PacketTimes#position}); what the TIME_WAIT
 * stage is to be told goes to the shard's log ({@link ShardLog}) for the merge ({@link ShardMerge}).
 *
 * <p>Driven a batch at a time ({@link #step}), so that a caller can hand records on as they come. Memory: the
 * connections held (at most {@code options.maxConnections()}), one batch of {@link Batch#SEGMENTS} segments with
 * its output, and one file's track reader; nothing grows with the input.
 */
public final class ShardAnalysis {
    /** The shard's own segments, in position order. */
    public interface Segments {
        /** Moves to the next segment; false after the last. */
        boolean next() throws IOException;

        /** Its position ({@link PacketTimes#position}). */
        long position();

        /** It, as {@link SegmentCodec} wrote it. */
        byte[] segment();
    }

    /** Opens the packet-time track of input file {@code file} (from 0). */
    @FunctionalInterface
    public interface Tracks {
        InputStream open(int file) throws IOException;
    }

    private final List<String> files;
    private final Tracks tracks;
    private final Segments own;
    private final DataOutput log;
    private final RecordSink records;
    private final Worker worker;
    private final Batch batch = new Batch(1);
    private final TcpSegment segment = new TcpSegment();
    /** Stands for another shard's segment: only its time is read. */
    private final TcpSegment elsewhere = new TcpSegment();
    private PacketTimes.Reader track;
    private int file = -1;
    private long ownPosition;
    private boolean done;

    /**
     * A shard of a run over {@code files} (named as records name them), reading their tracks from {@code tracks}, its
     * own segments from {@code own}; records go to {@code records}, what the merge needs to {@code log}. The TIME_WAIT
     * stage's events are recorded when {@code timeWait} (every run whose summary shows the stage's figures).
     */
    public ShardAnalysis(AnalyzeOptions options, boolean timeWait, List<String> files, Tracks tracks, Segments own,
                         DataOutput log, RecordSink records) throws IOException {
        this.files = List.copyOf(files);
        this.tracks = tracks;
        this.own = own;
        this.log = log;
        this.records = records;
        TimeWaitStage recording = timeWait
            ? new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(), options.idleTimeoutNanos()), null)
            : TimeWaitStage.none();
        this.worker = new Worker(0, null, options, options.maxConnections(), new RunState(), recording);
        this.ownPosition = own.next() ? own.position() : Long.MAX_VALUE;
        elsewhere.data = new byte[0];
    }

    /** Analyses the next batch of the input and hands on its records; false once the input was done before the call. */
    public boolean step() throws IOException {
        if (done) return false;
        while (batch.count < Batch.SEGMENTS) {
            if (!nextSegment()) {
                batch.last = true;
                break;
            }
        }
        worker.walk(batch);
        WorkerOutput out = batch.outputs[0];
        ShardLog.write(log, batch, out);
        for (int e = 0; e < out.count; e++) {
            if (out.kinds[e] == WorkerOutput.FINISHED) records.accept(out.records[e]);
        }
        if (batch.last) {
            log.writeLong(worker.evictions());
            done = true;
        }
        out.clear();
        batch.clear();
        return true;
    }

    /** Adds the next TCP segment of the input to the batch, the shard's own in full; false at the end of the input. */
    private boolean nextSegment() throws IOException {
        while (true) {
            while (track == null || !track.next()) {
                if (file + 1 == files.size()) {
                    if (ownPosition != Long.MAX_VALUE) throw notInTrack(ownPosition);
                    return false;
                }
                file++;
                track = new PacketTimes.Reader(tracks.open(file), file);
                batch.fileStarted(file * PacketTimes.FILE_STRIDE, files.get(file));
            }
            if (!track.tcp()) continue;
            long position = track.position();
            if (ownPosition < position) throw notInTrack(ownPosition);
            if (ownPosition == position) {
                SegmentCodec.decode(own.segment(), segment);
                batch.add(segment, position, 0);
                long previous = ownPosition;
                ownPosition = own.next() ? own.position() : Long.MAX_VALUE;
                if (ownPosition <= previous) throw new IOException("shard input out of order at position " + ownPosition);
            } else {
                elsewhere.timeNanos = track.nanos();
                batch.add(elsewhere, position, 1);
            }
            return true;
        }
    }

    private static IOException notInTrack(long position) {
        return new IOException("a segment at position " + position + " is not a TCP frame of the packet-time tracks");
    }
}
