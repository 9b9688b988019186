package dev.teardown.pipeline;

/**
 * The settings of one analysis, passed down as one value.
 *
 * @param timeWaitNanos how long TIME_WAIT lasts (Linux: a fixed 60 s, TCP_TIMEWAIT_LEN)
 * @param idleTimeoutNanos how long an unfinished connection may be silent before it is written out
 */
public record AnalyzeOptions(long timeWaitNanos, long idleTimeoutNanos) {
    public static final long SECOND = 1_000_000_000L;

    /** Linux's values: 60 s TIME_WAIT, one hour of silence. */
    public static AnalyzeOptions defaults() {
        return new AnalyzeOptions(60 * SECOND, 3600 * SECOND);
    }
}
