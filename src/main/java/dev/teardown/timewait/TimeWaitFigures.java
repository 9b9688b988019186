package dev.teardown.timewait;

import java.util.List;

/**
 * What the TIME_WAIT stage found over one capture, as plain figures for the renderers (terminal summary, summary
 * JSON): populations over time and their peaks per host, server endpoint and client, against the kernel's limits.
 * Populations count a connection at instant t when {@code time_wait_start <= t < time_wait_end}, at instants
 * {@code stepNanos} apart (docs/output.md, "TIME_WAIT over time").
 *
 * @param timeWaitNanos the TIME_WAIT length assumed
 * @param stepNanos the distance between instants
 * @param firstNanos the capture's first packet, or UNSET when it had none
 * @param lastNanos its last packet
 * @param hosts hosts by peak TIME_WAIT held (both roles), highest first, at most {@link #TOP}
 * @param endpoints server endpoints by peak, highest first, at most {@link #TOP}
 * @param ports client and server endpoint pairs by peak client-held TIME_WAIT, highest first, at most {@link #TOP}
 * @param forgotten keys forgotten to bound memory (hosts, endpoints and pairs together; 0 below thousands)
 * @param limits the host limits the peaks are held against
 * @param reuse SYNs that met a tuple in TIME_WAIT, over the whole capture
 * @param clocks the TCP timestamp clocks per client and server address, and the SYNs tcp_tw_recycle would drop
 * @param whatIf the idle-timeout what-if: per endpoint that closes idle connections, the observed row and each
 *     timeout tried
 * @param series the timeline downsampled for charts: closes over time by who closed, and the busiest endpoints'
 *     TIME_WAIT populations in finer buckets than their shapes
 */
