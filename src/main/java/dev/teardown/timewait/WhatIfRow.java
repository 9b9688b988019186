package dev.teardown.timewait;

/**
 * One answer of the idle-timeout what-if (docs/output.md, "Idle-timeout what-if"): for one server endpoint that
 * closes idle keep-alive connections and one idle timeout, the connections, closes and server-held TIME_WAIT the
 * capture would have had, and what letting the clients close first would move onto them.
 *
 * @param serverIp the server's address, as in the flow CSV
 * @param serverPort the server's port
 * @param idleTimeoutNanos the idle timeout tried; on the {@code observed} row the median idle time before the
 *     server's idle closes in the capture
 * @param observed whether this row replays the server's own idle closes (the capture as it was) rather than
 *     applying a timeout
 * @param connections connections the clients would have opened
 * @param closes of those, the closes that would have completed within the capture
 * @param timeWaitServerPeak the most connections in TIME_WAIT on the server at one instant of the capture
 * @param timeWaitServerMean their mean over the capture's instants
 * @param movedPeak the peak of the part of that TIME_WAIT the idle closes leave, which would move to the clients
 *     if they closed first at the same moments
 * @param leftPeak the peak of the server's TIME_WAIT then left (its other closes, which no idle timeout changes)
 * @param clientPeak the most TIME_WAIT one client address would then hold towards this endpoint at one instant
 *     (its own closes' TIME_WAIT plus the moved one)
 * @param clientPorts the clients' ephemeral port range ({@code ip_local_port_range}), which that TIME_WAIT
 *     holds ports of: each (client address, endpoint) has this many 4-tuples
 * @param sinceNanos the first connection counted: the capture's first, unless the endpoint was forgotten while it
 *     had made no idle close and held nothing (then its figures start again here)
 */
public record WhatIfRow(String serverIp, int serverPort, long idleTimeoutNanos, boolean observed, long connections,
                        long closes, long timeWaitServerPeak, double timeWaitServerMean, long movedPeak, long leftPeak,
                        long clientPeak, int clientPorts, long sinceNanos) {

    /** The idle timeout in seconds. */
    public double idleTimeoutSeconds() {
        return idleTimeoutNanos / 1e9;
    }

    /** The share of one client address's ephemeral ports {@link #clientPeak} would hold: 1.0 is all of them. */
    public double clientPortShare() {
        return (double) clientPeak / clientPorts;
    }
}
