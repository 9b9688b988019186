package dev.teardown.report;

import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The summary of a capture's connections as it is accumulated, record by record: how they ended, who
 * closed, who holds TIME_WAIT, per server endpoint; its {@link #figures()} are what renderers show.
 *
 * <p>Mergeable, in the sense of Agarwal et al.'s "Mergeable Summaries" (PODS 2012): the summaries of the
 * parts of a capture (threads, shards) {@link #merge} into the summary of the whole. The per-endpoint
 * figures live in a {@link SpaceSaving} table of {@link #ENDPOINT_CAPACITY} endpoints, so a scan of millions
 * of endpoints costs no more memory than a capture of a few: below the capacity every figure is exact (and
 * a merge gives exactly the whole's figures); above it the table keeps every endpoint with more than 1 /
 * capacity of the connections, and a row that may miss connections says by how many at most.
 */
public final class Summary implements RecordSink {
    /** Server endpoints tracked at a time: some thousands, a few KB each at most with their HTTP figures. */
    static final int ENDPOINT_CAPACITY = 4096;

    /** What the summary counts per server endpoint; its connections are the entry's tracked count. */
    private static final class Counts {
        long serverTimeWait;
        long clientTimeWait;
        final HalfClosedFigures.Counter halfClosed = new HalfClosedFigures.Counter();
        /** Created by the first connection that has HTTP or leaves TIME_WAIT on the server; a scan needs none. */
        HttpEndpointStats http;

        void merge(Counts other) {
            serverTimeWait += other.serverTimeWait;
            clientTimeWait += other.clientTimeWait;
            halfClosed.merge(other.halfClosed);
            if (other.http == null) return;
            if (http == null) http = new HttpEndpointStats();
            http.merge(other.http);
        }
    }

    private long connections;
    private long tupleReuses;
    private long begunBeforeCapture;
    private final EnumCounts<CloseType> closeTypes = new EnumCounts<>(CloseType.class);
    private final EnumCounts<Sides> initiators = new EnumCounts<>(Sides.class);
    private final EnumCounts<Sides> holders = new EnumCounts<>(Sides.class);
    private final EnumCounts<Anomaly> anomalies = new EnumCounts<>(Anomaly.class);
    private final EnumCounts<HttpAnomaly> httpAnomalies = new EnumCounts<>(HttpAnomaly.class);
    private final EnumCounts<CloseReason> closeReasons = new EnumCounts<>(CloseReason.class);
    private final SpaceSaving<String, Counts> endpoints;
    private final HalfClosedFigures.Counter halfClosed = new HalfClosedFigures.Counter();

    /** A summary tracking {@link #ENDPOINT_CAPACITY} server endpoints at a time. */
    public Summary() {
        this(ENDPOINT_CAPACITY);
    }

    Summary(int endpointCapacity) {
        endpoints = new SpaceSaving<>(endpointCapacity, Counts::new);
    }

    /** The last record's server endpoint text: records of one server come in runs, their address one String. */
    private String lastServerIp;
    private int lastServerPort = -1;
    private String lastServerEndpoint;

    private String serverEndpoint(FlowRecord r) {
        if (r.serverIp() != lastServerIp || r.serverPort() != lastServerPort) { // the same String: the same text
            lastServerIp = r.serverIp();
            lastServerPort = r.serverPort();
            lastServerEndpoint = r.serverEndpoint();
        }
        return lastServerEndpoint;
    }

    @Override
    public void accept(FlowRecord r) {
        connections++;
        if (r.tupleReuse()) tupleReuses++;
        if (r.handshake() == dev.teardown.teardown.Handshake.MIDSTREAM) begunBeforeCapture++;
        closeTypes.add(r.closeType());
        initiators.add(r.closeInitiator());
        holders.add(r.timeWaitSide());
        if (!r.anomalies().isEmpty()) for (Anomaly a : r.anomalies()) anomalies.add(a);
        if (!r.http().anomalies().isEmpty()) for (HttpAnomaly a : r.http().anomalies()) httpAnomalies.add(a);
        closeReasons.add(r.http().closeReason());
        Counts c = endpoints.add(serverEndpoint(r)).value();
        boolean serverHolds = r.timeWaitSide().includes(Side.SERVER);
        if (serverHolds) c.serverTimeWait++;
        if (r.timeWaitSide().includes(Side.CLIENT)) c.clientTimeWait++;
        halfClosed.add(r);
        c.halfClosed.add(r);
        if (c.http == null && (serverHolds || r.http().requestsOrExchanges() > 0)) c.http = new HttpEndpointStats();
        if (c.http != null) c.http.add(r);
    }

    /**
     * Adds {@code other}, the summary of other connections, to this one, leaving {@code other} as it was:
     * accepting records A then B gives the figures of merging the summaries of A and of B, exactly while the
     * two hold at most {@link #ENDPOINT_CAPACITY} endpoints between them and neither dropped one (and per
     * endpoint, within {@link HttpEndpointStats}'s bounds). Beyond, the endpoint table merges as {@link
     * SpaceSaving#merge} and the HTTP figures as {@link HttpEndpointStats#merge} say.
     *
     * @throws IllegalArgumentException if {@code other} is this summary or tracks a different number of endpoints
     */
    public void merge(Summary other) {
        if (other == this) throw new IllegalArgumentException("a summary cannot be merged into itself");
        connections += other.connections;
        tupleReuses += other.tupleReuses;
        begunBeforeCapture += other.begunBeforeCapture;
        closeTypes.merge(other.closeTypes);
        initiators.merge(other.initiators);
        holders.merge(other.holders);
        anomalies.merge(other.anomalies);
        httpAnomalies.merge(other.httpAnomalies);
        closeReasons.merge(other.closeReasons);
        endpoints.merge(other.endpoints, Counts::merge);
        halfClosed.merge(other.halfClosed);
    }

    /** Server endpoints held in the table. */
    int trackedEndpoints() {
        return endpoints.size();
    }

    /** Connections counted so far. */
    public long connections() {
        return connections;
    }

    /**
     * The idle time after which {@code endpoint} ({@code ip:port}) closed keep-alive connections, as the summary
     * infers it (the closes labelled {@code server-idle-timeout}: their p10, median and p90), or empty when the
     * summary holds none for it. Costs a sort of the endpoint's idle sample: for a few endpoints at a time.
     */
    public Optional<HttpFigures.IdleCloses> idleCloses(String endpoint) {
        SpaceSaving.Entry<String, Counts> e = endpoints.get(endpoint);
        return e == null || e.value().http == null ? Optional.empty() : e.value().http.idleCloses();
    }

    /** The figures so far, a value that later records do not change. */
    public SummaryFigures figures() {
        List<SummaryFigures.Endpoint> rows = new ArrayList<>(endpoints.size());
        for (SpaceSaving.Entry<String, Counts> e : endpoints.entries()) {
            Counts c = e.value();
            Optional<HttpFigures> http = c.http == null ? Optional.empty() : c.http.figures();
            rows.add(new SummaryFigures.Endpoint(e.key(), e.tracked(), e.error(), c.serverTimeWait, c.clientTimeWait,
                http, c.halfClosed.figures()));
        }
        // Most connections first (those counted), then by name: below the capacity the counts are exact and
        // this is the order the summary always had.
        rows.sort(Comparator.comparingLong((SummaryFigures.Endpoint r) -> -r.connections())
            .thenComparing(SummaryFigures.Endpoint::endpoint));
        return new SummaryFigures(connections, tupleReuses, closeTypes.toMap(), initiators.toMap(), holders.toMap(),
            anomalies.toMap(), httpAnomalies.toMap(),
            new SummaryFigures.EndpointTable(rows, endpoints.exact(), endpoints.entered(), endpoints.capacity()),
            halfClosed.figures(), closeReasons.toMap(), begunBeforeCapture);
    }
}
