package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.Column;
import dev.teardown.report.CsvSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Packet times at the edges of what capture formats can say: the Unix epoch, the end of classic pcap's 32-bit
 * seconds (2106), before 1970 (pcapng's signed {@code if_tsoffset}) and at the ends of the signed 64-bit
 * nanosecond range teardown counts in. One ordinary connection (handshake, client closes, four-way close)
 * must read the same at any of them: one row, the client closed, the client holds TIME_WAIT for 60 s.
 */
@Tag("hostile")
class TimestampExtremesTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int TIME_WAIT_SIDE = Column.TIME_WAIT_SIDE.ordinal();
    private static final int TIME_WAIT_START = Column.TIME_WAIT_START.ordinal();
    private static final int TIME_WAIT_END = Column.TIME_WAIT_END.ordinal();
    private static final int CLOSE_TYPE = Column.CLOSE_TYPE.ordinal();

    /** Seven packets of one connection, {@code step} apart from {@code start}; the client closes first. */
    static byte[] connection(long start, long step) {
        PcapBuilder p = new PcapBuilder(8);
        Endpoint client = HostileCaptures.client(0);
        Endpoint server = HostileCaptures.SERVER;
        int c = 1000;
        int s = 5000;
        p.tcp(start, client, server, c, 0, HostileCaptures.SYN);
        p.tcp(start + step, server, client, s, c + 1, HostileCaptures.SYN | HostileCaptures.ACK);
        p.tcp(start + 2 * step, client, server, c + 1, s + 1, HostileCaptures.ACK);
        p.tcp(start + 3 * step, client, server, c + 1, s + 1, HostileCaptures.FIN | HostileCaptures.ACK);
        p.tcp(start + 4 * step, server, client, s + 1, c + 2, HostileCaptures.ACK);
        p.tcp(start + 5 * step, server, client, s + 1, c + 2, HostileCaptures.FIN | HostileCaptures.ACK);
        p.tcp(start + 6 * step, client, server, c + 2, s + 2, HostileCaptures.ACK);
        return p.toByteArray();
    }

    /** The same connection in pcapng, with nanosecond ticks from {@code startTicks} and a seconds offset. */
    static byte[] pcapngConnection(int tsresol, Long tsoffsetSeconds, long startTicks, long stepTicks) {
        List<byte[]> frames = PcapngBuilder.framesOf(connection(0, 1));
        PcapngBuilder b = new PcapngBuilder().iface(tsresol, tsoffsetSeconds);
        for (int i = 0; i < frames.size(); i++) b.packet(0, startTicks + i * stepTicks, frames.get(i));
        return b.toByteArray();
    }

    /** The CSV rows (without the header) of an analysis, split into cells; these rows hold no quoted cells. */
    static List<String[]> rows(byte[] capture) throws IOException {
        StringWriter out = new StringWriter();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "extreme.pcap");
             CsvSink csv = new CsvSink(out, false)) {
            Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(csv));
            assertNull(r.failure());
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : out.toString().split("\n")) rows.add(line.split(",", -1));
        return rows.subList(1, rows.size());
    }

    /** One row: the client closed with a four-way close and holds TIME_WAIT from its last ACK for 60 s. */
    private static void assertOrdinaryClose(List<String[]> rows, String what) {
        assertEquals(1, rows.size(), what + ": one connection, one row");
        String[] r = rows.get(0);
        assertEquals("fin", r[CLOSE_TYPE], what + ": close type");
        assertEquals("client", r[TIME_WAIT_SIDE], what + ": TIME_WAIT holder");
        assertTrue(!r[TIME_WAIT_START].isEmpty() && !r[TIME_WAIT_END].isEmpty(),
            what + ": TIME_WAIT start and end are given: " + String.join(",", r));
        assertTrue(r[TIME_WAIT_START].compareTo(r[TIME_WAIT_END]) < 0, what + ": TIME_WAIT ends after it starts: "
            + r[TIME_WAIT_START] + " .. " + r[TIME_WAIT_END]);
    }

    @Test
    void aConnectionAtTheUnixEpochIsAnOrdinaryConnection() throws IOException {
        assertOrdinaryClose(rows(connection(0, 1000)), "1970-01-01");
    }

    @Test
    void aConnectionAtTheLastSecondOfClassicPcapIsAnOrdinaryConnection() throws IOException {
        assertOrdinaryClose(rows(connection(0xffff_fff0L * SECOND, SECOND)), "2106-02-07");
    }

    @Test
    void aConnectionBefore1970IsAnOrdinaryConnection() throws IOException {
        assertOrdinaryClose(rows(pcapngConnection(9, -100L, 0, SECOND)), "1969-12-31 (if_tsoffset -100 s)");
        assertOrdinaryClose(rows(pcapngConnection(9, -1_000_000_000L, 0, SECOND)), "1938 (if_tsoffset -10^9 s)");
    }

    /** The earliest time a reader delivers (docs/output.md: 2^62 ns either side of 1970), and no expiry underflows. */
    @Test
    void aConnectionAtTheEarliestRepresentableTimeStaysOneConnection() throws IOException {
        assertOrdinaryClose(rows(pcapngConnection(9, PacketTime.MIN / SECOND + 1, 0, SECOND)), "1823-11-12");
    }

    /** The latest time a reader delivers, with room for TIME_WAIT's end after it. */
    @Test
    void aConnectionAtTheLatestRepresentableTimeKeepsItsTimeWait() throws IOException {
        assertOrdinaryClose(rows(pcapngConnection(9, null, PacketTime.MAX - 7 * SECOND, SECOND)), "2116-02-20");
    }

    /** Past the range (1677, 2262: the ends of 64-bit nanoseconds) packets are skipped and counted, not wrapped. */
    @Test
    void aConnectionAtTheEndsOf64BitNanosecondsIsSkippedWithAWarning() throws IOException {
        for (byte[] capture : List.of(pcapngConnection(9, Long.MIN_VALUE / SECOND, 0, SECOND),
                pcapngConnection(9, null, Long.MAX_VALUE - 7 * SECOND, SECOND))) {
            try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "extreme.pcapng")) {
                Analysis.Result r = Analysis.run(source, AnalyzeOptions.defaults(), List.of(rec -> { }));
                assertNull(r.failure());
                assertEquals(0, r.totals().tcpSegments(), "no packet is analysed at a time it cannot hold");
                assertTrue(r.totals().warnings().stream().anyMatch(w -> w.startsWith("time out of range: skipped 7 packets")),
                    r.totals().warnings().toString());
            }
        }
    }

    /**
     * Tick counts past 2^63 nanoseconds cannot be held; a reader must refuse them or keep time in order, never
     * wrap them into 1677 or 1969 (a later packet reported 292 years earlier would expire every connection).
     */
    @Test
    void timestampsBeyondTheNanosecondRangeAreRefusedOrKeptInOrderNeverWrapped() throws IOException {
        assertTimesNeverWrap(pcapngConnection(9, null, Long.MAX_VALUE - 3 * SECOND, SECOND), "ns ticks across 2^63");
        assertTimesNeverWrap(pcapngConnection(9, null, -8L, 1L), "ns ticks at 2^64 - 8");
        assertTimesNeverWrap(pcapngConnection(0, null, -8L, 1L), "second ticks at 2^64 - 8");
        assertTimesNeverWrap(pcapngConnection(9, Long.MAX_VALUE / SECOND, 0, SECOND), "if_tsoffset past 2262");
        assertTimesNeverWrap(pcapngConnection(9, Long.MIN_VALUE / SECOND - 1, 0, SECOND), "if_tsoffset before 1677");
    }

    private static void assertTimesNeverWrap(byte[] capture, String what) throws IOException {
        List<Long> times = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(capture), "extreme.pcapng")) {
            Frame frame = new Frame();
            while (source.next(frame)) times.add(frame.timeNanos());
        } catch (CaptureFormatException refused) {
            return;
        }
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) >= times.get(i - 1), what + ": packet " + i + " at " + times.get(i)
                + " ns comes after one at " + times.get(i - 1) + " ns in the file, but its time is earlier");
        }
    }
}
