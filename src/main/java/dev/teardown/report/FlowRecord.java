package dev.teardown.report;

import dev.teardown.decode.Addresses;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.ConnState;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import java.util.Set;

/**
 * One finished connection as the outputs see it: a value, built once when the connection is handed on.
 *
 * <p>Times are nanoseconds since the epoch from packet timestamps, negative before 1970; times and durations
 * that do not apply are {@link dev.teardown.capture.PacketTime#UNSET}.
 */
public record FlowRecord(
    long flowId,
    long firstNanos,
    long lastNanos,
    int ipVersion,
    String clientIp,
    int clientPort,
    String serverIp,
    int serverPort,
    Handshake handshake,
    long packetsC2s,
    long packetsS2c,
    long bytesC2s,
    long bytesS2c,
    String connState,
    String history,
    Sides closeInitiator,
    CloseType closeType,
    Sides timeWaitSide,
    long timeWaitStartNanos,
    long timeWaitEndNanos,
    boolean tupleReuse,
    long reuseGapNanos,
    Set<Anomaly> anomalies,
    HttpOutcome http) {

    /**
     * The record of finished connection {@code c}, whose teardown is {@code t} and HTTP outcome {@code http}:
     * reads, never changes anything.
     */
    public static FlowRecord of(Connection<?> c, Teardown t, HttpOutcome http) {
        return new FlowRecord(
            c.id(), c.firstNanos(), c.lastNanos(), c.ipVersion(),
            Addresses.format(c.ipVersion(), c.clientHi(), c.clientLo()), c.clientPort(),
            Addresses.format(c.ipVersion(), c.serverHi(), c.serverLo()), c.serverPort(),
            Teardown.handshake(c),
            c.endpoint(Side.CLIENT).packets(), c.endpoint(Side.SERVER).packets(),
            c.endpoint(Side.CLIENT).bytes(), c.endpoint(Side.SERVER).bytes(),
            ConnState.of(c), c.historyText(),
            t.initiator(), t.type(), t.timeWaitSide(), t.timeWaitStartNanos(), t.timeWaitEndNanos(),
            c.tupleReuse(), c.reuseGapNanos(), c.anomalies(), http);
    }

    /** The server endpoint as {@code ip:port} ({@code [ip]:port} for IPv6). */
    public String serverEndpoint() {
        return Addresses.endpoint(ipVersion, serverIp, serverPort);
    }
}
