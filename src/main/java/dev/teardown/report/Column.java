package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.h2.H2Outcome;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.teardown.Sides;
import dev.teardown.tls.TlsOutcome;

/**
 * The flow-summary columns, in output order; the single list every tabular format is driven by.
 *
 * <p>Names and order are a contract (docs/output.md, format version {@link #FORMAT_VERSION}): later versions
 * only append. Each column hands its value, typed, to a {@link ValueWriter}, which renders it (CSV text, JSON
 * values); nothing is rendered twice and no object is made per value. Adding a column is one constant here and
 * its case in {@link #write} (plus its line in docs/output.md).
 */
public enum Column {
    FLOW_ID,
    FIRST_SEEN,
    LAST_SEEN,
    DURATION_S,
    IP_VERSION,
    CLIENT_IP,
    CLIENT_PORT,
    SERVER_IP,
    SERVER_PORT,
    HANDSHAKE,
    PACKETS_C2S,
    PACKETS_S2C,
    BYTES_C2S,
    BYTES_S2C,
    CONN_STATE,
    HISTORY,
    CLOSE_INITIATOR,
    CLOSE_TYPE,
    TIME_WAIT_SIDE,
    TIME_WAIT_START,
    TIME_WAIT_END,
    TUPLE_REUSE,
    REUSE_GAP_S,
    ANOMALIES,
    // Format version 2: HTTP/1.x correlation (dev.teardown.http, RFC 9112 section 9).
    HTTP_REQUESTS,
    HTTP_RESPONSES,
    HTTP_VERSION,
    REQ_CONNECTION,
    RESP_CONNECTION,
    KEEP_ALIVE,
    PERSISTENT_EXPECTED,
    IDLE_BEFORE_CLOSE_S,
    CLOSE_REASON,
    // Format version 3: the half-closed states (RFC 9293 section 3.6), both ending at half_closed_end.
    FIN_WAIT2_S,
    CLOSE_WAIT_S,
    HALF_CLOSED_END,
    // Format version 4: which file of several the connection began in (flow_id restarts with --separate).
    FILE,
    // Format version 6: TLS without keys, on any port (dev.teardown.tls); empty on connections that are not TLS.
    TLS_VERSION,
    TLS_OFFERED,
    SNI,
    ALPN,
    ALPN_SELECTED,
    TLS_RESUMED,
    TLS_ALERT,
    EXCHANGES,
    // Format version 7: the encapsulation chain (dev.teardown.decode.Tunnel), built from fixed names and numbers.
    TUNNEL,
    // Format version 8: HTTP/2 in cleartext (dev.teardown.h2): the first GOAWAY, built from fixed names and numbers.
    GOAWAY;

    /**
     * Version of the output contract; bump when columns are appended or outputs gain members. Version 5 adds no
     * column: it adds the HTML report and the summary's close reasons, histograms and series. Version 6 appends
     * the TLS columns and the summary's requests estimated from encrypted exchanges. Version 7 appends
     * {@code tunnel} and the summary's tunnelled packets per encapsulation. Version 8 appends {@code goaway}, with
     * HTTP/2 in cleartext counted in the HTTP columns and the close reasons {@code server-goaway} and
     * {@code client-goaway}. Version 9 appends no column: history follows Zeek's rules segment by segment, with
     * the letters g, i and (checksums checked) c. Version 10 appends no column: refused HTTP/2 streams leave
     * {@code http_requests}, and the anomalies {@code H2_BAD_CONTINUATION} and {@code H2_BAD_PADDING} are new.
     */
    public static final int FORMAT_VERSION = 10;

    /** Made once: the JSON lines repeat every header in every row. */
    private final String header = name().toLowerCase(java.util.Locale.ROOT);

