package dev.teardown.report;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes the records as a Zeek conn.log (Zeek's ASCII writer format: tab-separated, {@code #fields} and
 * {@code #types} headers), so that {@code zeek-cut} and whatever already reads conn.log read teardown's records.
 *
 * <p>Zeek's own fields come first, in its order and with its types (base/protocols/conn/main.zeek, {@code Conn::Info},
 * Zeek 7.1 and later: {@code ip_proto} last); teardown's other columns follow under their CSV names. Which value
 * goes where is in docs/output.md ("Zeek conn.log"). Unset is {@code -}, an empty set {@code (empty)}; text from the
 * wire is escaped as Zeek escapes it ({@code \xNN} for controls, the backslash, and a value that would read as unset
 * or empty). The header's {@code #open} and the trailing {@code #close} carry packet times (the first row's first
 * packet, the latest last packet), never the clock, so the file is byte-for-byte repeatable.
 */
public final class ZeekConnSink extends LineSink {
    /** Zeek's conn.log fields, in its order. */
    static final String[] ZEEK_FIELDS = {"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
        "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes",
        "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents", "ip_proto"};
    /** Their types, as Zeek's {@code #types} line names them. */
    static final String[] ZEEK_TYPES = {"time", "string", "addr", "port", "addr", "port", "enum", "string", "interval",
        "count", "count", "string", "bool", "bool", "count", "string", "count", "count", "count", "count",
        "set[string]", "count"};
    private static final String UNSET = "-";
    private static final String EMPTY = "(empty)";
    private static final Column[] EXTRA = extraColumns();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final StringBuilder line = new StringBuilder(512);
    private final Cell cell = new Cell();
    private boolean headerWritten;
    private boolean closed;
    private long latestNanos = Long.MIN_VALUE;

    /** @param flushEachRow flush after every row (live capture, so {@code tail -f} shows rows at once) */
    public ZeekConnSink(Writer out, boolean flushEachRow) {
        super(out, flushEachRow);
    }

    /** The Zeek type of {@code c} in this log, or null for a column one of Zeek's own fields holds. */
    static String zeekType(Column c) {
        return switch (c) {
            case FIRST_SEEN, DURATION_S, CLIENT_IP, CLIENT_PORT, SERVER_IP, SERVER_PORT, PACKETS_C2S, PACKETS_S2C,
                BYTES_C2S, BYTES_S2C, CONN_STATE, HISTORY -> null;
            case FLOW_ID, IP_VERSION, HTTP_REQUESTS, HTTP_RESPONSES, EXCHANGES -> "count";
            case LAST_SEEN, TIME_WAIT_START, TIME_WAIT_END -> "time";
            case REUSE_GAP_S, IDLE_BEFORE_CLOSE_S, FIN_WAIT2_S, CLOSE_WAIT_S -> "interval";
            case TUPLE_REUSE, PERSISTENT_EXPECTED, TLS_RESUMED -> "bool";
            case ANOMALIES -> "set[string]";
            case HANDSHAKE, CLOSE_INITIATOR, CLOSE_TYPE, TIME_WAIT_SIDE, HTTP_VERSION, REQ_CONNECTION, RESP_CONNECTION,
                KEEP_ALIVE, CLOSE_REASON, HALF_CLOSED_END, FILE, TLS_VERSION, TLS_OFFERED, SNI, ALPN, ALPN_SELECTED,
                TLS_ALERT, TUNNEL, GOAWAY -> "string";
        };
    }

    /** teardown's columns after Zeek's fields: those none of Zeek's holds, in the CSV's order. */
    static Column[] extraColumns() {
        return java.util.Arrays.stream(Column.values()).filter(c -> zeekType(c) != null).toArray(Column[]::new);
    }

    @Override
    public void accept(FlowRecord r) {
        if (!headerWritten) header(r.firstNanos());
        if (r.lastNanos() > latestNanos) latestNanos = r.lastNanos();
        line.setLength(0);
        epoch(r.firstNanos());
        tab().append(uid(r));
        FlowRecord.Endpoints e = r.endpoints();
        tab().append(e.clientIp());
        tab().append(e.clientPort());
        tab().append(e.serverIp());
        tab().append(e.serverPort());
        tab().append("tcp");
        tab().append(r.http().tls() != null ? "ssl" : r.http().requests() + r.http().responses() > 0 ? "http" : UNSET);
        // Zeek gives duration and the byte counts only to a connection that lasted (its set_conn).
        long span = Column.printedSpan(r.firstNanos(), r.lastNanos());
        tab();
        if (span > 0) Times.appendSeconds(line, span);
        else line.append(UNSET);
        tab().append(span > 0 ? Long.toString(r.traffic().bytesC2s()) : UNSET);
        tab().append(span > 0 ? Long.toString(r.traffic().bytesS2c()) : UNSET);
        tab().append(r.connState());
        tab().append(UNSET).append('\t').append(UNSET); // local_orig, local_resp: no Site::local_nets
        // missed_bytes: teardown counts the holes (g), not their bytes: 0 when there was none, else unknown.
        tab().append(r.history().indexOf('g') >= 0 || r.history().indexOf('G') >= 0 ? UNSET : "0");
        tab().append(r.history().isEmpty() ? UNSET : r.history());
        tab().append(r.traffic().packetsC2s());
        tab().append(UNSET); // orig_ip_bytes: IP-level bytes are not counted
        tab().append(r.traffic().packetsS2c());
        tab().append(UNSET).append('\t').append(UNSET); // resp_ip_bytes; tunnel_parents: no tunnel connections
        tab().append(6); // ip_proto: TCP
        for (Column c : EXTRA) {
            tab();
            c.write(r, cell);
        }
        line.append('\n');
        writeLine(line);
    }

