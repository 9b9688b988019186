package dev.teardown.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The items one benchmark invocation handled (frames, segments, heads, rows), reported by JMH next to the
 * score as a rate of its own: {@code Bench.method:items} in items per second, the figure to compare.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Items {
    /** Public so that JMH reads it; each benchmark adds its pass's item count. */
    public long items;

    /** Counts from zero in each iteration, so the rate is per iteration. */
    @Setup(Level.Iteration)
    public void reset() {
        items = 0;
    }
}
