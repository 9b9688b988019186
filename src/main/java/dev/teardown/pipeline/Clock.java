package dev.teardown.pipeline;

/**
 * The machine's two clocks as a driver reads them, injected so that tests step time instead of sleeping: a
 * monotonic one for limits and intervals, and the wall clock that packet times are stamped with.
 */
public interface Clock {

    /** Nanoseconds from an arbitrary origin that never jumps (compare two readings by difference only). */
    long monotonicNanos();

    /** The wall clock, nanoseconds since the Unix epoch: the time base of a live capture's packet times. */
    long epochNanos();

    /** {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** The production clock; an enum, so there is one. */
    enum SystemClock implements Clock {
        INSTANCE;

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public long epochNanos() {
            return System.currentTimeMillis() * 1_000_000L;
        }
    }
}
