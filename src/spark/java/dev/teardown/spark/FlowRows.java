package dev.teardown.spark;

import dev.teardown.report.Column;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.Safe;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The flow records as Spark rows: one typed column per {@link Column} (the columns of {@code analyze --csv}, under
 * the same names) for Parquet, then {@code date} (the UTC day of {@code first_seen}, the Parquet partition) and
 * {@code csv}, the record's line exactly as {@code analyze --csv} writes it. Untrusted text goes through
 * {@link Safe#text} (the CSV line through {@link Safe#csvCell}, as the CLI's). One instance per task: not thread-safe.
 */
final class FlowRows {
    static final String DATE = "date";
    static final String CSV = "csv";
    private static final Column[] COLUMNS = Column.values();
    private static final DataType SECONDS = DataTypes.createDecimalType(20, 6);
    static final StructType SCHEMA = schema();

    private final StringBuilder line = new StringBuilder(512);
    private final CsvSink csv = new CsvSink(new Writer() {
        @Override
        public void write(char[] buf, int off, int len) {
            line.append(buf, off, len);
        }

        @Override
        public void flush() { }

        @Override
        public void close() { }
    }, false);
    private final Values values = new Values();

    FlowRows() {
        line.setLength(0); // the sink wrote its header
    }

    /** The header line of {@code analyze --csv}, without its newline. */
    static String header() {
        StringBuilder b = new StringBuilder();
        for (Column c : COLUMNS) b.append(b.length() == 0 ? "" : ",").append(c.header());
        return b.toString();
    }

    /** The row of {@code r}. */
    Row row(FlowRecord r) {
        Object[] cells = new Object[COLUMNS.length + 2];
        for (int i = 0; i < COLUMNS.length; i++) {
            values.column = COLUMNS[i];
            values.value = null;
            COLUMNS[i].write(r, values);
            cells[i] = values.value;
        }
        cells[COLUMNS.length] = Instant.ofEpochSecond(Math.floorDiv(r.firstNanos(), 1_000_000_000L))
            .atZone(ZoneOffset.UTC).toLocalDate().toString();
        line.setLength(0);
        csv.accept(r);
        line.setLength(line.length() - 1); // the newline: the text writer adds its own
        cells[COLUMNS.length + 1] = line.toString();
        return RowFactory.create(cells);
    }

    /** The Spark type of each column, from the kind of value it writes; a new column must be added here. */
    static DataType type(Column c) {
        return switch (c) {
            case FLOW_ID, IP_VERSION, CLIENT_PORT, SERVER_PORT, PACKETS_C2S, PACKETS_S2C, BYTES_C2S, BYTES_S2C,
                HTTP_REQUESTS, HTTP_RESPONSES, EXCHANGES -> DataTypes.LongType;
            case FIRST_SEEN, LAST_SEEN, TIME_WAIT_START, TIME_WAIT_END -> DataTypes.TimestampType;
            case DURATION_S, REUSE_GAP_S, IDLE_BEFORE_CLOSE_S, FIN_WAIT2_S, CLOSE_WAIT_S -> SECONDS;
            case TUPLE_REUSE, PERSISTENT_EXPECTED, TLS_RESUMED -> DataTypes.BooleanType;
            case ANOMALIES -> DataTypes.createArrayType(DataTypes.StringType, false);
            case CLIENT_IP, SERVER_IP, HANDSHAKE, CONN_STATE, HISTORY, CLOSE_INITIATOR, CLOSE_TYPE, TIME_WAIT_SIDE,
                HTTP_VERSION, REQ_CONNECTION, RESP_CONNECTION, KEEP_ALIVE, CLOSE_REASON, HALF_CLOSED_END, FILE,
                TLS_VERSION, TLS_OFFERED, SNI, ALPN, ALPN_SELECTED, TLS_ALERT, TUNNEL, GOAWAY -> DataTypes.StringType;
        };
    }

    private static StructType schema() {
        List<StructField> fields = new ArrayList<>();
        for (Column c : COLUMNS) fields.add(DataTypes.createStructField(c.header(), type(c), true));
        fields.add(DataTypes.createStructField(DATE, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(CSV, DataTypes.StringType, false));
        return DataTypes.createStructType(fields);
    }

    /** One value, typed as its column's Spark type says (a column that writes another kind is a bug, reported). */
    private static final class Values implements dev.teardown.report.ValueWriter {
        Column column;
        Object value;
        private List<String> items;

        private void set(Object v, DataType expected) {
            if (!type(column).equals(expected)) {
                throw new IllegalStateException(column + " wrote a " + expected + ", its Spark type is " + type(column));
            }
            value = v;
        }

        @Override public void absent() { value = null; }

        @Override public void integer(long v) { set(v, DataTypes.LongType); }

        @Override public void seconds(long nanos) { set(BigDecimal.valueOf(nanos / 1000L, 6), SECONDS); }

        @Override
        public void time(long epochNanos) {
            Timestamp t = new Timestamp(Math.floorDiv(epochNanos, 1_000_000L));
            t.setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L) / 1000 * 1000);
            set(t, DataTypes.TimestampType);
        }

        @Override public void label(String v) { set(v == null || v.isEmpty() ? null : v, DataTypes.StringType); }

        @Override
        public void untrusted(String v) { set(v == null || v.isEmpty() ? null : Safe.text(v), DataTypes.StringType); }

        @Override public void bool(boolean v) { set(v, DataTypes.BooleanType); }

        @Override public void listStart() { items = new ArrayList<>(); }

        @Override public void item(String name) { items.add(name); }

        @Override
        public void listEnd() {
            // A Scala sequence: what a Row holds for an array column.
            set(scala.jdk.javaapi.CollectionConverters.asScala(items).toSeq(),
                DataTypes.createArrayType(DataTypes.StringType, false));
        }
    }
}
