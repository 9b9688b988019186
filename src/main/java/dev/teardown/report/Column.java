package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.h2.H2Outcome;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.Sides;
import dev.teardown.tls.TlsOutcome;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The flow-summary columns, in output order; the single list every tabular format is driven by.
 *
 * <p>Names and order are a contract (docs/output.md, format version {@link #FORMAT_VERSION}): later versions
 * only append. Each column hands its value, typed, to a {@link ValueWriter}, which renders it (CSV text, JSON
 * values); nothing is rendered twice and no object is made per value. Adding a column is one constant here
 * (plus its line in docs/output.md).
 */
public enum Column {
    FLOW_ID((r, w) -> w.integer(r.flowId())),
    FIRST_SEEN((r, w) -> w.time(r.firstNanos())),
    LAST_SEEN((r, w) -> w.time(r.lastNanos())),
    // The difference of the two printed times (each floored to the microsecond), so the row adds up.
    DURATION_S((r, w) -> w.seconds(printedSpan(r.firstNanos(), r.lastNanos()))),
    IP_VERSION((r, w) -> w.integer(r.ipVersion())),
    CLIENT_IP((r, w) -> w.label(r.clientIp())),
    CLIENT_PORT((r, w) -> w.integer(r.clientPort())),
    SERVER_IP((r, w) -> w.label(r.serverIp())),
    SERVER_PORT((r, w) -> w.integer(r.serverPort())),
    HANDSHAKE((r, w) -> w.label(r.handshake().label())),
    PACKETS_C2S((r, w) -> w.integer(r.packetsC2s())),
    PACKETS_S2C((r, w) -> w.integer(r.packetsS2c())),
    BYTES_C2S((r, w) -> w.integer(r.bytesC2s())),
    BYTES_S2C((r, w) -> w.integer(r.bytesS2c())),
    CONN_STATE((r, w) -> w.label(r.connState())),
    HISTORY((r, w) -> w.label(r.history())),
    CLOSE_INITIATOR((r, w) -> w.label(r.closeInitiator().label())),
    CLOSE_TYPE((r, w) -> w.label(r.closeType().label())),
    TIME_WAIT_SIDE((r, w) -> w.label(r.timeWaitSide().label())),
    TIME_WAIT_START((r, w) -> time(w, r.timeWaitStartNanos())),
    TIME_WAIT_END((r, w) -> time(w, r.timeWaitEndNanos())),
    TUPLE_REUSE((r, w) -> w.bool(r.tupleReuse())),
    REUSE_GAP_S((r, w) -> seconds(w, r.reuseGapNanos())),
    ANOMALIES((r, w) -> {
        w.listStart();
        // Most rows have none: an empty set's iterator is still an object.
        if (!r.anomalies().isEmpty()) for (Anomaly a : r.anomalies()) w.item(a.name());
        if (!r.http().anomalies().isEmpty()) for (HttpAnomaly a : r.http().anomalies()) w.item(a.name());
        w.listEnd();
    }),
    // Format version 2: HTTP/1.x correlation (dev.teardown.http, RFC 9112 section 9).
    HTTP_REQUESTS((r, w) -> w.integer(r.http().requests())),
    HTTP_RESPONSES((r, w) -> w.integer(r.http().responses())),
    HTTP_VERSION((r, w) -> w.untrusted(r.http().version())),
    REQ_CONNECTION((r, w) -> w.untrusted(r.http().requestConnection())),
    RESP_CONNECTION((r, w) -> w.untrusted(r.http().responseConnection())),
    KEEP_ALIVE((r, w) -> w.untrusted(r.http().keepAlive())),
    PERSISTENT_EXPECTED((r, w) -> {
        if (r.http().persistentExpected() == null) w.absent();
        else w.bool(r.http().persistentExpected());
    }),
    IDLE_BEFORE_CLOSE_S((r, w) -> seconds(w, r.http().idleBeforeCloseNanos())),
    CLOSE_REASON((r, w) -> w.label(r.http().closeReason().label())),
    // Format version 3: the half-closed states (RFC 9293 section 3.6), both ending at half_closed_end.
    FIN_WAIT2_S((r, w) -> halfClosedSpan(w, r.halfClosed().finWait2StartNanos(), r.halfClosed().endNanos())),
    CLOSE_WAIT_S((r, w) -> halfClosedSpan(w, r.halfClosed().closeWaitStartNanos(), r.halfClosed().endNanos())),
    HALF_CLOSED_END((r, w) -> w.label(r.halfClosed().end().label())),
    // Format version 4: which file of several the connection began in (flow_id restarts with --separate).
    FILE((r, w) -> w.untrusted(r.file())),
    // Format version 6: TLS without keys, on any port (dev.teardown.tls); empty on connections that are not TLS.
    TLS_VERSION((r, w) -> tlsText(w, r, TlsOutcome::version, false)),
    TLS_OFFERED((r, w) -> tlsText(w, r, TlsOutcome::offered, false)),
    SNI((r, w) -> tlsText(w, r, TlsOutcome::serverName, true)),
    ALPN((r, w) -> tlsText(w, r, TlsOutcome::alpn, true)),
    ALPN_SELECTED((r, w) -> tlsText(w, r, TlsOutcome::alpnSelected, true)),
    TLS_RESUMED((r, w) -> {
        TlsOutcome t = r.http().tls();
        if (t == null || t.resumed() == null) w.absent();
        else w.bool(t.resumed());
    }),
    TLS_ALERT((r, w) -> tlsText(w, r, TlsOutcome::alert, false)),
    EXCHANGES((r, w) -> {
        if (r.http().tls() == null) w.absent();
        else w.integer(r.http().tls().exchanges());
    }),
    // Format version 7: the encapsulation chain (dev.teardown.decode.Tunnel), built from fixed names and numbers.
    TUNNEL((r, w) -> w.label(r.tunnel())),
    // Format version 8: HTTP/2 in cleartext (dev.teardown.h2): the first GOAWAY, built from fixed names and numbers.
    GOAWAY((r, w) -> {
        H2Outcome h = r.http().h2();
        if (h == null || h.goawayFrom() == Sides.NONE) w.absent();
        else w.label(h.goaway());
    });

    /**
     * Version of the output contract; bump when columns are appended or outputs gain members. Version 5 adds no
     * column: it adds the HTML report and the summary's close reasons, histograms and series. Version 6 appends
     * the TLS columns and the summary's requests estimated from encrypted exchanges. Version 7 appends
     * {@code tunnel} and the summary's tunnelled packets per encapsulation. Version 8 appends {@code goaway}, with
     * HTTP/2 in cleartext counted in the HTTP columns and the close reasons {@code server-goaway} and
     * {@code client-goaway}. Version 9 appends no column: history follows Zeek's rules segment by segment, with
     * the letters g, i and (checksums checked) c.
     */
    public static final int FORMAT_VERSION = 9;

    private final BiConsumer<FlowRecord, ValueWriter> value;
    /** Made once: the JSON lines repeat every header in every row. */
    private final String header = name().toLowerCase(java.util.Locale.ROOT);

    Column(BiConsumer<FlowRecord, ValueWriter> value) {
        this.value = value;
    }

    /** A TLS text, from the wire ({@code untrusted}: escaped by each format) or built by teardown; absent when not TLS. */
    private static void tlsText(ValueWriter w, FlowRecord r, Function<TlsOutcome, String> field, boolean untrusted) {
        TlsOutcome t = r.http().tls();
        if (t == null) w.absent();
        else if (untrusted) w.untrusted(field.apply(t));
        else w.label(field.apply(t));
    }

    private static void time(ValueWriter w, long nanos) {
        if (PacketTime.isSet(nanos)) w.time(nanos);
        else w.absent();
    }

    private static void seconds(ValueWriter w, long nanos) {
        if (PacketTime.isSet(nanos)) w.seconds(nanos);
        else w.absent();
    }

    /** From one packet time to another as their printed (microsecond-floored) forms differ. */
    static long printedSpan(long fromNanos, long toNanos) {
        return Math.floorDiv(toNanos, 1000L) * 1000L - Math.floorDiv(fromNanos, 1000L) * 1000L;
    }

    /**
     * A state's time from its start to its end, as the printed times differ; never negative, so a packet stamped
     * before the one that began the state (a capture whose timestamps step back) counts as no time.
     */
    private static void halfClosedSpan(ValueWriter w, long startNanos, long endNanos) {
        if (PacketTime.isSet(startNanos)) w.seconds(Math.max(0L, printedSpan(startNanos, endNanos)));
        else w.absent();
    }

    /** The header name: the constant's name in lower case. */
    public String header() {
        return header;
    }

    /** Hands this column's value for {@code r} to {@code w}. */
    public void write(FlowRecord r, ValueWriter w) {
        value.accept(r, w);
    }
}
