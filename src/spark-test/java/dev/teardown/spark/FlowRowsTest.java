package dev.teardown.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import dev.teardown.report.Column;
import dev.teardown.report.CsvSink;
import dev.teardown.report.FlowRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A record as a Spark row: every column under its CSV name with the type its values have, the same values the CSV
 * shows (times to the microsecond, durations in seconds), its date, and its line exactly as {@code analyze --csv}.
 */
@Tag("spark")
class FlowRowsTest {
    private static List<FlowRecord> sampleRecords() throws IOException {
        List<FlowRecord> records = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of("samples"))) {
            for (Path p : walk.filter(p -> p.toString().matches(".*\\.(pcap|pcapng|pcap\\.gz)$")).sorted().toList()) {
                try (PacketSource source = CaptureFiles.open(p)) {
                    Analysis.run(source, AnalyzeOptions.defaults(), List.of(records::add));
                }
            }
        }
        return records;
    }

    @Test
    void everySampleRecordBecomesATypedRowWithTheCsvLineOfAnalyze() throws IOException {
        List<FlowRecord> records = sampleRecords();
        StringWriter csv = new StringWriter();
        try (CsvSink sink = new CsvSink(csv, false)) {
            for (FlowRecord r : records) sink.accept(r);
        }
        List<String> lines = csv.toString().lines().toList();
        assertEquals(FlowRows.header(), lines.get(0));
        FlowRows rows = new FlowRows();
        Column[] columns = Column.values();
        for (int i = 0; i < records.size(); i++) {
            FlowRecord r = records.get(i);
            Row row = rows.row(r); // a column writing a value of another type than its Spark type throws here
            assertEquals(FlowRows.SCHEMA.size(), row.size());
            assertEquals(lines.get(i + 1), row.getString(columns.length + 1), "the CSV line");
            assertEquals(r.flowId(), row.getLong(Column.FLOW_ID.ordinal()));
            Timestamp first = (Timestamp) row.get(Column.FIRST_SEEN.ordinal());
            assertEquals(r.firstNanos() / 1000, first.getTime() / 1000 * 1_000_000 + first.getNanos() / 1000,
                "first_seen to the microsecond");
            assertEquals(lines.get(i + 1).split(",")[1].substring(0, 10), row.getString(columns.length), "date");
            String duration = lines.get(i + 1).split(",")[3];
            assertEquals(new BigDecimal(duration), row.get(Column.DURATION_S.ordinal()), "duration_s as the CSV shows it");
            if (r.http().tls() == null) assertNull(row.get(Column.TLS_VERSION.ordinal()), "absent: null");
        }
        assertTrue(records.size() > 50, "records: " + records.size());
    }

    @Test
    void theSchemaNamesEveryColumnAsTheCsvHeaderDoesThenDateAndCsv() {
        List<String> names = new ArrayList<>(List.of(FlowRows.header().split(",")));
        names.add(FlowRows.DATE);
        names.add(FlowRows.CSV);
        assertEquals(names, List.of(FlowRows.SCHEMA.fieldNames()));
    }
}
