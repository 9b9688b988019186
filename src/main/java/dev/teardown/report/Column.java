package dev.teardown.report;

import java.util.function.Function;

/**
 * The flow-summary columns, in output order; the single list every tabular format is driven by.
 *
 * <p>Names and order are a contract (docs/csv.md, format version {@link #FORMAT_VERSION}): later versions
 * only append.
 */
public enum Column {
    FLOW_ID(r -> Long.toString(r.flowId())),
    FIRST_SEEN(r -> Times.iso(r.firstNanos())),
    LAST_SEEN(r -> Times.iso(r.lastNanos())),
    DURATION_S(r -> Times.seconds(r.lastNanos() - r.firstNanos())),
    IP_VERSION(r -> Integer.toString(r.ipVersion())),
    CLIENT_IP(FlowRecord::clientIp),
    CLIENT_PORT(r -> Integer.toString(r.clientPort())),
    SERVER_IP(FlowRecord::serverIp),
    SERVER_PORT(r -> Integer.toString(r.serverPort())),
    HANDSHAKE(r -> r.handshake().label()),
    PACKETS_C2S(r -> Long.toString(r.packetsC2s())),
    PACKETS_S2C(r -> Long.toString(r.packetsS2c())),
    BYTES_C2S(r -> Long.toString(r.bytesC2s())),
    BYTES_S2C(r -> Long.toString(r.bytesS2c())),
    CONN_STATE(FlowRecord::connState),
    HISTORY(FlowRecord::history),
    CLOSE_INITIATOR(r -> r.closeInitiator().label()),
    CLOSE_TYPE(r -> r.closeType().label()),
    TIME_WAIT_SIDE(r -> r.timeWaitSide().label()),
    TIME_WAIT_START(r -> r.timeWaitStartNanos() < 0 ? "" : Times.iso(r.timeWaitStartNanos())),
    TIME_WAIT_END(r -> r.timeWaitEndNanos() < 0 ? "" : Times.iso(r.timeWaitEndNanos())),
    TUPLE_REUSE(r -> Boolean.toString(r.tupleReuse())),
    REUSE_GAP_S(r -> r.reuseGapNanos() < 0 ? "" : Times.seconds(r.reuseGapNanos())),
    ANOMALIES(r -> String.join(";", r.anomalies().stream().map(Enum::name).toList()));

    /** Version of the column contract; bump when columns are appended. */
    public static final int FORMAT_VERSION = 1;

    private final Function<FlowRecord, String> value;

    Column(Function<FlowRecord, String> value) {
        this.value = value;
    }

    /** The header name: the constant's name in lower case. */
    public String header() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** This column's text for {@code r}, before any output-format escaping. */
    public String value(FlowRecord r) {
        return value.apply(r);
    }
}
