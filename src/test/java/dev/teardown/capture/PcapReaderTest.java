package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import dev.teardown.capture.Captures.Result;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.teardown.capture.CaptureBuilder.payload;
import static dev.teardown.capture.Captures.assertFormatErrorAt;
import static dev.teardown.capture.Captures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapReaderTest {
    private static final int ETHERNET = 1;
    private static final long T0 = 1_700_000_000L;
    private static final long NANOS = 1_000_000_000L;

    private static CaptureBuilder threePackets(boolean bigEndian, boolean nanos) {
        return CaptureBuilder.pcap(bigEndian, nanos, 65535, ETHERNET)
                .record(T0, 1, payload(60, 1))
                .record(T0 + 1, 999_999, payload(1514, 2))
                .record(T0 + 2, 0, payload(0, 3));
    }

    @ParameterizedTest(name = "big endian: {0}")
    @ValueSource(booleans = {false, true})
    void microsecondTimestampsBecomeEpochNanosInEitherByteOrder(boolean bigEndian) throws IOException {
        List<Packet> packets = read(threePackets(bigEndian, false).toByteArray()).packets();

        assertEquals(3, packets.size());
        assertEquals(T0 * 1_000_000_000L + 1_000, packets.get(0).timeNanos());
        assertEquals((T0 + 1) * 1_000_000_000L + 999_999_000, packets.get(1).timeNanos());
        assertEquals((T0 + 2) * 1_000_000_000L, packets.get(2).timeNanos());
        assertArrayEquals(payload(1514, 2), packets.get(1).data());
        assertEquals(1514, packets.get(1).originalLength());
        assertEquals(ETHERNET, packets.get(1).linkType());
    }

    @ParameterizedTest(name = "big endian: {0}")
    @ValueSource(booleans = {false, true})
    void nanosecondTimestampsAreKeptExactInEitherByteOrder(boolean bigEndian) throws IOException {
        List<Packet> packets = read(threePackets(bigEndian, true).toByteArray()).packets();

        assertEquals(T0 * 1_000_000_000L + 1, packets.get(0).timeNanos());
        assertEquals((T0 + 1) * 1_000_000_000L + 999_999, packets.get(1).timeNanos());
    }

    @Test
    void timestampSecondsAreUnsignedSoDatesAfter2038Work() throws IOException {
        long seconds = 0x9000_0000L;
        byte[] file = CaptureBuilder.pcap(false, false, 65535, ETHERNET).record(seconds, 0, payload(10, 0)).toByteArray();

        assertEquals(seconds * 1_000_000_000L, read(file).packets().get(0).timeNanos());
    }

    @Test
    void fcsBitsInTheUpperLinkTypeFieldAreMaskedOff() throws IOException {
        // Bit 26 set and an FCS length of 2 (in 16-bit units) in bits 28-31, as libpcap's LT_FCS_DATALINK_EXT writes.
        int field = 0x2000_0000 | 0x0400_0000 | 105;
        byte[] file = CaptureBuilder.pcap(true, false, 65535, field).record(T0, 0, payload(24, 0)).toByteArray();

        assertEquals(105, read(file).packets().get(0).linkType());
    }

    @Test
    void recordOffsetsAreTheRecordHeadersPositionsInTheStream() throws IOException {
        CaptureBuilder capture = threePackets(false, false);
        List<Packet> packets = read(capture.toByteArray()).packets();

        assertEquals(List.of(24L, 24L + 16 + 60, 24L + 16 + 60 + 16 + 1514),
                packets.stream().map(Packet::recordOffset).toList());
        assertEquals(capture.packetOffsets(), packets.stream().map(Packet::recordOffset).toList());
    }

    @Test
    void capturedLengthAboveOriginalLengthIsToleratedAndIsTheBytesPresent() throws IOException {
        byte[] file = CaptureBuilder.pcap(false, false, 65535, ETHERNET).record(T0, 0, payload(80, 0), 60).toByteArray();

        Packet packet = read(file).packets().get(0);
        assertEquals(80, packet.data().length);
        assertEquals(60, packet.originalLength());
    }

    @Test
    void capturedLengthAboveASmallSnaplenButWithinLinuxsMaximumIsAccepted() throws IOException {
        byte[] file = CaptureBuilder.pcap(false, false, 96, ETHERNET).record(T0, 0, payload(200_000, 0)).toByteArray();

        assertEquals(200_000, read(file).packets().get(0).data().length);
    }

    @Test
    void capturedLengthBeyondSnaplenAndLinuxsMaximumIsAFormatErrorAtTheRecord() {
        byte[] file = CaptureBuilder.pcap(false, false, 65535, ETHERNET)
                .record(T0, 0, payload(60, 0))
                .recordWithLengths(T0, 0, payload(10, 0), 262_145, 262_145)
                .toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, 24 + 16 + 60);
        assertTrue(e.getMessage().contains("captured length 262145 is absurd"), e.getMessage());
    }

    @Test
    void capturedLengthAbove16MiBIsAFormatErrorWhateverTheSnaplen() {
        byte[] file = CaptureBuilder.pcap(false, false, 0xffff_ffffL, ETHERNET)
                .recordWithLengths(T0, 0, payload(10, 0), 0xffff_fff0L, 60)
                .toByteArray();

        assertFormatErrorAt(file, 24);
    }

    @Test
    void absurdLengthIsAnErrorEvenWhenTheFileEndsRightAfterTheRecordHeader() {
        byte[] file = CaptureBuilder.pcap(true, false, 65535, ETHERNET)
                .recordWithLengths(T0, 0, new byte[0], 0x7fff_ffffL, 60)
                .toByteArray();

        assertFormatErrorAt(file, 24);
    }

    @Test
    void microsecondFractionOfOneSecondOrMoreIsCarriedIntoTheSecondsAndWarnedAboutOnceWithItsCount() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcap(false, false, 65535, ETHERNET)
                .record(T0, 10, payload(60, 1))
                .record(T0, 1_500_000, payload(60, 2))
                .record(T0 + 1, 0xffff_ffffL, payload(60, 3))
                .record(T0 + 9000, 7, payload(60, 4));
        Result result = read(capture.toByteArray());

        assertEquals(List.of(T0 * NANOS + 10_000, T0 * NANOS + 1_500_000_000L,
                        (T0 + 1) * NANOS + 0xffff_ffffL * 1_000, (T0 + 9000) * NANOS + 7_000),
                result.packets().stream().map(Packet::timeNanos).toList(), "every packet kept, the excess carried");
        assertEquals(List.of("fraction over one second: 2 packets have a timestamp fraction of one second or more "
                        + "(a microsecond field above 999999), kept with the excess carried into the seconds; "
                        + "first at byte " + capture.packetOffsets().get(1)),
                result.warnings());
    }

    @Test
    void nanosecondFractionOfOneSecondOrMoreIsWarnedAboutToo() throws IOException {
        byte[] file = CaptureBuilder.pcap(true, true, 65535, ETHERNET)
                .record(T0, 999_999_999, payload(60, 1))
                .record(T0, 1_000_000_000, payload(60, 2))
                .toByteArray();
        Result result = read(file);

        assertEquals((T0 + 1) * NANOS, result.packets().get(1).timeNanos());
        assertEquals(1, result.warnings().size());
        assertTrue(result.warnings().get(0).startsWith("fraction over one second: 1 packets")
                && result.warnings().get(0).contains("a nanosecond field above 999999999"), result.warnings().toString());
    }

    @Test
    void theLatestTimeAClassicPcapCanHoldIsWithinTheRangeOfPacketTimes() throws IOException {
        // 32-bit seconds and a 32-bit microsecond fraction, both at their maximum: never out of range, so a
        // classic pcap never loses a packet to its time.
        byte[] file = CaptureBuilder.pcap(false, false, 65535, ETHERNET)
                .record(0xffff_ffffL, 0xffff_ffffL, payload(60, 1))
                .toByteArray();

        assertEquals(0xffff_ffffL * NANOS + 0xffff_ffffL * 1_000, read(file).packets().get(0).timeNanos());
    }

    @Test
    void lastRecordCutShortWithACapturedLengthOverTheSnapshotLengthIsCorruptionNotATruncation() {
        CaptureBuilder capture = CaptureBuilder.pcap(false, false, 65535, ETHERNET)
                .record(T0, 0, payload(60, 0));
        long at = capture.size();
        byte[] file = capture.recordWithLengths(T0, 1, payload(100, 1), 70_000, 70_000).toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("captured length 70000") && e.getMessage().contains("snapshot length 65535")
                && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void lastRecordCutShortWithACapturedLengthOverItsOriginalLengthIsCorruptionNotATruncation() {
        CaptureBuilder capture = CaptureBuilder.pcap(true, false, 65535, ETHERNET)
                .record(T0, 0, payload(60, 0));
        long at = capture.size();
        byte[] file = capture.recordWithLengths(T0, 1, payload(100, 1), 1_000, 60).toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("captured length 1000") && e.getMessage().contains("original length 60"),
                e.getMessage());
    }

    @Test
    void lastRecordCutShortWithAPlausibleLengthIsStillATruncationWarning() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcap(false, false, 65535, ETHERNET)
                .record(T0, 0, payload(60, 0));
        long at = capture.size();
        byte[] file = capture.recordWithLengths(T0, 1, payload(100, 1), 1_514, 1_514).toByteArray();

        assertEquals(List.of(Truncation.insideRecord(at, 1)), read(file).warnings());
    }

    @ParameterizedTest(name = "buffer of {0} bytes")
    @ValueSource(ints = {16, 100, 1 << 20})
    void everyTruncationGivesTheCompletePacketsAndOneWarningNeverAnException(int bufferCapacity) throws IOException {
        Captures.assertEveryTruncationReadsCompletePackets(threePackets(false, false).record(T0 + 3, 5, payload(7, 4)),
                bufferCapacity);
        Captures.assertEveryTruncationReadsCompletePackets(threePackets(true, true), bufferCapacity);
    }

    @Test
    void truncationWarningNamesTheRecordAndTheCompletePackets() throws IOException {
        byte[] full = threePackets(false, false).toByteArray();
        Result result = read(Arrays.copyOf(full, 24 + 16 + 60 + 10));

        assertEquals(1, result.packets().size());
        assertEquals(List.of("capture ends inside a record at byte 100 (truncated file); 1 complete packets read"),
                result.warnings());
    }

    @Test
    void fileEndingInsideTheFileHeaderIsAFormatError() {
        byte[] header = Arrays.copyOf(threePackets(false, false).toByteArray(), 20);

        CaptureFormatException e = assertFormatErrorAt(header, 20);
        assertTrue(e.getMessage().contains("pcap file header"), e.getMessage());
    }

    @Test
    void headerOnlyFileHasNoPacketsAndNoWarnings() throws IOException {
        Result result = read(CaptureBuilder.pcap(false, false, 65535, ETHERNET).toByteArray());

        assertEquals(List.of(), result.packets());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void recordLargerThanTheBufferGrowsTheBuffer() throws IOException {
        byte[] big = payload(3 << 20, 9);
        byte[] file = CaptureBuilder.pcap(false, true, 4 << 20, ETHERNET)
                .record(T0, 0, payload(60, 1))
                .record(T0, 1, big)
                .record(T0, 2, payload(60, 2))
                .toByteArray();

        List<Packet> packets = read(file).packets();

        assertEquals(3, packets.size());
        assertArrayEquals(big, packets.get(1).data());
        assertArrayEquals(payload(60, 2), packets.get(2).data());
    }

    @Test
    void framesPointIntoTheReadersBufferInsteadOfCopying() throws IOException {
        byte[] file = threePackets(false, false).toByteArray();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), "test.cap")) {
            Frame frame = new Frame();
            source.next(frame);
            byte[] buffer = frame.data();
            assertEquals(24 + 16, frame.offset());
            source.next(frame);
            assertSame(buffer, frame.data());
        }
    }

    @Test
    void modifiedPcapRecordsWithTheirEightExtraHeaderBytesAreRead() throws IOException {
        byte[] file = CaptureBuilder.pcapWithMagic(false, 0xa1b2cd34, 65535, ETHERNET)
                .modifiedRecord(T0, 500, payload(42, 1))
                .modifiedRecord(T0, 501, payload(43, 2))
                .toByteArray();

        List<Packet> packets = read(file).packets();

        assertEquals(2, packets.size());
        assertArrayEquals(payload(43, 2), packets.get(1).data());
        assertEquals(T0 * 1_000_000_000L + 501_000, packets.get(1).timeNanos());
    }

    @Test
    void readingPacketsAllocatesNothingPerPacket() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcap(false, false, 65535, ETHERNET);
        int count = 200_000;
        for (int i = 0; i < count; i++) {
            capture.record(T0, i, payload(54, i));
        }
        byte[] file = capture.toByteArray();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(file), "test.cap")) {
            Frame frame = new Frame();
            source.next(frame);
            long before = threads.getCurrentThreadAllocatedBytes();
            int read = 1;
            while (source.next(frame)) {
                read++;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(count, read);
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes for " + count + " packets");
        }
    }

    @Test
    void offsetsPastFourGigabytesAreExact() throws IOException {
        int dataLength = 65_535;
        int records = 66_000;
        long expectedLastOffset = 24 + (long) (records - 1) * (16 + dataLength);
        try (PacketSource source = CaptureFiles.open(new RepeatedRecords(dataLength, records), "big.pcap")) {
            Frame frame = new Frame();
            long count = 0;
            long lastOffset = -1;
            while (source.next(frame)) {
                count++;
                lastOffset = frame.recordOffset();
            }
            assertEquals(records, count);
            assertTrue(lastOffset > 0xffff_ffffL);
            assertEquals(expectedLastOffset, lastOffset);
            assertEquals(List.of(), source.warnings());
        }
    }

    @Test
    void randomCorruptionNeverThrowsAnythingButIOException() {
        Captures.assertRandomCorruptionOnlyEverThrowsIOException(threePackets(false, false).record(T0, 3, payload(100, 5)).toByteArray(), 42);
    }

    /** A pcap file of {@code records} identical records generated on the fly, so a 4 GB file needs no disk. */
    private static final class RepeatedRecords extends InputStream {
        private final byte[] header;
        private final byte[] record;
        private final long total;
        private long position;

        RepeatedRecords(int dataLength, int records) {
            header = CaptureBuilder.pcap(false, false, 65535, ETHERNET).toByteArray();
            CaptureBuilder one = CaptureBuilder.pcap(false, false, 65535, ETHERNET).record(T0, 0, payload(dataLength, 1));
            record = Arrays.copyOfRange(one.toByteArray(), header.length, (int) one.size());
            total = header.length + (long) records * record.length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - position);
            int done = 0;
            while (done < n) {
                int chunk;
                if (position < header.length) {
                    chunk = (int) Math.min(n - done, header.length - position);
                    System.arraycopy(header, (int) position, b, off + done, chunk);
                } else {
                    int inRecord = (int) ((position - header.length) % record.length);
                    chunk = Math.min(n - done, record.length - inRecord);
                    System.arraycopy(record, inRecord, b, off + done, chunk);
                }
                done += chunk;
                position += chunk;
            }
            return n;
        }
    }
}
