package dev.teardown.bench;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.ConnectionTracker;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The connection state machine: {@link ConnectionTracker#onSegment} over every decoded segment, then
 * {@link ConnectionTracker#finish}, with no later stages (HTTP, records). A fresh tracker per capture per pass,
 * with Linux's 60 s TIME_WAIT and a one-hour idle timeout.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrackerBench {
    private static final long SECOND = 1_000_000_000L;

    /** {@code auto}, {@code samples} or the path of one capture: see {@link Captures}. */
    @Param(Settings.CAPTURE)
    public String capture;

    private List<Captures.Capture> captures;

    @Setup
    public void load() {
        captures = Captures.load(capture, Settings.MAX_FRAMES);
        System.out.println(Captures.describe(captures));
    }

    /** One pass over every segment; items = segments. */
    @Benchmark
    public void onSegment(Items items, Blackhole bh) {
        ConnectionEvents<Void> events = new ConnectionEvents<>() {
            @Override
            public void finished(Connection<Void> c) {
                bh.consume(c);
            }
        };
        int n = 0;
        for (Captures.Capture c : captures) {
            ConnectionTracker<Void> tracker = new ConnectionTracker<>(60 * SECOND, 3600 * SECOND, () -> null, events);
            for (TcpSegment s : c.segments()) {
                bh.consume(tracker.onSegment(s));
            }
            tracker.finish();
            n += c.segments().length;
        }
        items.items += n;
    }
}
