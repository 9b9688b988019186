package dev.teardown.pipeline;

import dev.teardown.capture.PacketSource;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * Analysis of a capture file on two threads with exactly one thread's output: the calling thread reads and decodes
 * into batches, an {@link RelayWorker} runs everything after the decoder on the other.
 */
final class RelayAnalysis {
    private RelayAnalysis() {}

    /** Reads {@code source} like {@link Analysis#run} with one thread, on two threads. */
    static Analysis.Result run(PacketSource source, AnalyzeOptions options, List<? extends RecordSink> sinks,
                               TimeWaitStage timeWait, BooleanSupplier stop, ReadProgress progress) {
        RunState state = new RunState();
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(Team.BATCHES);
        BlockingQueue<Batch> inbox = new ArrayBlockingQueue<>(Team.BATCHES);
        for (int i = 0; i < Team.BATCHES; i++) free.add(new Batch(0)); // no worker outputs: nothing is merged
        RelayWorker worker = new RelayWorker(inbox, free, options, sinks, state, timeWait);
        Thread thread = Team.start(worker, "teardown-worker-0");
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[] {inbox};
        // One worker owns every segment: no hash to key.
        BatchReader reader = new BatchReader(1, null, free, null, inboxes, state, options.verifyChecksums());
        byte[] reserve = new byte[Analysis.RESERVE_BYTES];
        IOException failure = null;
        boolean stopped = false;
        try {
            stopped = reader.read(source, stop, progress, worker::held, worker::written);
        } catch (IOException e) {
            failure = e; // Keep what was read: finish and write every connection seen so far.
        } catch (OutOfMemoryError e) {
            reserve = null;
            state.outOfMemory();
        } catch (RuntimeException | Error e) {
            state.failed(e); // As with one thread, it escapes unfinished; but only once the other thread writes no more.
        } finally {
            reader.end(); // Always: the worker ends with the last batch.
        }
        Team.joinUninterruptibly(thread);
        if (state.ranOutOfMemory()) reserve = null; // Room for the summary and the one-line message.
        java.lang.ref.Reference.reachabilityFence(reserve);
        state.rethrow();
        Analysis.OutOfMemory outOfMemory = state.ranOutOfMemory()
            ? new Analysis.OutOfMemory(reader.stats.packets(), worker.dropped()) : null;
        CaptureTotals totals = Pipeline.totals(reader.stats, source.warnings(), worker.evictions(),
            options.maxConnections(), timeWait.warnings(), worker.peak(), reader.first, reader.last);
        return new Analysis.Result(totals, failure, outOfMemory, stopped);
    }
}
