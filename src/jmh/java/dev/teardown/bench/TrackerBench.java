package dev.teardown.bench;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.ConnectionTracker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The connection state machine: {@link ConnectionTracker#onSegment} over every decoded segment, then
 * {@link ConnectionTracker#finish}, with no later stages (HTTP, records). A fresh tracker per capture per pass,
 * with Linux's 60 s TIME_WAIT and a one-hour idle timeout.
 */
public class TrackerBench extends CaptureBench {
    private static final long SECOND = 1_000_000_000L;


    @Setup
    public void load() {
        loadCaptures();
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
