package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.FrameHandler;
import dev.teardown.capture.LiveCapture;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.capture.LiveSource;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.teardown.TrackerView;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The live capture loop: dispatches a {@link LiveSource} into a {@link LiveAnalysis} (a {@link Pipeline}, or the
 * parallel workers of {@link ParallelLive}), lets packet time pass with the
 * wall clock while the capture is quiet, tees the frames, samples a status every interval, and stops on a request,
 * a frame count, a duration, an output or a capture failure; then writes every connection still held.
 *
 * <p>Both clocks come from the injected {@link Clock}, so the policy runs the same on a scripted source and a
 * stepped clock as on an interface. Call {@link #run} once, from one thread; {@link #stop} from any.
 */
public final class LiveRun {
    /**
     * How far quiet time stays behind the wall clock: packets stamped earlier may still wait in the kernel
     * buffer (up to the capture's read timeout, longer when the analysis falls behind), and a connection
     * written before they arrive would be written too early.
     */
    public static final long QUIET_SLACK_NANOS = AnalyzeOptions.SECOND;

    /**
     * When a run stops by itself.
     *
     * @param frames stop after this many frames ({@code --count}); {@link Long#MAX_VALUE} for no limit
     * @param nanos stop once this long has passed on the monotonic clock ({@code --duration}); {@link Long#MAX_VALUE}
     *     for no limit
     */
    public record Limits(long frames, long nanos) {
        /** No limit: the run goes on until {@link #stop} or a failure. */
        public static final Limits NONE = new Limits(Long.MAX_VALUE, Long.MAX_VALUE);

        public Limits {
            if (frames < 1 || nanos < 1) {
                throw new IllegalArgumentException("limits must be positive, not " + frames + " frames, " + nanos + " ns");
            }
        }
    }

    /** Where the frames are also written as captured ({@code --write}); a failure shows in the output check. */
    public interface Tee {
        /** Writes nothing. */
        Tee NONE = new Tee() {
            @Override
            public void write(Frame frame) { }

            @Override
            public void flush() { }
        };

        /** Takes one frame, before the pipeline sees it; the frame is valid only during the call. */
        void write(Frame frame);

        /** Pushes what was written to its file, after each dispatch, so that a reader follows the capture. */
        void flush();
    }

    /** The progress display: sampled every {@link #intervalNanos()} of the monotonic clock. */
    public interface Status {
        /** How long between two samples. */
        long intervalNanos();

        /** How many server endpoints each sample's tracker view lists. */
        int topEndpoints();

        /** Shows {@code now}; {@code before} is the previous sample, or the start of the run (for rates). */
        void print(Sample before, Sample now);

        /** How many server endpoints each sample names in its {@link Sample#endpoints} (the metrics); 0: none. */
        default int endpointNames() {
            return 0;
        }
    }

    /**
     * The run at one moment.
     *
     * @param elapsedNanos monotonic time since the run started (not packet time)
     * @param frames frames read
     * @param pcap the source's own counters
     * @param tracker the connections held, with the top server endpoints by TIME-WAIT
     * @param written connections handed to the sinks
     * @param endpoints the busiest server endpoints' rows and the others' summed ({@link Pipeline#endpoints}), when the
     *     status asked for them; else empty
     */
    public record Sample(long elapsedNanos, long frames, LiveCapture.Stats pcap, TrackerView tracker, long written,
                         List<LiveEndpoints.Row> endpoints) {
        /** A sample without endpoint rows. */
        public Sample(long elapsedNanos, long frames, LiveCapture.Stats pcap, TrackerView tracker, long written) {
            this(elapsedNanos, frames, pcap, tracker, written, List.of());
        }
    }

    /** Why a run ended. */
    public enum End {
        /** {@link #stop} was called (Ctrl-C, SIGTERM). */
        STOPPED,
        /** The frame limit was reached. */
        COUNT,
        /** The duration passed. */
        DURATION,
        /** An output could not be written: going on would lose what it should have kept. */
        OUTPUT_FAILED,
        /** The source failed (the interface went down); everything read until then is written. */
        CAPTURE_FAILED
    }

    /** How a run ended: why, after how many frames, and the source's failure for {@link End#CAPTURE_FAILED}. */
    public record Outcome(End end, long frames, LiveCaptureException failure) {
        public Outcome {
            Objects.requireNonNull(end, "end");
            if ((end == End.CAPTURE_FAILED) != (failure != null)) {
                throw new IllegalArgumentException("a failure goes with CAPTURE_FAILED only: " + end + ", " + failure);
            }
        }
    }

    private final LiveSource source;
    private final Clock clock;
    private final Limits limits;
    private volatile boolean stopRequested;
    private long frames;
    private boolean ran;

    /** A run of {@code source} within {@code limits}, timed by {@code clock}; nothing is read before {@link #run}. */
    public LiveRun(LiveSource source, Clock clock, Limits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Ends the run after the frame being handled, or before it starts; safe from any thread, a signal handler too. */
    public void stop() {
        stopRequested = true;
        source.breakLoop();
    }

    /** Whether {@link #stop} was called. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Runs until a limit, {@link #stop}, a failed output ({@code outputFailed}, asked after each dispatch) or a
     * failed source; then {@link LiveAnalysis#finish() finishes} the analysis, so every connection still held is
     * written as it stands. A runtime exception from the analysis or a sink is thrown as is (a parallel analysis's
     * threads are ended first); an {@link OutOfMemoryError} too, but the caller then ends the analysis with
     * {@link LiveAnalysis#discardHeld}.
     *
     * <p>Each status sample is asked of the analysis at its due time and printed once its figures are in: at once on
     * one thread, within about one hand-off of the batches on several ({@link ParallelLive}); a sample still
     * waiting when the next one is due, or when the run ends, is waited for and printed first.
     */
    public Outcome run(LiveAnalysis analysis, Tee tee, Status status, BooleanSupplier outputFailed) {
        if (ran) {
            throw new IllegalStateException("a live run runs once");
        }
        ran = true;
        boolean heapRanOut = false;
        try {
            return loop(analysis, tee, status, outputFailed);
        } catch (OutOfMemoryError e) {
            heapRanOut = true;
            throw e;
        } finally {
            // After the heap ran out the caller ends the analysis with discardHeld, which still analyses every frame
            // the threads were handed, as one thread had (closing here would drop those unanalysed).
            if (!heapRanOut) analysis.close();
        }
    }

    /** A status sample asked for: what the capture thread knew then; the analysis's figures come later. */
    private record Asked(long elapsedNanos, long frames, LiveCapture.Stats pcap) {
        Sample with(LiveFigures f) {
            return new Sample(elapsedNanos, frames, pcap, f.tracker(), f.written(), f.endpoints());
        }
    }

    private Outcome loop(LiveAnalysis analysis, Tee tee, Status status, BooleanSupplier outputFailed) {
        FrameHandler handler = frame -> {
            tee.write(frame);
            analysis.onFrame(frame);
            if (++frames >= limits.frames()) {
                source.breakLoop();
            }
        };
        long start = clock.monotonicNanos();
        Sample previous = new Asked(0, frames, source.stats()).with(first(analysis, status));
        long nextStatus = start + status.intervalNanos();
        Asked asked = null;
        End end = null;
        LiveCaptureException failure = null;
        try {
            // Monotonic readings are compared by difference: the clock's origin is arbitrary, and may be near overflow.
            while (!stopRequested && frames < limits.frames() && clock.monotonicNanos() - start < limits.nanos()) {
                int delivered = source.dispatch(handler);
                // Packet times are the kernel's wall clock: let a quiet capture's time pass too, so that connections
                // whose TIME_WAIT is over are still written promptly.
                analysis.advanceTo(clock.epochNanos() - QUIET_SLACK_NANOS);
                analysis.dispatched(delivered, clock.monotonicNanos());
                tee.flush();
                if (outputFailed.getAsBoolean()) {
                    end = End.OUTPUT_FAILED;
                    break;
                }
                long now = clock.monotonicNanos();
                if (now - nextStatus >= 0) {
                    if (asked != null) previous = print(status, previous, asked, analysis.awaitFigures());
                    asked = new Asked(now - start, frames, source.stats());
                    analysis.askFigures(status.topEndpoints(), status.endpointNames());
                    nextStatus = now + status.intervalNanos();
                }
                if (asked != null) {
                    LiveFigures f = analysis.figures();
                    if (f != null) {
                        previous = print(status, previous, asked, f);
                        asked = null;
                    }
                }
            }
        } catch (LiveCaptureException e) {
            end = End.CAPTURE_FAILED;
            failure = e;
        }
        if (asked != null) print(status, previous, asked, analysis.awaitFigures());
        if (end == null) {
            end = stopRequested ? End.STOPPED : frames >= limits.frames() ? End.COUNT : End.DURATION;
        }
        analysis.finish();
        return new Outcome(end, frames, failure);
    }

    /** Prints the sample {@code asked} with its figures {@code f} (none if the run is being abandoned); returns it. */
    private static Sample print(Status status, Sample previous, Asked asked, LiveFigures f) {
        if (f == null) return previous;
        Sample now = asked.with(f);
        status.print(previous, now);
        return now;
    }

    /** The figures of the sample at the start, with no endpoint in the view. */
    private static LiveFigures first(LiveAnalysis analysis, Status status) {
        analysis.askFigures(0, status.endpointNames());
        LiveFigures f = analysis.awaitFigures();
        if (f == null) {
            analysis.finish(); // throws what abandoned the run
            throw new IllegalStateException("the analysis was abandoned before the capture began");
        }
        return f;
    }
}
