package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.teardown.pipeline.LiveFrames.clientClosed;
import static dev.teardown.pipeline.LiveFrames.syn;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.capture.ScriptedLiveSource;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.CloseType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The live loop on a scripted source and a stepped clock: when quiet time writes a connection, what ends a run
 * (a stop, {@code --count}, {@code --duration}, a failed output or capture), the status cadence and the tee. No
 * sleeps: every time the loop reads is set by the test.
 */
class LiveRunTest {
    private static final long S = LiveFrames.S;
    private static final long MS = LiveFrames.MS;
    private static final long T0 = LiveFrames.T0;

    private final ManualClock clock = new ManualClock(42 * S, T0);
    private final ScriptedLiveSource source = new ScriptedLiveSource();
    private final List<FlowRecord> rows = new ArrayList<>();
    private final Pipeline pipeline = new Pipeline(AnalyzeOptions.defaults(), List.of(rows::add));
    private final List<String> printed = new ArrayList<>();

    /** A status that notes each sample as "before..now: frames" in milliseconds since the start. */
    private LiveRun.Status status(long intervalNanos) {
        return new LiveRun.Status() {
            @Override
            public long intervalNanos() {
                return intervalNanos;
            }

            @Override
            public int topEndpoints() {
                return 3;
            }

            @Override
            public void print(LiveRun.Sample before, LiveRun.Sample now) {
                printed.add(before.elapsedNanos() / MS + ".." + now.elapsedNanos() / MS + ": " + now.frames());
            }
        };
    }


    private LiveRun.Outcome run(LiveRun live) {
        return live.run(pipeline, LiveRun.Tee.NONE, LiveFrames.NO_STATUS, () -> false);
    }

    private static final long TIME_WAIT_END = LiveFrames.TIME_WAIT_END;

    // ---- quiet time ----

    @Test
    void aQuietCaptureWritesAClosedConnectionOnceTheWallClockLessTheSlackReachesItsTimeWaitEnd() {
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        List<Integer> rowsSeen = new ArrayList<>();
        source.then(
            s -> {
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
            },
            s -> {
                rowsSeen.add(rows.size());
                clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS - 1;
            },
            s -> {
                rowsSeen.add(rows.size());
                clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS;
            },
            s -> {
                rowsSeen.add(rows.size());
                live.stop();
            });

        LiveRun.Outcome outcome = run(live);

        assertEquals(List.of(0, 0, 1), rowsSeen, "written by the dispatch that took the wall clock to its end + 1 s");
        assertEquals(TIME_WAIT_END, rows.get(0).timeWaitEndNanos());
        assertEquals(new LiveRun.Outcome(LiveRun.End.STOPPED, 6, null), outcome);
    }

    @Test
    void quietTimeFollowsTheWallClockNotTheMonotonicOne() {
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        List<Integer> rowsSeen = new ArrayList<>();
        source.then(
            s -> {
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
            },
            s -> clock.monotonic += 3600 * S, // an hour on the monotonic clock, none on the wall clock
            s -> {
                rowsSeen.add(rows.size());
                live.stop();
            });

        run(live);

        assertEquals(List.of(0), rowsSeen);
        assertEquals(1, rows.size(), "written at the end, still in TIME_WAIT");
    }

    // ---- what ends a run ----

    @Test
    void durationStopsTheRunOnceTheMonotonicClockReachesItAndNotBefore() {
        LiveRun live = new LiveRun(source, clock, new LiveRun.Limits(Long.MAX_VALUE, 10 * S));
        source.then(
            s -> {
                s.arrive(syn(T0, 40000));
                clock.monotonic += 10 * S - 1;
            },
            s -> clock.monotonic += 1,
            s -> { throw new AssertionError("a dispatch after the duration"); });

        LiveRun.Outcome outcome = run(live);

        assertEquals(new LiveRun.Outcome(LiveRun.End.DURATION, 1, null), outcome);
        assertEquals(2, source.dispatches());
        assertEquals(1, rows.size(), "the open connection is written as it stands");
        assertEquals(CloseType.NONE, rows.get(0).closeType());
    }

