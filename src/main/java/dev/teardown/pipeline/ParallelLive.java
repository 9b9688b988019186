package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.decode.FlowHash;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.RecordSink;
import dev.teardown.timewait.TimeWaitStage;
import java.util.List;

/**
 * A live analysis on the threads of a parallel analysis (a {@link Crew}: the workers and merger of a {@link Team}, or a
 * {@link Relay}), with exactly the output of one {@link Pipeline} fed the same frames and time advances: the capture
 * thread decodes each frame into a batch, and each time advance goes into the batch too, between the packets where it
 * happened ({@link Batch#advance}), so connections expire and the TIME_WAIT stage is told at the same places as with
 * one thread.
 *
 * <p>Live traffic is sparse, so a batch does not wait to fill: it is handed on when a dispatch returns without a
 * frame (the capture's read timeout), and at least every {@link #HAND_OFF_NANOS} otherwise; a connection finished is
 * written within one hand-off. The status figures are worked out at the end of the batch that asked for them (by
 * the workers and the merger, or the relay's analysing thread) and published to the capture thread: they are those of
 * one thread at that point, shown up to one hand-off later.
 *
 * <p>A failure on another thread (a sink that threw, the heap run out) is thrown on the capture thread at its next
 * call, as one thread would throw it. Memory: as {@link ParallelAnalysis}.
 */
final class ParallelLive implements LiveAnalysis {
    /** Longest a partial batch waits on a busy capture before it is handed on (one quiet dispatch hands it on at once). */
    static final long HAND_OFF_NANOS = 100_000_000L;

    private final AnalyzeOptions options;
    private final TimeWaitStage timeWait;
    private final Crew crew;
    private final BatchReader reader;
    private long handedOn;
    private boolean started;
    /** Figures asked for so far, and the number of those not yet given (0: none). */
    private long asked;
    private long waiting;
    private boolean ended;

    ParallelLive(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait, int workers,
                 FlowHash hash) {
        this(options, timeWait, new Team(options, sinks, timeWait, workers, hash, true));
    }

    /** A live analysis on a relay: a reading, an analysing and a writing thread. */
    ParallelLive(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait) {
        this(options, timeWait, new Relay(options, sinks, timeWait, true));
    }

    private ParallelLive(AnalyzeOptions options, TimeWaitStage timeWait, Crew crew) {
        this.options = options;
        this.timeWait = timeWait;
        this.crew = crew;
        this.reader = crew.reader();
    }

    @Override
    public void onFrame(Frame frame) {
        check();
        reader.frame(frame);
    }

    @Override
    public void advanceTo(long nowNanos) {
        check();
        reader.advance(nowNanos);
    }

    @Override
    public void dispatched(int frames, long monotonicNanos) {
        check();
        if (!started) {
            started = true;
            handedOn = monotonicNanos;
        }
        if (frames == 0 || monotonicNanos - handedOn >= HAND_OFF_NANOS) {
            reader.handOn();
            handedOn = monotonicNanos;
        }
    }

    @Override
    public void askFigures(int top, int names) {
        check();
        waiting = ++asked;
        reader.askFigures(waiting, top, names);
    }

    @Override
    public LiveFigures figures() {
        return give(false);
    }

    @Override
    public LiveFigures awaitFigures() {
        return give(true);
    }

    private LiveFigures give(boolean wait) {
        if (waiting == 0) return null;
        LiveFigures f = crew.figures(waiting, wait);
        if (f != null || wait) waiting = 0;
        return f;
    }

    /** Ends the threads: the last batch makes the workers finish every connection they hold; then rethrows a failure. */
    @Override
    public void finish() {
        end();
        if (crew.state().ranOutOfMemory()) throw new OutOfMemoryError("Java heap space (on an analysis thread)");
        crew.state().rethrow();
    }

    /**
     * A failure escaped the run ({@link #finish} was not called): the threads are ended without writing what they
     * hold, as one thread's run ends (its connections are not finished either).
     */
    @Override
    public void close() {
        if (!ended) crew.state().abandon();
        end();
    }

    private void end() {
        if (ended) return;
        ended = true;
        reader.end();
        crew.join();
    }

    /** A thread failed or ran out of heap: the failure escapes here, on the capture thread, as on one thread. */
    private void check() {
        if (!crew.state().stopping()) return;
        end();
        if (crew.state().ranOutOfMemory()) throw new OutOfMemoryError("Java heap space (on an analysis thread)");
        crew.state().rethrow();
    }

    /**
     * The heap ran out: the threads analyse every frame handed to them so far, then end without writing what they hold,
     * as one thread, which had analysed every frame, drops what it holds (unless a thread ran out first and dropped
     * its own already); returns those connections, and records unwritten.
     */
    @Override
    public int discardHeld() {
        if (!ended) {
            ended = true;
            reader.end(true);
            crew.join();
        }
        return (int) Math.min(Integer.MAX_VALUE, crew.dropped());
    }

    @Override
    public long packets() {
        return reader.stats.packets();
    }

    @Override
    public long loopbackFrames() {
        return reader.stats.loopbackFrames();
    }

    @Override
    public long nowNanos() {
        return crew.now();
    }

    @Override
    public CaptureTotals totals(List<String> warnings) {
        return Pipeline.totals(reader.stats, warnings, crew.evictions(), options.maxConnections(), timeWait.warnings(),
            crew.peak(), reader.first, reader.last);
    }
}
