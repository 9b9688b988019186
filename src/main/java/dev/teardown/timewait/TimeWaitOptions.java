package dev.teardown.timewait;

import java.util.List;

/**
 * The settings of the TIME_WAIT stage, passed down as one value.
 *
 * @param timeWaitNanos how long TIME_WAIT lasts (Linux: a fixed 60 s)
 * @param idleNanos how long the tracker keeps a silent unfinished connection
 * @param stepNanos the distance between the timeline's instants
 * @param maxTwBuckets the host's {@code net.ipv4.tcp_max_tw_buckets}: TIME_WAIT sockets above it are destroyed at once
 * @param portLow the first port of the clients' ephemeral range ({@code net.ipv4.ip_local_port_range})
 * @param portHigh the last port of that range, included
 * @param whatIfIdleSeconds idle timeouts to try besides the inferred one and the standard ones, in seconds
 * @param maxTwBucketsGiven whether {@code maxTwBuckets} was given (else it is {@link #DEFAULT_MAX_TW_BUCKETS}, assumed)
 * @param portRangeGiven whether the port range was given (else Linux's default, assumed)
 */
public record TimeWaitOptions(long timeWaitNanos, long idleNanos, long stepNanos, long maxTwBuckets, int portLow,
                              int portHigh, List<Double> whatIfIdleSeconds, boolean maxTwBucketsGiven,
                              boolean portRangeGiven) {
    /** Linux's default {@code ip_local_port_range}: 32768-60999, 28,232 ports. */
    public static final int DEFAULT_PORT_LOW = 32768;
    /** The last port of Linux's default range. */
    public static final int DEFAULT_PORT_HIGH = 60999;
    /**
     * {@code tcp_max_tw_buckets} when not given: Linux sizes it from memory (131,072 on a 24 GiB machine, kernel
     * 6.x; per network namespace), so the value assumed is that machine's; read yours with
     * {@code sysctl net.ipv4.tcp_max_tw_buckets}.
     */
    public static final long DEFAULT_MAX_TW_BUCKETS = 131_072;
    private static final long SECOND = 1_000_000_000L;

    public TimeWaitOptions {
        if (timeWaitNanos <= 0 || idleNanos <= 0 || stepNanos <= 0) {
            throw new IllegalArgumentException("times must be positive");
        }
        if (maxTwBuckets <= 0) throw new IllegalArgumentException("max TIME_WAIT buckets must be positive");
        if (portLow < 1 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("port range out of order: " + portLow + "-" + portHigh);
        }
        whatIfIdleSeconds = List.copyOf(whatIfIdleSeconds);
    }

    /** Linux's defaults with the given TIME_WAIT length and idle timeout, a one-second step. */
    public static TimeWaitOptions defaults(long timeWaitNanos, long idleNanos) {
        return new TimeWaitOptions(timeWaitNanos, idleNanos, SECOND, DEFAULT_MAX_TW_BUCKETS, DEFAULT_PORT_LOW,
            DEFAULT_PORT_HIGH, List.of(), false, false);
    }

    /** The same with another step. */
    public TimeWaitOptions withStep(long nanos) {
        return new TimeWaitOptions(timeWaitNanos, idleNanos, nanos, maxTwBuckets, portLow, portHigh, whatIfIdleSeconds,
            maxTwBucketsGiven, portRangeGiven);
    }

    /** Ports in the ephemeral range. */
    public int ports() {
        return portHigh - portLow + 1;
    }
}