    @Test
    void durationAndStatusCompareMonotonicReadingsByDifferenceSoAClockNearOverflowWorks() {
        clock.monotonic = Long.MAX_VALUE - 350 * MS;
        LiveRun live = new LiveRun(source, clock, new LiveRun.Limits(Long.MAX_VALUE, S));
        for (int i = 0; i < 5; i++) {
            source.then(s -> clock.monotonic += 200 * MS); // wraps past Long.MAX_VALUE in the second step
        }

        LiveRun.Outcome outcome = live.run(pipeline, LiveRun.Tee.NONE, status(300 * MS), () -> false);

        assertEquals(LiveRun.End.DURATION, outcome.end());
        assertEquals(5, source.dispatches());
        assertEquals(List.of("0..400: 0", "400..800: 0"), printed);
    }

    @Test
    void countStopsExactlyAtNFramesAndLeavesTheRestOfTheDispatchUnread() {
        LiveRun live = new LiveRun(source, clock, new LiveRun.Limits(5, Long.MAX_VALUE));
        List<Long> teed = new ArrayList<>();
        source.then(
            s -> s.arrive(syn(T0, 40001), syn(T0 + 1, 40002), syn(T0 + 2, 40003)),
            s -> s.arrive(syn(T0 + 3, 40004), syn(T0 + 4, 40005), syn(T0 + 5, 40006)));

        LiveRun.Outcome outcome = live.run(pipeline, tee(teed, null), LiveFrames.NO_STATUS, () -> false);

        assertEquals(new LiveRun.Outcome(LiveRun.End.COUNT, 5, null), outcome);
        assertEquals(5, pipeline.totals(List.of()).packets());
        assertEquals(5, teed.size());
        assertEquals(1, source.waiting(), "the sixth frame is not read");
        assertEquals(5, rows.size());
    }

    @Test
    void anOutputFailureStopsTheRunAfterThatDispatchAndStillWritesWhatIsHeld() {
        boolean[] outputFailed = {false};
        Pipeline failing = new Pipeline(AnalyzeOptions.defaults(), List.of(r -> {
            rows.add(r);
            outputFailed[0] = true; // as an output on a full disk: the first row fails
        }));
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        source.then(
            s -> {
                clock.advance(MS);
                clock.epoch = T0 + S + 3 * MS;
                s.arrive(clientClosed());
                s.arrive(syn(T0 + 2 * S, 40001));
            },
            s -> {
                clock.advance(MS);
                clock.epoch = TIME_WAIT_END + LiveRun.QUIET_SLACK_NANOS;
            },
            s -> { throw new AssertionError("a dispatch after the output failed"); });

        LiveRun.Outcome outcome = live.run(failing, LiveRun.Tee.NONE, status(1), () -> outputFailed[0]);

        assertEquals(new LiveRun.Outcome(LiveRun.End.OUTPUT_FAILED, 7, null), outcome);
        assertEquals(List.of("0..1: 7"), printed, "no status after the failure");
        assertEquals(List.of(40000, 40001), rows.stream().map(FlowRecord::clientPort).toList(),
            "the open connection is still written at the end");
    }

    @Test
    void aCaptureFailureEndsTheRunWithEverythingReadUntilThenWritten() {
        LiveCaptureException down = ScriptedLiveSource.interfaceWentDown("eth0");
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        source.then(
            s -> s.arrive(syn(T0, 40001)),
            s -> { throw down; });

        LiveRun.Outcome outcome = run(live);

        assertEquals(LiveRun.End.CAPTURE_FAILED, outcome.end());
        assertSame(down, outcome.failure());
        assertEquals(1, outcome.frames());
        assertEquals(1, rows.size());
    }

