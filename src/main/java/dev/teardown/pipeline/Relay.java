package dev.teardown.pipeline;

import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The threads of a relay ({@link ThreadPlan.Kind#RELAY}): the reading side decodes every frame into {@link Batch}es
 * ({@link BatchReader}), a {@link RelayWorker} runs everything after the decoder (the tracker, HTTP and TLS, the
 * TIME_WAIT stage) and a {@link RowWriter} hands the records it finished to the sinks (formatting and writing the
 * rows, the summary's counts), each on a thread of its own; the output is exactly one thread's.
 *
 * <p>Against a {@link Team} of two workers it splits the work by stage rather than by connection, so it needs no
 * merger: the TIME_WAIT stage runs beside the tracker on the connection it just touched, instead of being replayed
 * each connection's events on another core, where they are read cold (bench/README.md, "Two cores with the TIME_WAIT
 * stage: the relay"). The bound on connections held is one table's, as one thread's. The threads are daemons and end
 * with the last batch ({@link BatchReader#end}), whatever went wrong. Memory: the connections held, plus
 * {@link Team#BATCHES} batches and {@link RowWriter#CHUNKS} chunks of records in flight.
 */
final class Relay implements Crew {
    private final RunState state = new RunState();
    private final BatchReader reader;
    private final RelayWorker worker;
    private final RowWriter rows;
    private final FiguresBox box = new FiguresBox(state);
    private final Thread[] threads;

    /** Starts the threads, writing to {@code sinks} and telling {@code timeWait}; {@code live}: they count a live run's status. */
    Relay(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait, boolean live) {
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(Team.BATCHES);
        BlockingQueue<Batch> inbox = new ArrayBlockingQueue<>(Team.BATCHES);
        // No worker outputs (nothing is merged); segments decoded in place.
        for (int i = 0; i < Team.BATCHES; i++) free.add(new Batch(0, true));
        rows = new RowWriter(sinks, state);
        worker = new RelayWorker(inbox, free, options, rows, state, timeWait, live, box);
        threads = new Thread[] {Team.start(rows, "teardown-writer"), Team.start(worker, "teardown-worker-0")};
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[] {inbox};
        // One worker owns every segment: no hash to key.
        reader = new BatchReader(1, null, free, null, inboxes, state, options.verifyChecksums(), true);
    }

    @Override
    public BatchReader reader() {
        return reader;
    }

    @Override
    public RunState state() {
        return state;
    }

    @Override
    public void join() {
        for (Thread t : threads) Team.joinUninterruptibly(t); // the writer ends with the worker's last chunk
    }

    @Override
    public int held() {
        return worker.held();
    }

    @Override
    public long written() {
        return rows.written();
    }

    @Override
    public long dropped() {
        return worker.dropped() + rows.unwritten();
    }

    @Override
    public long evictions() {
        return worker.evictions();
    }

    @Override
    public long peak() {
        return worker.peak();
    }

    @Override
    public LiveFigures figures(long wanted, boolean wait) {
        return box.take(wanted, wait);
    }

    @Override
    public long now() {
        return rows.now();
    }
}
