package dev.teardown.report;

import dev.teardown.http.CloseReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The HTTP figures of one server endpoint in the summary: requests per connection, the idle time after
 * which its server closes keep-alive connections, and the close reasons behind the TIME_WAIT it holds. HTTPS
 * connections count too: their requests are the exchanges estimated from encrypted turns ({@code tlsConnections}).
 *
 * @param connections connections with at least one HTTP request (or, over TLS, one exchange)
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
 * @param requestsHistogram the HTTP connections by requests carried, from 1 request to the bin of the most
 *     ({@link RequestsBin}); exact
 * @param idleHistogram the HTTP connections with an idle time before their close ({@code idle_before_close_s}),
 *     by that time in {@link IdleBins}, from the first bin with a connection to the last; exact
 * @param tlsConnections of {@code connections}, those over TLS, whose requests are exchanges estimated from
 *     encrypted turns (a client burst answered by a server burst), not counted requests
 */
public record HttpFigures(long connections, double meanRequests, long p50Requests, long p90Requests, long maxRequests,
                          OptionalInt advertisedKeepAliveTimeout, Optional<IdleCloses> idleCloses,
                          long serverTimeWait, Map<CloseReason, Long> serverTimeWaitByReason,
                          List<RequestsBin> requestsHistogram, List<IdleBin> idleHistogram, long tlsConnections) {

    /**
     * Connections that carried {@code from} to {@code to} requests (both included): one bin per count up to 10,
     * then 11-20, 21-50, 51-100 and so on (1, 2, 5 per decade), the last bin ending at the most requests seen.
     *
     * @param from fewest requests in the bin
     * @param to most requests in the bin
     * @param connections HTTP connections in the bin
     */
    public record RequestsBin(long from, long to, long connections) {}

    /**
     * Connections whose idle time before the close fell in {@code [fromNanos, toNanos)}, by who closed first.
     *
     * @param fromNanos the bin's lower edge
     * @param toNanos its upper edge, excluded; {@link Long#MAX_VALUE} for the open-ended last bin
     * @param serverClosed connections whose server sent the first FIN or RST
     * @param clientClosed the others: the client first, or the FINs crossed
     */
    public record IdleBin(long fromNanos, long toNanos, long serverClosed, long clientClosed) {}

    /** Figures with no TLS connection (tests of the figures that came before them). */
    public HttpFigures(long connections, double meanRequests, long p50Requests, long p90Requests, long maxRequests,
                       OptionalInt advertisedKeepAliveTimeout, Optional<IdleCloses> idleCloses, long serverTimeWait,
                       Map<CloseReason, Long> serverTimeWaitByReason, List<RequestsBin> requestsHistogram,
                       List<IdleBin> idleHistogram) {
        this(connections, meanRequests, p50Requests, p90Requests, maxRequests, advertisedKeepAliveTimeout, idleCloses,
            serverTimeWait, serverTimeWaitByReason, requestsHistogram, idleHistogram, 0);
    }

    /** Figures without histograms (tests of the figures that came before them). */
    public HttpFigures(long connections, double meanRequests, long p50Requests, long p90Requests, long maxRequests,
                       OptionalInt advertisedKeepAliveTimeout, Optional<IdleCloses> idleCloses, long serverTimeWait,
                       Map<CloseReason, Long> serverTimeWaitByReason) {
        this(connections, meanRequests, p50Requests, p90Requests, maxRequests, advertisedKeepAliveTimeout, idleCloses,
            serverTimeWait, serverTimeWaitByReason, List.of(), List.of());
    }

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

    /** Keeps the reasons in the enum's order whatever map is given; copies the histograms. */
    public HttpFigures {
        EnumMap<CloseReason, Long> reasons = new EnumMap<>(CloseReason.class);
        reasons.putAll(serverTimeWaitByReason);
        serverTimeWaitByReason = Collections.unmodifiableMap(reasons);
        requestsHistogram = List.copyOf(requestsHistogram);
        idleHistogram = List.copyOf(idleHistogram);
    }
}