    /** A TLS text column's value: from the wire ({@code untrusted}, escaped by each format) or built by teardown. */
    private void tlsText(ValueWriter w, TlsOutcome t) {
        if (t == null) {
            w.absent(); // not TLS
            return;
        }
        switch (this) {
            case TLS_VERSION -> w.label(t.version());
            case TLS_OFFERED -> w.label(t.offered());
            case SNI -> w.untrusted(t.serverName());
            case ALPN -> w.untrusted(t.alpn());
            case ALPN_SELECTED -> w.untrusted(t.alpnSelected());
            case TLS_ALERT -> w.label(t.alert());
            default -> throw new AssertionError(this);
        }
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
        // A switch, not a function per constant: no lambda to link per column at start-up, no interface call per
        // value. Every constant has its case (the golden rows of every sample fail without one).
        switch (this) {
            case FLOW_ID -> w.integer(r.flowId());
            case FIRST_SEEN -> w.time(r.firstNanos());
            case LAST_SEEN -> w.time(r.lastNanos());
            // The difference of the two printed times (each floored to the microsecond), so the row adds up.
            case DURATION_S -> w.seconds(printedSpan(r.firstNanos(), r.lastNanos()));
            case IP_VERSION -> w.integer(r.ipVersion());
            case CLIENT_IP -> w.label(r.clientIp());
            case CLIENT_PORT -> w.integer(r.clientPort());
            case SERVER_IP -> w.label(r.serverIp());
            case SERVER_PORT -> w.integer(r.serverPort());
            case HANDSHAKE -> w.label(r.handshake().label());
            case PACKETS_C2S -> w.integer(r.packetsC2s());
            case PACKETS_S2C -> w.integer(r.packetsS2c());
            case BYTES_C2S -> w.integer(r.bytesC2s());
            case BYTES_S2C -> w.integer(r.bytesS2c());
            case CONN_STATE -> w.label(r.connState());
            case HISTORY -> w.label(r.history());
            case CLOSE_INITIATOR -> w.label(r.closeInitiator().label());
            case CLOSE_TYPE -> w.label(r.closeType().label());
            case TIME_WAIT_SIDE -> w.label(r.timeWaitSide().label());
            case TIME_WAIT_START -> time(w, r.timeWaitStartNanos());
            case TIME_WAIT_END -> time(w, r.timeWaitEndNanos());
            case TUPLE_REUSE -> w.bool(r.tupleReuse());
            case REUSE_GAP_S -> seconds(w, r.reuseGapNanos());
            case ANOMALIES -> {
                w.listStart();
                // Most rows have none: an empty set's iterator is still an object.
                if (!r.anomalies().isEmpty()) for (Anomaly a : r.anomalies()) w.item(a.name());
                if (!r.http().anomalies().isEmpty()) for (HttpAnomaly a : r.http().anomalies()) w.item(a.name());
                w.listEnd();
            }
            case HTTP_REQUESTS -> w.integer(r.http().requests());
            case HTTP_RESPONSES -> w.integer(r.http().responses());
            case HTTP_VERSION -> w.untrusted(r.http().version());
            case REQ_CONNECTION -> w.untrusted(r.http().requestConnection());
            case RESP_CONNECTION -> w.untrusted(r.http().responseConnection());
            case KEEP_ALIVE -> w.untrusted(r.http().keepAlive());
            case PERSISTENT_EXPECTED -> {
                if (r.http().persistentExpected() == null) w.absent();
                else w.bool(r.http().persistentExpected());
            }
            case IDLE_BEFORE_CLOSE_S -> seconds(w, r.http().idleBeforeCloseNanos());
            case CLOSE_REASON -> w.label(r.http().closeReason().label());
            case FIN_WAIT2_S -> halfClosedSpan(w, r.halfClosed().finWait2StartNanos(), r.halfClosed().endNanos());
            case CLOSE_WAIT_S -> halfClosedSpan(w, r.halfClosed().closeWaitStartNanos(), r.halfClosed().endNanos());
            case HALF_CLOSED_END -> w.label(r.halfClosed().end().label());
            case FILE -> w.untrusted(r.file());
            case TLS_VERSION, TLS_OFFERED, SNI, ALPN, ALPN_SELECTED, TLS_ALERT -> tlsText(w, r.http().tls());
            case TLS_RESUMED -> {
                TlsOutcome t = r.http().tls();
                if (t == null || t.resumed() == null) w.absent();
                else w.bool(t.resumed());
            }
            case EXCHANGES -> {
                if (r.http().tls() == null) w.absent();
                else w.integer(r.http().tls().exchanges());
            }
            case TUNNEL -> w.label(r.tunnel());
            case GOAWAY -> {
                H2Outcome h = r.http().h2();
                if (h == null || h.goawayFrom() == Sides.NONE) w.absent();
                else w.label(h.goaway());
            }
            default -> throw new AssertionError(this);
        }
    }
}
