package dev.teardown.pipeline;

/** A clock a test sets and steps; it never moves by itself. */
final class ManualClock implements Clock {
    long monotonic;
    long epoch;

    ManualClock(long monotonic, long epoch) {
        this.monotonic = monotonic;
        this.epoch = epoch;
    }

    /** Moves both clocks on by {@code nanos}, as time passing does. */
    void advance(long nanos) {
        monotonic += nanos;
        epoch += nanos;
    }

    @Override
    public long monotonicNanos() {
        return monotonic;
    }

    @Override
    public long epochNanos() {
        return epoch;
    }
}
