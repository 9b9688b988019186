package dev.teardown.pipeline;

import dev.teardown.capture.PacketSource;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * Analysis of a capture file with exactly one thread's output, spread as a relay: the calling thread reads and
 * decodes every frame into {@link Batch}es, a {@link RelayWorker} runs everything after the decoder (the tracker, HTTP
 * and TLS, the TIME_WAIT stage) and a {@link RowWriter} hands the records it finished to the sinks (formatting and
 * writing the rows, the summary's counts), each on a thread of its own.
 *
 * <p>Against {@link ParallelAnalysis} on two workers it splits the work by stage rather than by connection, so it
 * needs no merger: the TIME_WAIT stage runs beside the tracker on the connection it just touched, instead of being
 * replayed each connection's events on another core, where they are read cold (bench/README.md, "Two cores with the
 * TIME_WAIT stage: the relay"). The bound on connections held is one table's, as one thread's. Memory: the
 * connections held, plus {@link Team#BATCHES} batches and {@link RowWriter#CHUNKS} chunks of records in flight.
 */
final class RelayAnalysis {
    private RelayAnalysis() {}

    /** Reads {@code source} like {@link Analysis#run} with one thread, on three. */
    static Analysis.Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                               TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress) {
        RunState state = new RunState();
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(Team.BATCHES);
        BlockingQueue<Batch> inbox = new ArrayBlockingQueue<>(Team.BATCHES);
        for (int i = 0; i < Team.BATCHES; i++) free.add(new Batch(0)); // no worker outputs: nothing is merged
        RowWriter rows = new RowWriter(sinks, state);
        RelayWorker worker = new RelayWorker(inbox, free, options, rows, state, timeWait);
        Thread writing = Team.start(rows, "teardown-writer");
        Thread thread = Team.start(worker, "teardown-worker-0");
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[] {inbox};
        // One worker owns every segment: no hash to key.
        BatchReader reader = new BatchReader(1, null, free, null, inboxes, state, options.verifyChecksums());
        byte[] reserve = new byte[Analysis.RESERVE_BYTES];
        BatchReader.Ended ended = reader.readAll(source, stop, progress, worker::held, rows::written);
        Team.joinUninterruptibly(thread);
        Team.joinUninterruptibly(writing); // It ends with the worker's last chunk.
        if (state.ranOutOfMemory()) reserve = null; // Room for the summary and the one-line message.
        java.lang.ref.Reference.reachabilityFence(reserve);
        state.rethrow();
        Analysis.OutOfMemory outOfMemory = state.ranOutOfMemory()
            ? new Analysis.OutOfMemory(reader.stats.packets(),
                (int) Math.min(Integer.MAX_VALUE, worker.dropped() + rows.unwritten())) : null;
        CaptureTotals totals = Pipeline.totals(reader.stats, source.warnings(), worker.evictions(),
            options.maxConnections(), timeWait.warnings(), worker.peak(), reader.first, reader.last);
        return new Analysis.Result(totals, ended.failure(), outOfMemory, ended.stopped());
    }
}
