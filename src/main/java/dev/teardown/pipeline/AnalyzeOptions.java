package dev.teardown.pipeline;

/**
 * The settings of one analysis, passed down as one value.
 *
 * @param timeWaitNanos how long TIME_WAIT lasts (Linux: a fixed 60 s, TCP_TIMEWAIT_LEN)
 * @param idleTimeoutNanos how long an unfinished connection may be silent before it is written out
 * @param maxConnections most connections held at once; beyond, the oldest closing one, else the least recently
 *     active open one, is written out early and counted as an eviction
 * @param verifyChecksums whether TCP checksums are checked: a segment that fails is dropped as its receiver drops
 *     it, leaving only Zeek's history letter {@code c}. Off by default: a host that offloads checksums to its
 *     network card (and loopback) captures its own segments with checksums not yet filled in
 */
public record AnalyzeOptions(long timeWaitNanos, long idleTimeoutNanos, int maxConnections, boolean verifyChecksums) {
    public static final long SECOND = 1_000_000_000L;

    /** Linux's TIME_WAIT: a fixed 60 s ({@code TCP_TIMEWAIT_LEN}, compiled in; not a sysctl). */
    public static final long DEFAULT_TIME_WAIT_SECONDS = 60;

    /** How long {@code analyze} lets an unfinished connection be silent before writing it out: an hour. */
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 3600;

    /**
     * The same for {@code live}, shorter so that a capture left running writes abandoned connections within
     * minutes: five.
     */
    public static final long DEFAULT_LIVE_IDLE_TIMEOUT_SECONDS = 300;

    /**
     * Longest {@code --time-wait} accepted: a day. No system holds TIME_WAIT longer than a few minutes
     * (Windows allows at most 300 s, RFC 793's 2*MSL is 240 s); the bound keeps every packet time plus
     * TIME_WAIT far from overflowing a long of nanoseconds.
     */
    public static final long MAX_TIME_WAIT_SECONDS = 86_400;

    /** Longest {@code --idle-timeout} accepted: a year, longer than any capture; bounded for the same reason. */
    public static final long MAX_IDLE_TIMEOUT_SECONDS = 365 * 86_400L;

    /**
     * Heap budget per connection held, in bytes, from which the default {@link #maxConnections} is derived.
     * Measured (live heap after a full GC, 100 k and 400 k connections held): a half-open SYN holds about
     * 870 bytes, an HTTP/1.1 keep-alive connection idle after one exchange about 1,730 bytes (its HTTP
     * state included). Rounded up to 2 KiB.
     */
    public static final long BYTES_PER_CONNECTION = 2048;

    /**
     * Share of the maximum heap the connection table may fill by default: the rest is headroom for the
     * copying young generation, the table's own growth (a HashMap doubles) and the summary.
     */
    public static final double HEAP_SHARE_FOR_CONNECTIONS = 0.5;

    /** Cap on the default bound, whatever the heap: a million connections held (about 2 GiB of heap). */
    public static final int MAX_DEFAULT_CONNECTIONS = 1_000_000;

    public AnalyzeOptions {
        if (timeWaitNanos <= 0 || timeWaitNanos > MAX_TIME_WAIT_SECONDS * SECOND) {
            throw new IllegalArgumentException("TIME_WAIT out of range: " + timeWaitNanos + " ns");
        }
        if (idleTimeoutNanos <= 0 || idleTimeoutNanos > MAX_IDLE_TIMEOUT_SECONDS * SECOND) {
            throw new IllegalArgumentException("idle timeout out of range: " + idleTimeoutNanos + " ns");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("max connections must be positive, not " + maxConnections);
        }
    }

    /** The given settings, checksums unchecked. */
    public AnalyzeOptions(long timeWaitNanos, long idleTimeoutNanos, int maxConnections) {
        this(timeWaitNanos, idleTimeoutNanos, maxConnections, false);
    }

    /** The given timeouts, with the default bound on connections held for this JVM's heap. */
    public AnalyzeOptions(long timeWaitNanos, long idleTimeoutNanos) {
        this(timeWaitNanos, idleTimeoutNanos, defaultMaxConnections());
    }

    /** Linux's values: 60 s TIME_WAIT, one hour of silence; the default bound on connections held. */
    public static AnalyzeOptions defaults() {
        return new AnalyzeOptions(DEFAULT_TIME_WAIT_SECONDS * SECOND, DEFAULT_IDLE_TIMEOUT_SECONDS * SECOND);
    }

    /** The same settings with another bound on connections held. */
    public AnalyzeOptions withMaxConnections(int max) {
        return new AnalyzeOptions(timeWaitNanos, idleTimeoutNanos, max, verifyChecksums);
    }

    /** The same settings, checking TCP checksums or not. */
    public AnalyzeOptions withVerifyChecksums(boolean verify) {
        return new AnalyzeOptions(timeWaitNanos, idleTimeoutNanos, maxConnections, verify);
    }

    /** The default bound on connections held for this JVM: {@link #defaultMaxConnections(long)} of its max heap. */
    public static int defaultMaxConnections() {
        return defaultMaxConnections(Runtime.getRuntime().maxMemory());
    }

    /**
     * How many connections fit in {@link #HEAP_SHARE_FOR_CONNECTIONS} of {@code maxHeapBytes} at
     * {@link #BYTES_PER_CONNECTION} each, at least 1,000, at most {@link #MAX_DEFAULT_CONNECTIONS}.
     */
    public static int defaultMaxConnections(long maxHeapBytes) {
        long fit = (long) (maxHeapBytes * HEAP_SHARE_FOR_CONNECTIONS) / BYTES_PER_CONNECTION;
        return (int) Math.max(1_000, Math.min(MAX_DEFAULT_CONNECTIONS, fit));
    }
}
