package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import java.util.function.BiConsumer;

/**
 * The flow-summary columns, in output order; the single list every tabular format is driven by.
 *
 * <p>Names and order are a contract (docs/output.md, format version {@link #FORMAT_VERSION}): later versions
 * only append. Each column appends its text into the caller's buffer, so a row costs one builder. A column
 * marked {@code untrusted} carries text from the wire and is escaped by every format.
 */
public enum Column {
    FLOW_ID(Kind.NUMBER, (r, b) -> b.append(r.flowId())),
    FIRST_SEEN((r, b) -> Times.appendIso(b, r.firstNanos())),
    LAST_SEEN((r, b) -> Times.appendIso(b, r.lastNanos())),
    // The difference of the two printed times (each floored to the microsecond), so the row adds up.
    DURATION_S(Kind.NUMBER, (r, b) -> Times.appendSeconds(b,
        Math.floorDiv(r.lastNanos(), 1000L) * 1000L - Math.floorDiv(r.firstNanos(), 1000L) * 1000L)),
    IP_VERSION(Kind.NUMBER, (r, b) -> b.append(r.ipVersion())),
    CLIENT_IP((r, b) -> b.append(r.clientIp())),
    CLIENT_PORT(Kind.NUMBER, (r, b) -> b.append(r.clientPort())),
    SERVER_IP((r, b) -> b.append(r.serverIp())),
    SERVER_PORT(Kind.NUMBER, (r, b) -> b.append(r.serverPort())),
    HANDSHAKE((r, b) -> b.append(r.handshake().label())),
    PACKETS_C2S(Kind.NUMBER, (r, b) -> b.append(r.packetsC2s())),
    PACKETS_S2C(Kind.NUMBER, (r, b) -> b.append(r.packetsS2c())),
    BYTES_C2S(Kind.NUMBER, (r, b) -> b.append(r.bytesC2s())),
    BYTES_S2C(Kind.NUMBER, (r, b) -> b.append(r.bytesS2c())),
    CONN_STATE((r, b) -> b.append(r.connState())),
    HISTORY((r, b) -> b.append(r.history())),
    CLOSE_INITIATOR((r, b) -> b.append(r.closeInitiator().label())),
    CLOSE_TYPE((r, b) -> b.append(r.closeType().label())),
    TIME_WAIT_SIDE((r, b) -> b.append(r.timeWaitSide().label())),
    TIME_WAIT_START((r, b) -> { if (PacketTime.isSet(r.timeWaitStartNanos())) Times.appendIso(b, r.timeWaitStartNanos()); }),
    TIME_WAIT_END((r, b) -> { if (PacketTime.isSet(r.timeWaitEndNanos())) Times.appendIso(b, r.timeWaitEndNanos()); }),
    TUPLE_REUSE(Kind.BOOLEAN, (r, b) -> b.append(r.tupleReuse())),
    REUSE_GAP_S(Kind.NUMBER, (r, b) -> { if (PacketTime.isSet(r.reuseGapNanos())) Times.appendSeconds(b, r.reuseGapNanos()); }),
    ANOMALIES(Kind.LIST, (r, b) -> {
        boolean first = true;
        for (Anomaly a : r.anomalies()) {
            if (!first) b.append(';');
            b.append(a.name());
            first = false;
        }
        for (var a : r.http().anomalies()) {
            if (!first) b.append(';');
            b.append(a.name());
            first = false;
        }
    }),
    // Format version 2: HTTP/1.x correlation (dev.teardown.http, RFC 9112 section 9).
    HTTP_REQUESTS(Kind.NUMBER, (r, b) -> b.append(r.http().requests())),
    HTTP_RESPONSES(Kind.NUMBER, (r, b) -> b.append(r.http().responses())),
    HTTP_VERSION((r, b) -> b.append(r.http().version()), true),
    REQ_CONNECTION((r, b) -> b.append(r.http().requestConnection()), true),
    RESP_CONNECTION((r, b) -> b.append(r.http().responseConnection()), true),
    KEEP_ALIVE((r, b) -> b.append(r.http().keepAlive()), true),
    PERSISTENT_EXPECTED(Kind.BOOLEAN, (r, b) -> { if (r.http().persistentExpected() != null) b.append(r.http().persistentExpected()); }),
    IDLE_BEFORE_CLOSE_S(Kind.NUMBER, (r, b) -> {
        if (PacketTime.isSet(r.http().idleBeforeCloseNanos())) Times.appendSeconds(b, r.http().idleBeforeCloseNanos());
    }),
    CLOSE_REASON((r, b) -> b.append(r.http().closeReason().label()));

    /** Version of the column contract; bump when columns are appended. */
    public static final int FORMAT_VERSION = 2;

    /** How a value is typed in formats that have types (JSON); the text form is the same in every format. */
    public enum Kind {
        /** Text, or null when empty. */
        STRING,
        /** A decimal number, or null when empty. */
        NUMBER,
        /** {@code true} or {@code false}, or null when empty. */
        BOOLEAN,
        /** A list: the text's {@code ;}-separated items, empty when none. */
        LIST
    }

    private final BiConsumer<FlowRecord, StringBuilder> appender;
    private final boolean untrusted;
    private final Kind kind;

    Column(BiConsumer<FlowRecord, StringBuilder> appender) {
        this(Kind.STRING, appender, false);
    }

    Column(BiConsumer<FlowRecord, StringBuilder> appender, boolean untrusted) {
        this(Kind.STRING, appender, untrusted);
    }

    Column(Kind kind, BiConsumer<FlowRecord, StringBuilder> appender) {
        this(kind, appender, false);
    }

    Column(Kind kind, BiConsumer<FlowRecord, StringBuilder> appender, boolean untrusted) {
        this.kind = kind;
        this.appender = appender;
        this.untrusted = untrusted;
    }

    /** The value's type in typed formats. */
    public Kind kind() {
        return kind;
    }

    /** The header name: the constant's name in lower case. */
    public String header() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True when the value holds text from the network, which every output must escape. */
    public boolean untrusted() {
        return untrusted;
    }

    /** Appends this column's raw text for {@code r}. */
    public void append(FlowRecord r, StringBuilder out) {
        appender.accept(r, out);
    }

    /** This column's raw text for {@code r}. */
    public String value(FlowRecord r) {
        StringBuilder b = new StringBuilder();
        append(r, b);
        return b.toString();
    }
}
