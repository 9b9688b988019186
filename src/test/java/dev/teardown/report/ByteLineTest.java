package dev.teardown.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The row builder that writes bytes: every number, time and text comes out as the JDK's own formatting and UTF-8
 * encoder give it (Long.toString, Times.seconds, Times.iso, String.getBytes), and a CSV row written as bytes equals
 * the same row decoded by a plain Writer.
 */
class ByteLineTest {

    @Test
    void integersAreLongToStringAtEveryDigitCountAndSign() {
        long[] values = {0, 1, 9, 10, 99, 100, 12_345, -1, -10, -987_654_321, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE / 10, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};
        for (long v : values) {
            ByteLine line = new ByteLine();
            line.append(v);
            assertEquals(Long.toString(v), line.toString(), "value " + v);
        }
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 10; v *= 10) {
            for (long w : new long[] {v - 1, v, v + 1}) {
                ByteLine line = new ByteLine();
                assertEquals(Long.toString(w), line.append(w).toString());
            }
        }
    }

    @Test
    void paddedNumbersHaveLeadingZerosToTheWidthAndNoMore() {
        assertEquals("000007", new ByteLine().appendPadded(7, 6).toString());
        assertEquals("123456", new ByteLine().appendPadded(123_456, 6).toString());
        assertEquals("1234567", new ByteLine().appendPadded(1_234_567, 6).toString());
        assertEquals("0000", new ByteLine().appendPadded(0, 4).toString());
    }

    @Test
    void secondsAreTimesSecondsForPositiveNegativeAndSubMicrosecondValues() {
        long[] nanos = {0, 999, 1_000, 60_000_000_000L, 60_000_123_999L, -1_500_000L, -60_000_000_001L, 5L * 86_400 * 1_000_000_000L};
        for (long n : nanos) assertEquals(Times.seconds(n), new ByteLine().appendSeconds(n).toString(), "nanos " + n);
    }

    @Test
    void isoTimesAsBytesEqualTimesIsoAcrossSecondsAndYears() {
        IsoTimes times = new IsoTimes();
        long[] nanos = {0, 1_764_000_000_123_456_789L, 1_764_000_000_999_999_999L, 1_764_000_001_000_000_000L,
            -1L, 253_402_300_799_999_999L, 951_782_400_000_000_000L};
        for (long n : nanos) {
            ByteLine line = new ByteLine();
            times.append(line, n);
            assertEquals(Times.iso(n), line.toString(), "nanos " + n);
        }
    }

    @Test
    void textIsItsUtf8BytesAndBooleansAndCharsTheirJavaText() {
        String text = "caf\u00e9 \u20ac \uD83D\uDE00 ,x";
        ByteLine line = new ByteLine().append(text).append(',').append(true).append(false).append('\u00e9');
        assertArrayEquals((text + ",truefalse\u00e9").getBytes(StandardCharsets.UTF_8),
            java.util.Arrays.copyOf(line.bytes(), line.length()));
    }

    @Test
    void aLineLongerThanItsFirstArrayGrowsAndKeepsEveryByte() {
        ByteLine line = new ByteLine();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            line.append(i).append(';');
            expected.append(i).append(';');
        }
        assertEquals(expected.toString(), line.toString());
        line.clear();
        assertEquals("", line.append("").toString());
    }

    @Test
    void csvRowsAsBytesEqualTheRowsAWriterWithoutByteInputGets() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        java.util.List<FlowRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) records.add(Records.anyKind(random, 5));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CsvSink sink = new CsvSink(new Utf8Writer(bytes), false)) {
            records.forEach(sink::accept);
        }
        StringWriter chars = new StringWriter();
        try (CsvSink sink = new CsvSink(chars, false)) {
            records.forEach(sink::accept);
        }
        assertEquals(chars.toString(), bytes.toString(StandardCharsets.UTF_8));
        assertEquals(501, chars.toString().split("\n").length, "a header and a row per record");
    }
}