    @Test
    void stopDuringADispatchEndsItAfterTheFrameBeingHandledAndWritesEveryHeldConnection() {
        LiveRun[] live = {new LiveRun(source, clock, LiveRun.Limits.NONE)};
        List<Long> teed = new ArrayList<>();
        source.then(s -> s.arrive(syn(T0, 40001), syn(T0 + 1, 40002), syn(T0 + 2, 40003)));

        // As Ctrl-C arriving while the second frame is handled.
        LiveRun.Outcome outcome = live[0].run(pipeline, tee(teed, () -> {
            if (teed.size() == 2) live[0].stop();
        }), LiveFrames.NO_STATUS, () -> false);

        assertEquals(new LiveRun.Outcome(LiveRun.End.STOPPED, 2, null), outcome);
        assertEquals(1, source.waiting());
        assertEquals(List.of(40001, 40002), rows.stream().map(FlowRecord::clientPort).sorted().toList());
        assertEquals(List.of(CloseType.NONE, CloseType.NONE), rows.stream().map(FlowRecord::closeType).toList());
    }

    @Test
    void aStopBeforeTheRunStartsDispatchesNothing() {
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        source.then(s -> s.arrive(syn(T0, 40001)));
        live.stop();

        assertEquals(new LiveRun.Outcome(LiveRun.End.STOPPED, 0, null), run(live));
        assertEquals(0, source.dispatches());
        assertTrue(live.stopRequested());
    }

    // ---- status and tee ----

    @Test
    void statusIsSampledEveryIntervalWithTheFramesReadAndTheTimeSinceThePreviousSample() {
        LiveRun live = new LiveRun(source, clock, new LiveRun.Limits(Long.MAX_VALUE, 4 * S));
        for (int i = 0; i < 10; i++) {
            int port = 40000 + i;
            source.then(s -> {
                s.arrive(syn(T0 + port, port));
                clock.advance(400 * MS);
            });
        }

        LiveRun.Outcome outcome = live.run(pipeline, LiveRun.Tee.NONE, status(S), () -> false);

        // Checked after each dispatch, every 400 ms: the first check at or past the due time prints, and the next
        // one is due an interval after that print.
        assertEquals(List.of("0..1200: 3", "1200..2400: 6", "2400..3600: 9"), printed);
        assertEquals(new LiveRun.Outcome(LiveRun.End.DURATION, 10, null), outcome);
    }

    @Test
    void theTeeTakesEachFrameBeforeThePipelineAndIsFlushedAfterEachDispatch() {
        List<String> events = new ArrayList<>();
        LiveRun live = new LiveRun(source, clock, new LiveRun.Limits(Long.MAX_VALUE, 2));
        source.then(
            s -> {
                s.arrive(syn(T0, 40001), syn(T0 + 1, 40002));
                clock.monotonic++;
            },
            s -> clock.monotonic++);
        LiveRun.Tee tee = new LiveRun.Tee() {
            @Override
            public void write(Frame frame) {
                events.add("write " + frame.timeNanos() % 10 + " after " + pipeline.totals(List.of()).packets());
            }

            @Override
            public void flush() {
                events.add("flush");
            }
        };

        live.run(pipeline, tee, LiveFrames.NO_STATUS, () -> false);

        assertEquals(List.of("write 0 after 0", "write 1 after 1", "flush", "flush"), events);
    }

    @Test
    void limitsMustBePositiveAndARunRunsOnce() {
        assertThrows(IllegalArgumentException.class, () -> new LiveRun.Limits(0, S));
        assertThrows(IllegalArgumentException.class, () -> new LiveRun.Limits(1, 0));
        LiveRun live = new LiveRun(source, clock, LiveRun.Limits.NONE);
        live.stop();
        run(live);
        assertThrows(IllegalStateException.class, () -> run(live));
    }

    /** A tee noting each frame's time, running {@code then} (if any) after each. */
    private static LiveRun.Tee tee(List<Long> teed, Runnable then) {
        return new LiveRun.Tee() {
            @Override
            public void write(Frame frame) {
                teed.add(frame.timeNanos());
                if (then != null) then.run();
            }

            @Override
            public void flush() { }
        };
    }
}
