package dev.teardown.report;

import dev.teardown.http.CloseReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTTP figures of one server endpoint in the summary: requests per connection, the idle time after
 * which its server closes keep-alive connections, and the close reasons behind the TIME_WAIT it holds.
 *
 * @param connections connections with at least one HTTP request
 * @param meanRequests mean requests per HTTP connection
 * @param p50Requests median requests per HTTP connection (nearest rank)
 * @param p90Requests 90th percentile of requests per HTTP connection (nearest rank)
 * @param maxRequests most requests on one connection
 * @param advertisedKeepAliveTimeout the most common {@code Keep-Alive: timeout=} the server advertised, in
 *     seconds (the lowest on a tie), or empty if it advertised none
 * @param idleCloses its closes of idle keep-alive connections, or empty if it made none
 * @param serverTimeWait connections that left TIME_WAIT on the server
 * @param serverTimeWaitByReason those connections by HTTP close reason, in the enum's order; their share of
 *     the server's TIME_WAIT is {@code count / serverTimeWait}
 */
public record HttpFigures(long connections, double meanRequests, long p50Requests, long p90Requests, long maxRequests,
                          OptionalInt advertisedKeepAliveTimeout, Optional<IdleCloses> idleCloses,
                          long serverTimeWait, Map<CloseReason, Long> serverTimeWaitByReason) {

    /**
     * The server's closes of keep-alive connections after an idle period, and percentiles of that period
     * (nearest rank, over a uniform sample when there were more than it holds).
     *
     * @param count such closes
     * @param sampled idle times the percentiles are taken from: {@code count} up to the sample's size
     * @param p10Nanos 10th percentile of the idle time, in nanoseconds
     * @param medianNanos median idle time, in nanoseconds
     * @param p90Nanos 90th percentile of the idle time, in nanoseconds
     */
    public record IdleCloses(long count, int sampled, long p10Nanos, long medianNanos, long p90Nanos) {}

    /** Keeps the reasons in the enum's order whatever map is given. */
    public HttpFigures {
        EnumMap<CloseReason, Long> reasons = new EnumMap<>(CloseReason.class);
        reasons.putAll(serverTimeWaitByReason);
        serverTimeWaitByReason = Collections.unmodifiableMap(reasons);
    }
}
