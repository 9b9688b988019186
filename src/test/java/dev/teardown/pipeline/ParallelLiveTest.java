package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.teardown.pipeline.LiveFrames.clientClosed;
import static dev.teardown.pipeline.LiveFrames.syn;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.ScriptedLiveSource;
import dev.teardown.decode.FlowHash;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.JsonSink;
import dev.teardown.report.RecordSink;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.teardown.CloseType;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimelineCsv;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code teardown live} on two and three worker threads writes exactly what one thread writes for the same frames
 * and the same quiet-time advances (scripted source, stepped clock): CSV and JSON bytes, summary, TIME_WAIT figures,
 * timeline, totals and every status sample; a quiet dispatch, or 100 ms on a busy capture, hands a partial batch on;
 * and stops and failures end the run as on one thread, with no thread left behind.
 */
class ParallelLiveTest {
    private static final long S = AnalyzeOptions.SECOND;
    private static final long MS = S / 1000;
    /** The capture's read timeout as the script plays it: each dispatch is 100 ms of both clocks. */
    private static final long TICK = 100 * MS;

    /** Everything a live run gives. */
    private record Output(String csv, String json, SummaryFigures summary, Optional<TimeWaitFigures> figures,
                          String timeline, CaptureTotals totals, List<LiveRun.Sample> samples, LiveRun.Outcome outcome) {}

    /** A run's script: the steps of its source, made once the run and clock exist. */
    private interface Script {
        void play(ScriptedLiveSource source, ManualClock clock, LiveRun live);
    }

    /** A status sampled every second of monotonic time, with 3 endpoints in the view and 5 named in the rows. */
    private static final class Samples implements LiveRun.Status {
        final List<LiveRun.Sample> printed = new ArrayList<>();

        @Override
        public long intervalNanos() {
            return S;
        }

        @Override
        public int topEndpoints() {
            return 3;
        }

        @Override
        public int endpointNames() {
            return 5;
        }

        @Override
        public void print(LiveRun.Sample before, LiveRun.Sample now) {
            printed.add(now);
        }
    }

    private static Output run(AnalyzeOptions options, long startEpoch, Script script, int threads) {
        return run(options, startEpoch, script, ThreadPlan.of(threads));
    }

