package dev.teardown.report;

import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Sides;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the summary shows of a capture's connections, as plain figures: the model that the text (and any
 * other) rendering of the summary draws from. Counts by enum are in the enum's order, whatever map is given.
 *
 * @param connections connections counted
 * @param tupleReuses connections that reused a tuple still in TIME_WAIT
 * @param closeTypes connections by how they ended
 * @param closeInitiators connections by the side that closed first
 * @param timeWaitHolders connections by the side(s) left in TIME_WAIT
 * @param anomalies connections with each TCP anomaly
 * @param httpAnomalies connections with each HTTP anomaly
 * @param endpoints the busiest server endpoints
 * @param halfClosed the half-closed states of every connection
 * @param closeReasons connections by {@code close_reason}
 * @param begunBeforeCapture connections already open when the capture began (no SYN seen: {@code handshake}
 *     {@code midstream}), whatever their close reason
 */
public record SummaryFigures(long connections, long tupleReuses, Map<CloseType, Long> closeTypes,
                             Map<Sides, Long> closeInitiators, Map<Sides, Long> timeWaitHolders,
                             Map<Anomaly, Long> anomalies, Map<HttpAnomaly, Long> httpAnomalies,
                             EndpointTable endpoints, HalfClosedFigures halfClosed, Map<CloseReason, Long> closeReasons,
                             long begunBeforeCapture) {

    /** Figures without a count of connections begun before the capture. */
    public SummaryFigures(long connections, long tupleReuses, Map<CloseType, Long> closeTypes,
                          Map<Sides, Long> closeInitiators, Map<Sides, Long> timeWaitHolders,
                          Map<Anomaly, Long> anomalies, Map<HttpAnomaly, Long> httpAnomalies, EndpointTable endpoints,
                          HalfClosedFigures halfClosed, Map<CloseReason, Long> closeReasons) {
        this(connections, tupleReuses, closeTypes, closeInitiators, timeWaitHolders, anomalies, httpAnomalies, endpoints,
            halfClosed, closeReasons, 0);
    }

    /** Figures without close reasons (tests of the figures that came before them). */
    public SummaryFigures(long connections, long tupleReuses, Map<CloseType, Long> closeTypes,
                          Map<Sides, Long> closeInitiators, Map<Sides, Long> timeWaitHolders,
                          Map<Anomaly, Long> anomalies, Map<HttpAnomaly, Long> httpAnomalies, EndpointTable endpoints,
                          HalfClosedFigures halfClosed) {
        this(connections, tupleReuses, closeTypes, closeInitiators, timeWaitHolders, anomalies, httpAnomalies, endpoints,
            halfClosed, Map.of());
    }

    /**
     * One server endpoint's row.
     *
     * @param endpoint {@code ip:port} ({@code [ip]:port} for IPv6), as seen on the network
     * @param connections its connections counted since it was tracked: all of them when {@code errorBound} is 0
     * @param errorBound most connections it may have had uncounted (before it was tracked); 0: exact
     * @param serverTimeWait of those counted, connections that left TIME_WAIT on the server
     * @param clientTimeWait of those counted, connections that left TIME_WAIT on the client
     * @param http the HTTP figures of those counted, or empty if none had an HTTP request
     * @param halfClosed the half-closed states of those counted
     */
    public record Endpoint(String endpoint, long connections, long errorBound, long serverTimeWait,
                           long clientTimeWait, Optional<HttpFigures> http, HalfClosedFigures halfClosed) {}

    /**
     * The server endpoints held in a table of bounded capacity, most connections first, then by name.
     *
     * @param rows every endpoint held, at most {@code capacity}
     * @param exact whether every endpoint was held from its first connection on, so that the rows are all the
     *     endpoints and every row is exact
     * @param enteredAtMost an upper bound of the distinct endpoints (exactly their number when {@code exact})
     * @param capacity endpoints held at a time
     */
    public record EndpointTable(List<Endpoint> rows, boolean exact, long enteredAtMost, int capacity) {
        /** Takes a copy of the rows. */
        public EndpointTable {
            rows = List.copyOf(rows);
        }
    }

    /** Keeps the counts in their enum's order. */
    public SummaryFigures {
        closeTypes = inOrder(CloseType.class, closeTypes);
        closeInitiators = inOrder(Sides.class, closeInitiators);
        timeWaitHolders = inOrder(Sides.class, timeWaitHolders);
        anomalies = inOrder(Anomaly.class, anomalies);
        httpAnomalies = inOrder(HttpAnomaly.class, httpAnomalies);
        closeReasons = inOrder(CloseReason.class, closeReasons);
    }

    private static <K extends Enum<K>> Map<K, Long> inOrder(Class<K> type, Map<K, Long> counts) {
        EnumMap<K, Long> m = new EnumMap<>(type);
        m.putAll(counts);
        return Collections.unmodifiableMap(m);
    }
}
