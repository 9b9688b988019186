package dev.teardown.timewait;

/**
 * The instants a what-if population is sampled at, shared by all its {@link Population}s: the multiples of the
 * step from the first at or after the capture's first packet, those before {@link #horizonIndex()} already final.
 * Sampling at the timeline's instants makes a what-if peak read like the timeline's (and like {@code ss} run once a
 * second).
 */
final class Instants {
    private final long stepNanos;
    private boolean started;
    private long firstIndex;
    /** Index of the first instant not yet final. */
    private long horizonIndex;
    /** For {@link #startIndex} and {@link #endIndex}: the populations' intervals come in runs within one step. */
    private final InstantIndex starts;
    private final InstantIndex ends;

    /** @param stepNanos the distance between instants, positive */
    Instants(long stepNanos) {
        if (stepNanos <= 0) throw new IllegalArgumentException("step must be positive, not " + stepNanos);
        this.stepNanos = stepNanos;
        this.starts = new InstantIndex(stepNanos);
        this.ends = new InstantIndex(stepNanos);
    }

    /** Starts the instants at the first at or after {@code firstNanos}; once. */
    void start(long firstNanos) {
        if (started) return;
        started = true;
        firstIndex = indexAtOrAfter(firstNanos);
        horizonIndex = firstIndex;
    }

    boolean started() {
        return started;
    }

    /** The index of the first instant at or after {@code nanos} (a ceiling division that also holds before 1970). */
    long indexAtOrAfter(long nanos) {
        return -Math.floorDiv(-nanos, stepNanos);
    }

    /** {@link #indexAtOrAfter} for an interval's start, remembering the last instant found. */
    long startIndex(long nanos) {
        return starts.of(nanos);
    }

    /** {@link #indexAtOrAfter} for an interval's end, remembering the last instant found. */
    long endIndex(long nanos) {
        return ends.of(nanos);
    }

    long firstIndex() {
        return firstIndex;
    }

    long horizonIndex() {
        return horizonIndex;
    }

    /** The time of the first instant not yet final. */
    long horizonNanos() {
        return horizonIndex * stepNanos;
    }

    /** Whether a change at {@code nanos} comes too late: an instant it would count at is already final. */
    boolean isFinal(long nanos) {
        // indexAtOrAfter(nanos) < horizonIndex, without the division: nanos <= (horizonIndex - 1) * step.
        return firstIndex < horizonIndex && nanos <= (horizonIndex - 1) * stepNanos;
    }

    /** Makes the instants before {@code nanos} final; never moves back. */
    void advanceHorizon(long nanos) {
        horizonIndex = Math.max(horizonIndex, indexAtOrAfter(nanos));
    }

    /** Makes every instant up to the first at or after {@code lastNanos} final: the end of the input. */
    void finishAt(long lastNanos) {
        horizonIndex = Math.max(horizonIndex, indexAtOrAfter(lastNanos) + 1);
    }
}