public record TimeWaitFigures(long timeWaitNanos, long stepNanos, long firstNanos, long lastNanos, List<HostRow> hosts,
                              List<EndpointRow> endpoints, List<PortPressure> ports, long forgotten, Limits limits,
                              Reuse reuse, ClockFigures clocks, List<WhatIfRow> whatIf, SeriesFigures series) {
    /** Rows kept per table. */
    public static final int TOP = 32;

    /** Figures without series (the timeline's own, before the stage adds them; tests). */
    public TimeWaitFigures(long timeWaitNanos, long stepNanos, long firstNanos, long lastNanos, List<HostRow> hosts,
                           List<EndpointRow> endpoints, List<PortPressure> ports, long forgotten, Limits limits,
                           Reuse reuse, ClockFigures clocks, List<WhatIfRow> whatIf) {
        this(timeWaitNanos, stepNanos, firstNanos, lastNanos, hosts, endpoints, ports, forgotten, limits, reuse, clocks,
            whatIf, SeriesFigures.EMPTY);
    }

    /** The same figures with {@code s} as their series. */
    public TimeWaitFigures withSeries(SeriesFigures s) {
        return new TimeWaitFigures(timeWaitNanos, stepNanos, firstNanos, lastNanos, hosts, endpoints, ports, forgotten,
            limits, reuse, clocks, whatIf, s);
    }

    public TimeWaitFigures {
        hosts = List.copyOf(hosts);
        endpoints = List.copyOf(endpoints);
        ports = List.copyOf(ports);
        whatIf = List.copyOf(whatIf);
    }

    /**
     * A host's TIME_WAIT, by the role its sockets had: as the server of a connection, as its client, and both
     * (what {@code tcp_max_tw_buckets} bounds).
     *
     * @param ip the host's address
     * @param asServer TIME_WAIT held as server
     * @param asClient TIME_WAIT held as client
     * @param total both together
     * @param enteredAsServer TIME_WAITs entered as server over the capture ("closes leaving TIME_WAIT")
     * @param enteredAsClient TIME_WAITs entered as client
     */
    public record HostRow(String ip, Peak asServer, Peak asClient, Peak total, long enteredAsServer,
                          long enteredAsClient) {}

    /**
     * A server endpoint's TIME_WAIT on each side.
     *
     * @param ip the server's address
     * @param port the server's port
     * @param server TIME_WAIT held by the server
     * @param client TIME_WAIT held by its clients
     * @param enteredServer TIME_WAITs the server entered
     * @param enteredClient TIME_WAITs its clients entered
     * @param serverShape the server-held population's course
     * @param clientShape the client-held population's course
     */
    public record EndpointRow(String ip, int port, Peak server, Peak client, long enteredServer, long enteredClient,
                              Series serverShape, Series clientShape) {}

    /**
     * One client address's TIME_WAIT toward one server endpoint: each holds a local port of the client's
     * ephemeral range until it ends.
     *
     * @param clientIp the client's address
     * @param serverIp the server's address
     * @param serverPort the server's port
     * @param timeWait client-held TIME_WAIT toward the endpoint
     * @param entered TIME_WAITs the client entered toward it
     * @param reuseAccepted SYNs from the client that reused a tuple in TIME_WAIT and were accepted
     * @param reuseRefused SYNs from the client to a tuple in TIME_WAIT that were refused (bare ACK, then retry)
     */
    public record PortPressure(String clientIp, String serverIp, int serverPort, Peak timeWait, long entered,
                               long reuseAccepted, long reuseRefused) {}

    /**
     * The kernel limits assumed (options {@code --max-tw-buckets}, {@code --port-range}).
     *
     * @param maxTwBuckets TIME_WAIT sockets per host (network namespace) above which new ones are destroyed at once
     * @param portLow the first port of the clients' ephemeral range
     * @param portHigh its last port
     * @param maxTwBucketsGiven whether {@code maxTwBuckets} was given, not assumed
     * @param portRangeGiven whether the range was given, not assumed
     */
    public record Limits(long maxTwBuckets, int portLow, int portHigh, boolean maxTwBucketsGiven,
                         boolean portRangeGiven) {
        /** Ports in the range. */
        public int ports() {
            return portHigh - portLow + 1;
        }
    }

    /**
     * SYNs that met a 4-tuple still in TIME_WAIT, and what they took off the population.
     *
     * @param accepted accepted: the old TIME_WAIT ended at once (RFC 6191; Linux checks timestamps or sequence numbers)
     * @param refused refused: a bare ACK answered, the client reset and retried
     * @param cutNanos TIME_WAIT time the reuses cut short, summed over the holders, past the capture's end too
     * @param entered TIME_WAITs entered over the capture, every host and side
     * @param meanLowered by how much the reuses lowered the population, on average over the capture's instants
     *     (the cut TIME_WAIT counted at the instants it would have covered, within the capture)
     */
    public record Reuse(long accepted, long refused, long cutNanos, long entered, double meanLowered) {
        /** TIME_WAIT actually held per entry, on average: the full length less what reuse cut short. */
        public double meanHeldNanos(long timeWaitNanos) {
            return entered == 0 ? timeWaitNanos : Math.max(0, timeWaitNanos - (double) cutNanos / entered);
        }
    }

    /** The capture's length in nanoseconds (0 without packets). */
    public long spanNanos() {
        return dev.teardown.capture.PacketTime.isSet(firstNanos) ? Math.max(0, lastNanos - firstNanos) : 0;
    }

    /** Fewer closes than this say too little about a rate to extrapolate a steady state from. */
    public static final long MIN_CLOSES_FOR_RATE = 10;

    /**
     * The population that {@code entered} TIME_WAITs spread evenly over the capture would hold in a steady state:
     * closes per second times how long each is held (Little's law): the TIME_WAIT length, less what tuple reuse
     * cut short on average ({@link Reuse#meanHeldNanos}). It says what a capture shorter than one TIME_WAIT cannot
     * show; NaN (not known) below {@link #MIN_CLOSES_FOR_RATE} closes or for a capture shorter than a step.
     */
    public double steadyState(long entered) {
        long span = spanNanos();
        if (span < stepNanos || entered < MIN_CLOSES_FOR_RATE) return Double.NaN;
        return entered * reuse.meanHeldNanos(timeWaitNanos) / span;
    }

    /**
     * New connections per second one client address can open toward one server endpoint when it closes first
     * (each close keeps a port for the TIME_WAIT length): ports / TIME_WAIT seconds, about 470 by default.
     */
    public double sustainableRate() {
        return limits.ports() * 1e9 / timeWaitNanos;
    }

    /**
     * Hosts that are the server of their clients and the client of upstream endpoints (reverse proxies), by peak:
     * where {@code tcp_tw_reuse} matters, for their outbound side only.
     */
    public List<ProxyRow> proxies() {
        return ProxyRow.of(this);
    }

    /** By how much, on average over the capture, tuple reuse lowered the TIME_WAIT population. */
    public double meanLoweredByReuse() {
        return reuse.meanLowered();
    }
}
