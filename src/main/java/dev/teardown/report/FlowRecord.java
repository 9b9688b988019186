package dev.teardown.report;

import dev.teardown.decode.AddressTexts;
import dev.teardown.decode.Addresses;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.ConnState;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.HalfClosed;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import java.util.Set;

/**
 * One finished connection as the outputs see it: a value, built once when the connection is handed on, from
 * named parts (who talked, how much, how it ended, what HTTP said), so a new column needs at most a new part
 * field here and one {@link Column} constant.
 *
 * <p>Times are nanoseconds since the epoch from packet timestamps, negative before 1970; times and durations
 * that do not apply are {@link dev.teardown.capture.PacketTime#UNSET}.
 *
 * @param flowId 1, 2, 3 ... in order of first packet within one run
 * @param firstNanos the connection's first packet
 * @param lastNanos its last packet
 * @param endpoints client and server addresses and ports
 * @param handshake how much of the handshake was captured
 * @param traffic packets and payload bytes per direction
 * @param connState Zeek's conn_state
 * @param history Zeek's history letters
 * @param teardown who closed, how, and who holds TIME_WAIT when
 * @param tupleReuse whether the first SYN came while the tuple's previous connection was in TIME_WAIT
 * @param reuseGapNanos from the tuple's previous close to this connection's first packet, or UNSET
 * @param anomalies connection-level anomalies
 * @param http what the HTTP stage found
 * @param halfClosed the active closer's FIN-WAIT-2 and the passive closer's CLOSE-WAIT
 * @param file the capture file that held the connection's first packet, as given on the command line; empty for
 *     a live capture
 * @param tunnel the encapsulation chain of the connection's first packet, outermost first ({@code vxlan:42},
 *     {@code mpls>4in4}; {@link dev.teardown.decode.Tunnel#describe}), empty when none
 */
public record FlowRecord(
    long flowId,
    long firstNanos,
    long lastNanos,
    Endpoints endpoints,
    Handshake handshake,
    Traffic traffic,
    String connState,
    String history,
    Teardown teardown,
    boolean tupleReuse,
    long reuseGapNanos,
    Set<Anomaly> anomalies,
    HttpOutcome http,
    HalfClosed halfClosed,
    String file,
    String tunnel) {

    /**
     * The two ends of the connection.
     *
     * @param ipVersion 4 or 6
     * @param clientIp the client's address in RFC 5952 form (IPv6) or dotted quad
     * @param clientPort the client's port
     * @param serverIp the server's address
     * @param serverPort the server's port
     */
    public record Endpoints(int ipVersion, String clientIp, int clientPort, String serverIp, int serverPort) {}

    /**
     * Packets and TCP payload bytes each side sent (retransmissions included).
     *
     * @param packetsC2s packets from the client
     * @param packetsS2c packets from the server
     * @param bytesC2s payload bytes from the client
     * @param bytesS2c payload bytes from the server
     */
    public record Traffic(long packetsC2s, long packetsS2c, long bytesC2s, long bytesS2c) {}

    /**
     * The record of finished connection {@code c}, whose teardown is {@code t} and HTTP outcome {@code http}, first
     * seen in {@code file}, its addresses formatted through {@code addresses}: reads, never changes anything.
     */
    public static FlowRecord of(Connection<?> c, Teardown t, HttpOutcome http, String file, AddressTexts addresses) {
        return new FlowRecord(c.id(), c.firstNanos(), c.lastNanos(),
            new Endpoints(c.ipVersion(), addresses.format(c.ipVersion(), c.clientHi(), c.clientLo()), c.clientPort(),
                addresses.format(c.ipVersion(), c.serverHi(), c.serverLo()), c.serverPort()),
            Teardown.handshake(c),
            new Traffic(c.endpoint(Side.CLIENT).packets(), c.endpoint(Side.SERVER).packets(),
                c.endpoint(Side.CLIENT).bytes(), c.endpoint(Side.SERVER).bytes()),
            ConnState.of(c), c.historyText(), t, c.tupleReuse(), c.reuseGapNanos(), snapshot(c.anomalies()), http,
            HalfClosed.of(c), file, c.tunnel());
    }

    /**
     * A copy of the connection's anomalies as they are now, in declaration order: its own set still changes after
     * it is written (the tuple's next lifetime may find a RST that cut its TIME-WAIT), and a record written later,
     * or by another thread, must say what was known when it was built.
     */
    private static Set<Anomaly> snapshot(Set<Anomaly> anomalies) {
        return anomalies.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(anomalies));
    }

    /** The same record numbered {@code id}: a parallel run's merger numbers records by their global first packet. */
    public FlowRecord withFlowId(long id) {
        return new FlowRecord(id, firstNanos, lastNanos, endpoints, handshake, traffic, connState, history, teardown,
            tupleReuse, reuseGapNanos, anomalies, http, halfClosed, file, tunnel);
    }

    public int ipVersion() { return endpoints.ipVersion(); }

    public String clientIp() { return endpoints.clientIp(); }

    public int clientPort() { return endpoints.clientPort(); }

    public String serverIp() { return endpoints.serverIp(); }

    public int serverPort() { return endpoints.serverPort(); }

    public long packetsC2s() { return traffic.packetsC2s(); }

    public long packetsS2c() { return traffic.packetsS2c(); }

    public long bytesC2s() { return traffic.bytesC2s(); }

    public long bytesS2c() { return traffic.bytesS2c(); }

    public Sides closeInitiator() { return teardown.initiator(); }

    public CloseType closeType() { return teardown.type(); }

    public Sides timeWaitSide() { return teardown.timeWaitSide(); }

    public long timeWaitStartNanos() { return teardown.timeWaitStartNanos(); }

    public long timeWaitEndNanos() { return teardown.timeWaitEndNanos(); }

    /** The server endpoint as {@code ip:port} ({@code [ip]:port} for IPv6). */
    public String serverEndpoint() {
        return Addresses.endpoint(ipVersion(), serverIp(), serverPort());
    }
}