    private StringBuilder tab() {
        return line.append('\t');
    }

    private void header(long openNanos) {
        headerWritten = true;
        StringBuilder h = new StringBuilder(1024);
        h.append("#separator \\x09\n#set_separator\t,\n#empty_field\t").append(EMPTY).append("\n#unset_field\t")
            .append(UNSET).append("\n#path\tconn\n#open\t");
        stamp(h, openNanos);
        h.append("\n#fields");
        for (String f : ZEEK_FIELDS) h.append('\t').append(f);
        for (Column c : EXTRA) h.append('\t').append(c.header());
        h.append("\n#types");
        for (String t : ZEEK_TYPES) h.append('\t').append(t);
        for (Column c : EXTRA) h.append('\t').append(zeekType(c));
        h.append('\n');
        writeLine(h);
    }

    /** Zeek's {@code #open}/{@code #close} stamp, {@code YYYY-MM-DD-HH-MM-SS}, in UTC. */
    private static void stamp(StringBuilder b, long nanos) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), 0,
            java.time.ZoneOffset.UTC);
        b.append(String.format(java.util.Locale.ROOT, "%04d-%02d-%02d-%02d-%02d-%02d", t.getYear(), t.getMonthValue(),
            t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
    }

    /** A Zeek {@code time}: seconds since 1970 with six decimals, floored to the microsecond like the CSV's times. */
    private void epoch(long nanos) {
        long micros = Math.floorDiv(nanos, 1000L);
        if (micros < 0) {
            line.append('-');
            micros = -micros;
        }
        line.append(micros / 1_000_000L).append('.');
        String fraction = Long.toString(micros % 1_000_000L);
        for (int i = fraction.length(); i < 6; i++) line.append('0');
        line.append(fraction);
    }

    /**
     * Zeek's connection id: {@code C} and 17 base-62 characters, here derived from the row (flow id, first packet,
     * endpoints, file), so it is the same on every run and distinct between rows of one log, {@code --separate} too.
     */
    static String uid(FlowRecord r) {
        long h = mix(r.flowId() ^ mix(r.firstNanos()));
        long g = mix(h ^ r.file().hashCode() ^ (long) r.endpoints().clientPort() << 32 ^ r.endpoints().serverPort()
            ^ (long) r.endpoints().clientIp().hashCode() << 16 ^ r.endpoints().serverIp().hashCode());
        char[] id = new char[18];
        id[0] = 'C';
        for (int i = 1; i <= 10; i++) {
            id[i] = BASE62[(int) Long.remainderUnsigned(h, 62)];
            h = Long.divideUnsigned(h, 62);
        }
        for (int i = 11; i <= 17; i++) {
            id[i] = BASE62[(int) Long.remainderUnsigned(g, 62)];
            g = Long.divideUnsigned(g, 62);
        }
        return new String(id);
    }

    /** SplitMix64's finaliser: spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Text from the wire as Zeek's ASCII writer escapes it: {@code \xNN} for the controls {@link Safe#text} escapes
     * (tab and newline among them) and for the backslash, so that every backslash read back starts an escape; and a
     * value that would read as unset or empty gets its first character escaped.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        String t = b.toString();
        if (t.equals(UNSET)) return "\\x2d";
        if (t.equals(EMPTY)) return "\\x28empty)";
        return t;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (!headerWritten) header(0);
            StringBuilder c = new StringBuilder("#close\t");
            stamp(c, latestNanos == Long.MIN_VALUE ? 0 : latestNanos);
            writeLine(c.append('\n'));
        }
        super.close();
    }

    /** One extra column's value, appended to the line in Zeek's notation. */
    private final class Cell implements ValueWriter {
        private boolean firstItem;

        @Override public void absent() { line.append(UNSET); }

        @Override public void integer(long value) { line.append(value); }

        @Override public void seconds(long nanos) { Times.appendSeconds(line, nanos); }

        @Override public void time(long epochNanos) { epoch(epochNanos); }

        @Override public void label(String value) { line.append(value.isEmpty() ? UNSET : value); }

        @Override public void untrusted(String value) { line.append(value.isEmpty() ? UNSET : escape(value)); }

        @Override public void bool(boolean value) { line.append(value ? 'T' : 'F'); }

        @Override public void listStart() { firstItem = true; }

        @Override
        public void item(String name) {
            if (!firstItem) line.append(',');
            line.append(name);
            firstItem = false;
        }

        @Override public void listEnd() {
            if (firstItem) line.append(EMPTY);
        }
    }
}