    private static Output run(AnalyzeOptions options, long startEpoch, Script script, ThreadPlan plan) {
        StringWriter csvText = new StringWriter();
        StringWriter jsonText = new StringWriter();
        StringWriter timelineText = new StringWriter();
        Summary summary = new Summary();
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(),
            options.idleTimeoutNanos()), new TimelineCsv(timelineText, false));
        ManualClock clock = new ManualClock(7 * S, startEpoch);
        ScriptedLiveSource source = new ScriptedLiveSource();
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        script.play(source, clock, live);
        Samples status = new Samples();
        try (CsvSink csv = new CsvSink(csvText, false); JsonSink json = new JsonSink(jsonText, false)) {
            List<RecordSink> sinks = List.of(csv, json, summary);
            LiveAnalysis analysis = switch (plan.kind()) {
                case ONE -> new Pipeline(options, sinks, stage);
                case RELAY -> new ParallelLive(options, sinks, stage);
                case WORKERS -> new ParallelLive(options, sinks, stage, plan.workers(), FlowHash.keyed(plan.workers()));
            };
            LiveRun.Outcome outcome = live.run(analysis, LiveRun.Tee.NONE, status, () -> false);
            return new Output(csvText.toString(), jsonText.toString(), summary.figures(), stage.figures(),
                timelineText.toString(), analysis.totals(List.of()), status.printed, outcome);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs on two and three threads and on the relay give one thread's output; returns one thread's. */
    private static Output sameOnTwoAndThreeThreads(AnalyzeOptions options, long startEpoch, Script script) {
        Output one = run(options, startEpoch, script, 1);
        for (ThreadPlan plan : List.of(ThreadPlan.of(2), ThreadPlan.of(3), ThreadPlan.relay())) {
            Output many = run(options, startEpoch, script, plan);
            String threads = plan.kind() == ThreadPlan.Kind.RELAY ? "relay," : plan.workers() + "";
            assertEquals(one.csv(), many.csv(), threads + " threads: CSV");
            assertEquals(one.json(), many.json(), threads + " threads: JSON");
            assertEquals(one.summary(), many.summary(), threads + " threads: summary");
            assertEquals(one.figures(), many.figures(), threads + " threads: TIME_WAIT figures");
            assertEquals(one.timeline(), many.timeline(), threads + " threads: timeline");
            assertEquals(one.totals(), many.totals(), threads + " threads: totals");
            assertEquals(one.samples(), many.samples(), threads + " threads: status samples");
            assertEquals(one.outcome(), many.outcome(), threads + " threads: outcome");
        }
        return one;
    }

    /** The frames of a capture, copied, every {@code every}th and those after it {@code gapNanos} later (a quiet gap). */
    private static List<Frame> frames(byte[] capture, int every, long gapNanos) throws IOException {
        List<Frame> frames = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "live.pcap")) {
            Frame f = new Frame();
            long shift = 0;
            while (source.next(f)) {
                if (frames.size() % every == every - 1) shift += gapNanos;
                byte[] data = Arrays.copyOfRange(f.data(), f.offset(), f.offset() + f.capturedLength());
                Frame copy = new Frame();
                copy.set(data, 0, data.length, f.originalLength(), f.timeNanos() + shift, f.linkType(), 0);
                frames.add(copy);
            }
        }
        return frames;
    }

    /**
     * The frames arriving as on an interface: each dispatch moves both clocks one {@link #TICK} on and delivers
     * the frames stamped up to the wall clock then (none in a gap: a quiet dispatch); the run stops at dispatch
     * {@code stopAt}, or after the last frame.
     */
    private static Script arriving(List<Frame> frames, int stopAt, List<Integer> quietRows) {
        return (source, clock, live) -> {
            long epoch = clock.epoch;
            int next = 0;
            int dispatch = 0;
            while (next < frames.size() && dispatch < stopAt) {
                epoch += TICK;
                int from = next;
                while (next < frames.size() && frames.get(next).timeNanos() <= epoch) next++;
                int to = next;
                source.then(s -> {
                    clock.advance(TICK);
                    s.arrive(frames.subList(from, to).toArray(new Frame[0]));
                    if (quietRows != null && from == to) quietRows.add(from);
                });
                dispatch++;
            }
            source.then(s -> live.stop());
        };
    }

    // ---- the same output ----

    @Test
    void churnWithQuietGapsGivesOneThreadsBytesAndStatusSamplesOnTwoAndThreeThreads() throws IOException {
        List<Frame> frames = frames(Churn.captures(11, 20, 60, 1).get(0), 400, 12 * S);
        List<Integer> quiet = new ArrayList<>();
        Output one = sameOnTwoAndThreeThreads(Churn.options(), frames.get(0).timeNanos(),
            arriving(frames, Integer.MAX_VALUE, quiet));
        long rows = one.csv().lines().count() - 1;
        assertTrue(rows > 400, "many short connections: " + rows);
        assertTrue(quiet.size() > 100, "quiet dispatches: " + quiet.size());
        assertTrue(one.samples().size() > 50, "samples: " + one.samples().size());
        long writtenInGaps = 0;
        for (int i = 1; i < one.samples().size(); i++) {
            LiveRun.Sample before = one.samples().get(i - 1);
            LiveRun.Sample now = one.samples().get(i);
            if (now.frames() == before.frames()) writtenInGaps += now.written() - before.written();
        }
        assertTrue(writtenInGaps > 20, "connections written by quiet time alone: " + writtenInGaps);
        assertTrue(one.samples().stream().anyMatch(s -> !s.tracker().timeWait().isEmpty()),
            "samples show endpoints in TIME-WAIT");
        assertTrue(one.samples().stream().anyMatch(s -> s.endpoints().size() > 1), "samples name endpoints");
    }

    @Test
    void keepAliveConnectionsClosedByTheIdleTimeoutGiveOneThreadsBytesOnTwoAndThreeThreads() throws IOException {
        // A 20 s idle timeout and 30 s quiet gaps: connections left open are written out by quiet time.
        AnalyzeOptions options = new AnalyzeOptions(60 * S, 20 * S, 1_000_000);
        List<Frame> frames = frames(KeepAlive.capture(5, 8, 120), 300, 30 * S);
        Output one = sameOnTwoAndThreeThreads(options, frames.get(0).timeNanos(), arriving(frames, Integer.MAX_VALUE, null));
        assertTrue(one.csv().lines().count() > 100, "keep-alive connections: " + one.csv().lines().count());
        long idleBefore = one.samples().get(one.samples().size() - 1).written();
        assertTrue(idleBefore > 50, "written before the end: " + idleBefore);
        assertTrue(one.csv().contains(",none,"), "connections left open, written by the idle timeout");
    }

    @Test
    void aStopInTheMiddleGivesOneThreadsBytesOnTwoAndThreeThreads() throws IOException {
        List<Frame> frames = frames(Churn.captures(3, 20, 60, 1).get(0), 400, 12 * S);
        Output one = sameOnTwoAndThreeThreads(Churn.options(), frames.get(0).timeNanos(), arriving(frames, 300, null));
        assertEquals(LiveRun.End.STOPPED, one.outcome().end());
        assertTrue(one.outcome().frames() < frames.size() / 2, "stopped in the middle: " + one.outcome().frames());
        assertTrue(one.csv().contains(",none,"), "connections still open at the stop are written as they stand");
    }

    @Test
    void figuresAskedAtABatchBoundaryEqualOneThreadsThere() throws IOException {
        List<Frame> frames = frames(Churn.captures(5, 20, 30, 1).get(0), 300, 9 * S);
        AnalyzeOptions options = Churn.options();
        Pipeline one = new Pipeline(options, List.of(r -> { }), TimeWaitStage.none());
        ParallelLive two = new ParallelLive(options, List.of(r -> { }), TimeWaitStage.none(), 2, FlowHash.keyed(2));
        try {
            long quiet = frames.get(0).timeNanos();
            for (int i = 0; i < frames.size(); i++) {
                for (LiveAnalysis a : List.of(one, two)) a.onFrame(frames.get(i));
                if (i % 97 == 0) {
                    quiet = Math.max(quiet, frames.get(i).timeNanos()) + 3 * S;
                    for (LiveAnalysis a : List.of(one, two)) {
                        a.advanceTo(quiet);
                        a.askFigures(4, 6);
                    }
                    LiveFigures expected = one.figures();
                    assertEquals(expected, two.awaitFigures(), "after frame " + i);
                }
            }
        } finally {
            two.close();
        }
    }

    // ---- latency ----

    @Test
    void aQuietDispatchHandsThePartialBatchOnSoTheRowIsWrittenBeforeTheNextFrameArrives() {
        List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
        ManualClock clock = new ManualClock(42 * S, T0);
        ScriptedLiveSource source = new ScriptedLiveSource();
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        List<Integer> seen = new ArrayList<>();
        source.then(
            s -> {
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
            },
            s -> clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS, // quiet: its advance ends the TIME_WAIT
            s -> {
                seen.add(waitFor(rows, 1)); // before any frame of this dispatch
                s.arrive(syn(T0 + 70 * S, 40001));
            },
            s -> live.stop());

        LiveRun.Outcome outcome = live.run(new ParallelLive(AnalyzeOptions.defaults(), List.of(rows::add),
            TimeWaitStage.none(), 2, FlowHash.keyed(2)), LiveRun.Tee.NONE, LiveFrames.NO_STATUS, () -> false);

        assertEquals(List.of(1), seen, "the row was written on the quiet dispatch's hand-off");
        assertEquals(new LiveRun.Outcome(LiveRun.End.STOPPED, 7, null), outcome);
        assertEquals(List.of(40000, 40001), rows.stream().map(FlowRecord::clientPort).toList());
    }

    @Test
    void aBusyCaptureHandsItsPartialBatchOnOnceAHandOffIntervalHasPassed() {
        List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
        ParallelLive live = new ParallelLive(AnalyzeOptions.defaults(), List.of(rows::add), TimeWaitStage.none(), 2,
            FlowHash.keyed(2));
        try {
            long mono = 0;
            for (Frame f : clientClosed()) live.onFrame(f);
            live.advanceTo(TIME_WAIT_END + 1); // the connection is written as this advance is applied
            live.dispatched(6, mono);
            live.onFrame(syn(TIME_WAIT_END + 2, 40001));
            live.advanceTo(TIME_WAIT_END + 2);
            live.dispatched(1, mono + ParallelLive.HAND_OFF_NANOS - 1);
            assertEquals(0, rows.size(), "no hand-off yet: the workers have not seen the batch");
            live.onFrame(syn(TIME_WAIT_END + 3, 40002));
            live.advanceTo(TIME_WAIT_END + 3);
            live.dispatched(1, mono + ParallelLive.HAND_OFF_NANOS);
            assertEquals(1, waitFor(rows, 1), "written once the batch was handed on, 100 ms after the last hand-off");
            assertEquals(40000, rows.get(0).clientPort());
        } finally {
            live.close();
        }
    }

    // ---- stops and failures ----

    @Test
    void aSinkThatThrowsEndsTheRunWithItsExceptionAndLeavesNoThreadBehind() {
        IllegalStateException broken = new IllegalStateException("a sink broke");
        ManualClock clock = new ManualClock(42 * S, T0);
        ScriptedLiveSource source = new ScriptedLiveSource();
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        source.then(
            s -> {
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
            },
            s -> clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS); // the row is written: the sink throws
        for (int i = 0; i < 50; i++) {
            int port = 41000 + i;
            source.then(s -> {
                pause(); // the merger writes meanwhile; the capture thread sees the failure at its next call
                s.arrive(syn(TIME_WAIT_END + port, port));
            });
        }
        source.then(s -> { throw new AssertionError("the failure was not seen"); });
        ParallelLive analysis = new ParallelLive(AnalyzeOptions.defaults(), List.of(r -> { throw broken; }),
            TimeWaitStage.none(), 2, FlowHash.keyed(2));

        RuntimeException thrown = assertThrows(RuntimeException.class,
            () -> live.run(analysis, LiveRun.Tee.NONE, LiveFrames.NO_STATUS, () -> false));

        assertSame(broken, thrown);
        assertEquals(0, analysisThreads(), "every worker and the merger ended");
    }

    @Test
    void aFailureThatEscapesTheRunWritesNothingHeldOnTwoThreadsAsOnOne() {
        // A runtime exception that is no sink's (here the tee's: a bug) ends the run as it is, on any number of
        // threads: the connections still held are not written (LiveRun#run), and no thread is left behind.
        for (ThreadPlan threads : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.relay())) {
            IllegalStateException broken = new IllegalStateException("the tee broke");
            List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
            ScriptedLiveSource source = new ScriptedLiveSource();
            LiveRun live = new LiveRun(source, new ManualClock(42 * S, T0), LiveRun.Limits.NONE);
            source.then(s -> s.arrive(syn(T0, 40001), syn(T0 + 1, 40002)), s -> s.arrive(syn(T0 + 2, 40003)));
            LiveRun.Tee tee = new LiveRun.Tee() {
                private int frames;

                @Override
                public void write(Frame frame) {
                    if (++frames == 3) throw broken;
                }

                @Override
                public void flush() { }
            };
            LiveAnalysis analysis = analysis(threads, rows::add);

            RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> live.run(analysis, tee, LiveFrames.NO_STATUS, () -> false));

            assertSame(broken, thrown, threads + " threads");
            assertEquals(List.of(), rows, "nothing held is written, " + threads + " threads");
            assertEquals(0, analysisThreads(), threads + " threads");
        }
    }

    @Test
    void whenTheHeapRunsOutTheRunEndsWithItAndWhatIsHeldIsDroppedOnOneThreadAndOnTwo() {
        // The OutOfMemoryError is a sink's, for the test; the analysis threads catch and pass on any of them alike.
        for (ThreadPlan threads : List.of(ThreadPlan.of(1), ThreadPlan.of(2), ThreadPlan.relay())) {
            List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
            ManualClock clock = new ManualClock(42 * S, T0);
            ScriptedLiveSource source = new ScriptedLiveSource();
            LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
            closedThenWritten(source, clock, syn(T0 + 2 * S, 40001), syn(T0 + 2 * S + 1, 40002)); // its row: no heap
            for (int i = 0; i < 50; i++) {
                source.then(s -> pause()); // two threads: the capture thread sees it at a later call
            }
            source.then(s -> { throw new AssertionError("the failure was not seen"); });
            LiveAnalysis analysis = analysis(threads, r -> {
                rows.add(r);
                throw new OutOfMemoryError("test");
            });

            assertThrows(OutOfMemoryError.class, () -> live.run(analysis, LiveRun.Tee.NONE, LiveFrames.NO_STATUS,
                () -> false), threads + " threads");
            assertEquals(List.of(40000), rows.stream().map(FlowRecord::clientPort).toList(), threads + " threads");
            assertEquals(2, analysis.discardHeld(), "the two open connections, " + threads + " threads");
            assertEquals(0, analysisThreads(), threads + " threads");
        }
    }

    @Test
    void theHeapRunningOutOnTheCaptureThreadStillAnalysesWhatWasCapturedThenDropsWhatIsHeldAsOneThreadDoes() {
        for (int bound : new int[] {Integer.MAX_VALUE, 10}) {
            AnalyzeOptions options = AnalyzeOptions.defaults().withMaxConnections(bound);
            Object oneThreadsFigures = null;
            for (ThreadPlan plan : List.of(ThreadPlan.of(1), ThreadPlan.relay(), ThreadPlan.of(2), ThreadPlan.of(3))) {
                String what = plan + ", bound " + bound;
                List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
                ScriptedLiveSource source = new ScriptedLiveSource().then(
                    s -> Traffic.generate(Traffic.Kind.SYN, 50, s::arrive), // handed on only at the next dispatch
                    s -> {
                        throw new OutOfMemoryError("test");
                    });
                LiveRun live = new LiveRun(source, new ManualClock(42 * S, T0), LiveRun.Limits.NONE);
                TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(),
                    options.idleTimeoutNanos()), null);
                LiveAnalysis analysis = switch (plan.kind()) {
                    case ONE -> new Pipeline(options, List.of(rows::add), stage);
                    case RELAY -> new ParallelLive(options, List.of(rows::add), stage);
                    case WORKERS -> new ParallelLive(options, List.of(rows::add), stage, plan.workers(),
                        FlowHash.keyed(plan.workers()));
                };

                assertThrows(OutOfMemoryError.class, () -> live.run(analysis, LiveRun.Tee.NONE, LiveFrames.NO_STATUS,
                    () -> false), what);
                int dropped = analysis.discardHeld();
                assertEquals(0, analysisThreads(), what);
                assertEquals(50, analysis.packets(), what);
                // Every SYN captured was analysed: what the table held is dropped, what it evicted before was written.
                assertEquals(50, rows.size() + dropped, what);
                if (plan.kind() != ThreadPlan.Kind.WORKERS || bound == Integer.MAX_VALUE) {
                    // Workers split a bound, so only without one do they hold what one table holds.
                    assertEquals(Math.min(bound, 50), dropped, what);
                    Object figures = stage.figures().orElseThrow();
                    if (oneThreadsFigures == null) oneThreadsFigures = figures;
                    assertEquals(oneThreadsFigures, figures, what + ": TIME_WAIT figures");
                }
            }
        }
    }

    @Test
    void anOutputFailureEndsTheRunAndStillWritesWhatIsHeldAsOnOneThread() {
        AtomicBoolean failed = new AtomicBoolean();
        List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
        ManualClock clock = new ManualClock(42 * S, T0);
        ScriptedLiveSource source = new ScriptedLiveSource();
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        closedThenWritten(source, clock, syn(T0 + 2 * S, 40001));
        source.then(
            s -> waitFor(rows, 1), // the failure is seen up to one hand-off later than on one thread
            s -> { throw new AssertionError("a dispatch after the output failed"); });

        LiveRun.Outcome outcome = live.run(new ParallelLive(AnalyzeOptions.defaults(), List.of(r -> {
            rows.add(r);
            failed.set(true);
        }), TimeWaitStage.none(), 2, FlowHash.keyed(2)), LiveRun.Tee.NONE, LiveFrames.NO_STATUS, failed::get);

        assertEquals(new LiveRun.Outcome(LiveRun.End.OUTPUT_FAILED, 7, null), outcome);
        assertEquals(List.of(40000, 40001), rows.stream().map(FlowRecord::clientPort).toList());
        assertEquals(CloseType.NONE, rows.get(1).closeType(), "the open connection is written at the end");
        assertEquals(0, analysisThreads());
    }

    @Test
    void aCaptureFailureEndsTheRunWithEverythingReadUntilThenWritten() {
        LiveCaptureException down = ScriptedLiveSource.interfaceWentDown("eth0");
        List<FlowRecord> rows = Collections.synchronizedList(new ArrayList<>());
        ScriptedLiveSource source = new ScriptedLiveSource();
        LiveRun live = new LiveRun(source, new ManualClock(42 * S, T0), LiveRun.Limits.NONE);
        source.then(s -> s.arrive(syn(T0, 40001), syn(T0 + 1, 40002)), s -> { throw down; });

        LiveRun.Outcome outcome = live.run(new ParallelLive(AnalyzeOptions.defaults(), List.of(rows::add),
            TimeWaitStage.none(), 3, FlowHash.keyed(3)), LiveRun.Tee.NONE, LiveFrames.NO_STATUS, () -> false);

        assertEquals(LiveRun.End.CAPTURE_FAILED, outcome.end());
        assertSame(down, outcome.failure());
        assertEquals(List.of(40001, 40002), rows.stream().map(FlowRecord::clientPort).toList());
        assertEquals(0, analysisThreads());
    }

    @Test
    void figuresAreNotGivenBeforeTheyAreAskedForAndEachIsGivenOnce() {
        ParallelLive live = new ParallelLive(AnalyzeOptions.defaults(), List.of(r -> { }), TimeWaitStage.none(), 2,
            FlowHash.keyed(2));
        try {
            assertNull(live.figures());
            live.onFrame(syn(T0, 40001));
            live.askFigures(3, 0);
            LiveFigures f = live.awaitFigures();
            assertNotNull(f);
            assertEquals(1, f.tracker().open());
            assertNull(live.figures(), "given once");
        } finally {
            live.close();
        }
        assertEquals(0, analysisThreads());
    }

    // ---- helpers ----

    private static final long T0 = LiveFrames.T0;
    private static final long TIME_WAIT_END = LiveFrames.TIME_WAIT_END;


    /** Waits (at most 10 s) until {@code rows} holds {@code n} rows; returns how many it holds. */
    private static int waitFor(List<FlowRecord> rows, int n) {
        long deadline = System.nanoTime() + 10 * S;
        while (rows.size() < n && System.nanoTime() - deadline < 0) pause();
        return rows.size();
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Worker and merger threads alive (waiting up to 10 s for those ending; test classes run one at a time). */
    /** One thread's {@link Pipeline} or {@code threads} workers, writing rows to {@code sink}, without the stage. */
    private static LiveAnalysis analysis(ThreadPlan plan, RecordSink sink) {
        return switch (plan.kind()) {
            case ONE -> new Pipeline(AnalyzeOptions.defaults(), List.of(sink));
            case RELAY -> new ParallelLive(AnalyzeOptions.defaults(), List.of(sink), TimeWaitStage.none());
            case WORKERS -> new ParallelLive(AnalyzeOptions.defaults(), List.of(sink), TimeWaitStage.none(),
                plan.workers(), FlowHash.keyed(plan.workers()));
        };
    }

    /**
     * Scripts {@code source}: a connection the client closes (port 40000) and {@code open} arrive; at the next
     * dispatch the clock passes that connection's TIME_WAIT, so its row is written.
     */
    private static void closedThenWritten(ScriptedLiveSource source, ManualClock clock, Frame... open) {
        source.then(
            s -> {
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
                s.arrive(open);
            },
            s -> clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS);
    }

    private static long analysisThreads() {
        long deadline = System.nanoTime() + 10 * S;
        long alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && (t.getName().startsWith("teardown-worker-")
                    || t.getName().equals("teardown-merger") || t.getName().equals("teardown-writer"))).count();
            if (alive > 0) pause();
        } while (alive > 0 && System.nanoTime() - deadline < 0);
        return alive;
    }
}
