package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import dev.teardown.capture.Captures.Result;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.teardown.capture.CaptureBuilder.payload;
import static dev.teardown.capture.Captures.assertFormatErrorAt;
import static dev.teardown.capture.Captures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PcapngReaderTest {
    private static final int ETHERNET = 1;
    private static final int RAW_IP = 101;
    private static final int LINUX_SLL = 113;
    private static final long T0 = 1_700_000_000L;
    private static final long NANOS = 1_000_000_000L;

    /** Two sections of opposite byte order, interfaces of three link types, every packet block kind. */
    private static CaptureBuilder mixed(boolean firstBigEndian) {
        return CaptureBuilder.pcapng(firstBigEndian)
                .iface(ETHERNET)
                .iface(RAW_IP, 0, 9, null)
                .epb(0, T0 * 1_000_000 + 1, payload(60, 1))
                .epb(1, T0 * NANOS + 2, payload(41, 2))
                .block(0x0BAD, CaptureBuilder.raw(firstBigEndian).u32(32473).u32(0))
                .spb(payload(61, 3), 61)
                .section(!firstBigEndian)
                .iface(LINUX_SLL, 0, 0x80 | 20, null)
                .epb(0, (T0 << 20) + (1 << 19), payload(63, 4))
                .obsoletePacket(0, (T0 << 20) + 1, payload(5, 5));
    }

    @ParameterizedTest(name = "first section big endian: {0}")
    @ValueSource(booleans = {false, true})
    void sectionsOfDifferentByteOrderInOneFileAreAllRead(boolean firstBigEndian) throws IOException {
        CaptureBuilder capture = mixed(firstBigEndian);
        Result result = read(capture.toByteArray());

        List<Packet> packets = result.packets();
        assertEquals(5, packets.size());
        assertEquals(List.of(ETHERNET, RAW_IP, ETHERNET, LINUX_SLL, LINUX_SLL),
                packets.stream().map(Packet::linkType).toList());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(payload(packets.get(i).data().length, i + 1), packets.get(i).data());
        }
        assertEquals(capture.packetOffsets(), packets.stream().map(Packet::recordOffset).toList());
    }

    @Test
    void eachPacketCarriesTheLinkTypeOfItsOwnInterface() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET).iface(RAW_IP).iface(LINUX_SLL)
                .epb(2, 0, payload(20, 0)).epb(0, 0, payload(20, 0)).epb(1, 0, payload(20, 0)).epb(2, 0, payload(20, 0))
                .toByteArray();

        assertEquals(List.of(LINUX_SLL, ETHERNET, RAW_IP, LINUX_SLL),
                read(file).packets().stream().map(Packet::linkType).toList());
    }

    @ParameterizedTest(name = "if_tsresol {0}: {1} ticks -> {2} ns")
    @CsvSource({
        // no option: microseconds
        "-1,   1700000000123456,        1700000000123456000",
        "6,    1700000000123456,        1700000000123456000",
        "9,    1700000000123456789,     1700000000123456789",
        "3,    1700000000123,           1700000000123000000",
        "0,    1700000000,              1700000000000000000",
        // 2^-20 s ticks: T0 seconds and half a second
        "148,  1782579200524288,        1700000000500000000",
        // 2^-10 s: one tick is 976562.5 ns, which truncates
        "138,  1740800000001,           1700000000000976562",
    })
    void timestampsFollowTheInterfacesResolution(int tsresol, String ticksText, String expectedText) throws IOException {
        long ticks = Long.parseLong(ticksText);
        byte[] file = CaptureBuilder.pcapng(true)
                .iface(ETHERNET, 0, tsresol < 0 ? null : tsresol, null)
                .epb(0, ticks, payload(20, 0))
                .toByteArray();

        assertEquals(Long.parseLong(expectedText), read(file).packets().get(0).timeNanos());
    }

    @Test
    void picosecondResolutionIsConvertedDroppingSubNanosecondDigits() throws IOException {
        // 64 bits of picoseconds only reach 213 days after the epoch, so the value is small.
        long ticks = 5_000_000_123_456L;
        byte[] file = CaptureBuilder.pcapng(false).iface(ETHERNET, 0, 12, null).epb(0, ticks, payload(1, 0)).toByteArray();

        assertEquals(5_000_000_123L, read(file).packets().get(0).timeNanos());
    }

    @Test
    void tsoffsetAddsWholeSecondsToEveryTimestamp() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET, 0, 9, T0)
                .epb(0, 5, payload(20, 0))
                .toByteArray();

        assertEquals(T0 * NANOS + 5, read(file).packets().get(0).timeNanos());
    }

    @Test
    void negativeTsoffsetGivesTimesBefore1970() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET, 0, 9, -2 * T0)
                .epb(0, T0 * NANOS + 5, payload(20, 0))
                .toByteArray();

        assertEquals(-T0 * NANOS + 5, read(file).packets().get(0).timeNanos());
    }

    @Test
    void packetsWhoseTsoffsetOverflowsNanosecondsAreSkippedCountedAndWarnedAboutOnce() throws IOException {
        // 10^10 s after 1970 is the year 2286: past what signed 64-bit nanoseconds reach.
        CaptureBuilder capture = CaptureBuilder.pcapng(true)
                .iface(ETHERNET)
                .iface(ETHERNET, 0, 9, 10_000_000_000L)
                .epb(0, T0 * 1_000_000, payload(20, 1));
        long firstBad = capture.size();
        byte[] file = capture
                .epb(1, 5, payload(20, 2))
                .epb(0, (T0 + 1) * 1_000_000, payload(20, 3))
                .epb(1, 6, payload(20, 4))
                .toByteArray();
        Result result = read(file);

        assertEquals(List.of(T0 * NANOS, (T0 + 1) * NANOS), result.packets().stream().map(Packet::timeNanos).toList());
        assertArrayEquals(payload(20, 3), result.packets().get(1).data());
        assertEquals(List.of("time out of range: skipped 2 packets whose timestamp lies outside "
                        + "1823-11-12 .. 2116-02-20 (2^62 ns either side of 1970; "
                        + "an overflowing if_tsoffset or if_tsresol?); first at byte " + firstBad),
                result.warnings());
    }

    @ParameterizedTest(name = "if_tsresol {0}, ticks {1}")
    @CsvSource({
        // one tick per second: 10^10 s
        "0,    10000000000",
        // 2^0 s per tick, the binary form of the same
        "128,  10000000000",
        // microseconds: the largest unsigned tick count is 2^64 - 1 us, about 585,000 years
        "6,    -1",
        // nanoseconds: 2^63 ns and more is past 2262
        "9,    -9223372036854775808",
    })
    void ticksBeyondTheRangeAtTheirResolutionAreSkippedAndWarnedAbout(int tsresol, long ticks) throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET, 0, tsresol, null)
                .epb(0, ticks, payload(20, 0))
                .toByteArray();
        Result result = read(file);

        assertEquals(List.of(), result.packets());
        assertEquals(1, result.warnings().size());
        assertTrue(result.warnings().get(0).startsWith("time out of range: skipped 1 packets"), result.warnings().toString());
    }

    @Test
    void ticksAbove2To63SecondsBroughtBackByANegativeTsoffsetGiveTheExactTime() throws IOException {
        // Unsigned 2^63 + 5 seconds, minus 2^63 seconds: 5 s after the epoch, though neither fits alone.
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET, 0, 0, Long.MIN_VALUE)
                .epb(0, Long.MIN_VALUE + 5, payload(20, 0))
                .toByteArray();
        Result result = read(file);

        assertEquals(5 * NANOS, result.packets().get(0).timeNanos());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void simplePacketAfterASkippedPacketRepeatsTheLastTimeThatWasKept() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(ETHERNET, 0, 9, null)
                .epb(0, T0 * NANOS, payload(20, 1))
                .iface(ETHERNET, 0, 0, null)
                .epb(1, 10_000_000_000L, payload(20, 2))
                .spb(payload(20, 3), 20)
                .toByteArray();
        Result result = read(file);

        assertEquals(List.of(T0 * NANOS, T0 * NANOS), result.packets().stream().map(Packet::timeNanos).toList());
    }

    @Test
    void simplePacketTakesInterfaceZeroAndItsCapturedLengthFromOriginalLengthAndSnaplen() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false)
                .iface(RAW_IP, 64, null, null)
                .epb(0, T0 * 1_000_000, payload(30, 0))
                .spb(payload(64, 1), 1500)   // cut to the snapshot length
                .spb(payload(21, 2), 21)     // shorter than the snapshot length: padding is not data
                .toByteArray();

        Result result = read(file);
        List<Packet> packets = result.packets();

        assertArrayEquals(payload(64, 1), packets.get(1).data());
        assertEquals(1500, packets.get(1).originalLength());
        assertArrayEquals(payload(21, 2), packets.get(2).data());
        assertEquals(RAW_IP, packets.get(2).linkType());
        assertEquals(T0 * NANOS, packets.get(2).timeNanos(), "a simple packet repeats the previous timestamp");
        assertTrue(result.warnings().get(0).startsWith("2 simple packet blocks carry no timestamp"), result.warnings().toString());
    }

    @Test
    void simplePacketWithoutSnaplenIsBoundedByItsBlock() throws IOException {
        byte[] file = CaptureBuilder.pcapng(true).iface(ETHERNET).spb(payload(40, 1), 9000).toByteArray();

        assertArrayEquals(payload(40, 1), read(file).packets().get(0).data());
    }

    @Test
    void simplePacketBeforeAnyInterfaceIsAFormatError() {
        byte[] file = CaptureBuilder.pcapng(false).spb(payload(40, 1), 40).toByteArray();

        assertFormatErrorAt(file, 28);
    }

    @Test
    void unknownBlocksAreSkippedAndCountedInOneWarning() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        long firstUnknown = capture.size();
        byte[] file = capture
                .block(0x0BEE, capture.body().u32(1))
                .epb(0, 0, payload(20, 1))
                .block(0x7777, capture.body())
                .block(0x0BEE, capture.body().bytes(new byte[4000]))
                .epb(0, 0, payload(20, 2))
                .toByteArray();

        Result result = read(file);

        assertEquals(2, result.packets().size());
        assertEquals(List.of("skipped 3 blocks of unknown type (first: type 0x00000bee at byte " + firstUnknown + ")"),
                result.warnings());
    }

    @Test
    void definedBlocksOfNoUseHereAreSkippedSilently() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcapng(true).iface(ETHERNET);
        byte[] file = capture
                .block(4, capture.body().u16(0).u16(0))                 // name resolution
                .epb(0, 0, payload(20, 1))
                .block(5, capture.body().u32(0).u32(0).u32(0))         // interface statistics
                .block(10, capture.body().u32(0x544c534b).u32(0))      // decryption secrets
                .toByteArray();

        Result result = read(file);

        assertEquals(1, result.packets().size());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void unknownBlockLargerThanTheBufferIsSkippedWithoutGrowingIt() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        byte[] file = capture
                .block(0x0BEE, capture.body().bytes(new byte[5000]))
                .epb(0, 0, payload(20, 1))
                .toByteArray();

        try (PacketSource source = CaptureFiles.open(new java.io.ByteArrayInputStream(file), "test.cap", 256)) {
            Frame frame = new Frame();
            assertTrue(source.next(frame));
            assertEquals(256, frame.data().length);
        }
    }

    @Test
    void blockLargerThanTheBufferGrowsTheBuffer() throws IOException {
        byte[] big = payload((2 << 20) + 3, 7);
        byte[] file = CaptureBuilder.pcapng(false).iface(ETHERNET)
                .epb(0, 0, payload(60, 1)).epb(0, 1, big).epb(0, 2, payload(60, 2))
                .toByteArray();

        List<Packet> packets = read(file).packets();

        assertArrayEquals(big, packets.get(1).data());
        assertArrayEquals(payload(60, 2), packets.get(2).data());
    }

    @Test
    void packetReferringToAnUndefinedInterfaceIsAFormatError() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        long at = capture.size();
        byte[] file = capture.epb(1, 0, payload(20, 0)).toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("interface 1"), e.getMessage());
    }

    @Test
    void aNewSectionForgetsThePreviousSectionsInterfaces() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET).epb(0, 0, payload(20, 0)).section(true);
        long at = capture.size();
        byte[] file = capture.epb(0, 0, payload(20, 0)).toByteArray();

        assertFormatErrorAt(file, at);
    }

    @ParameterizedTest(name = "block length {0}")
    @ValueSource(longs = {0, 8, 11, 30, 0x4000004, 0xfffffffcL})
    void badBlockLengthIsAFormatErrorAtTheBlock(long length) {
        CaptureBuilder capture = CaptureBuilder.pcapng(true).iface(ETHERNET);
        long at = capture.size();
        byte[] file = capture.u32(6).u32(length).bytes(new byte[64]).toByteArray();

        assertFormatErrorAt(file, at);
    }

    @Test
    void blockTooShortForItsTypeIsAFormatError() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        long at = capture.size();
        byte[] file = capture.block(6, capture.body().u32(0).u32(0)).toByteArray();

        assertFormatErrorAt(file, at);
    }

    @Test
    void trailingLengthThatDiffersFromTheLeadingOneIsAFormatError() {
        byte[] file = CaptureBuilder.pcapng(false).iface(ETHERNET).epb(0, 0, payload(20, 0)).toByteArray();
        file[file.length - 4] ^= 4;
        long at = 28 + 20;

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void trailingLengthOfASkippedBlockIsCheckedToo() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        byte[] file = capture.block(0x0BEE, capture.body().u32(1)).toByteArray();
        file[file.length - 4] = 20;

        assertFormatErrorAt(file, 28 + 20);
    }

    @Test
    void capturedLengthLargerThanItsBlockIsAFormatError() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET);
        long at = capture.size();
        byte[] file = capture.block(6, capture.body().u32(0).u32(0).u32(0).u32(100).u32(100).bytes(new byte[8]))
                .toByteArray();

        assertFormatErrorAt(file, at);
    }

    @Test
    void capturedLengthAboveOriginalLengthIsTolerated() throws IOException {
        byte[] file = CaptureBuilder.pcapng(false).iface(ETHERNET).epb(0, 0, payload(100, 0), 60).toByteArray();

        Packet packet = read(file).packets().get(0);
        assertEquals(100, packet.data().length);
        assertEquals(60, packet.originalLength());
    }

    @Test
    void interfaceOptionRunningPastItsBlockIsAFormatError() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false);
        byte[] file = capture.block(1, capture.body().u16(ETHERNET).u16(0).u32(0).u16(9).u16(200).u32(6)).toByteArray();

        assertFormatErrorAt(file, 28 + 16);
    }

    @Test
    void badByteOrderMagicIsAFormatError() {
        byte[] file = CaptureBuilder.pcapng(false).toByteArray();
        file[8] = 0x55;

        CaptureFormatException e = assertFormatErrorAt(file, 8);
        assertTrue(e.getMessage().contains("byte-order magic"), e.getMessage());
    }

    @Test
    void unsupportedMajorVersionIsAFormatError() {
        byte[] file = CaptureBuilder.pcapng(false).toByteArray();
        file[12] = 2;

        CaptureFormatException e = assertFormatErrorAt(file, 0);
        assertTrue(e.getMessage().contains("version 2.0"), e.getMessage());
    }

    @Test
    void packetBlockCutShortWithABlockLengthFarBeyondItsPacketIsCorruptionNotATruncation() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET).epb(0, 0, payload(60, 0));
        long at = capture.size();
        // A 10 MiB block for a 60-byte packet, and the file ends after the packet's bytes.
        byte[] file = capture.u32(6).u32(10 << 20).u32(0).u32(0).u32(1).u32(60).u32(60).bytes(payload(60, 1))
                .toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("block length 10485760") && e.getMessage().contains("corrupt"),
                e.getMessage());
    }

    @Test
    void packetBlockCutShortWithACapturedLengthOverItsOriginalLengthIsCorruptionNotATruncation() {
        CaptureBuilder capture = CaptureBuilder.pcapng(true).iface(ETHERNET, 65535, null, null);
        long at = capture.size();
        byte[] file = capture.u32(6).u32(32 + 1000).u32(0).u32(0).u32(1).u32(1000).u32(60).bytes(payload(100, 1))
                .toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("captured length 1000") && e.getMessage().contains("original length 60"),
                e.getMessage());
    }

    @Test
    void packetBlockCutShortWithACapturedLengthOverTheSnapshotLengthIsCorruptionNotATruncation() {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET, 1500, null, null);
        long at = capture.size();
        byte[] file = capture.u32(6).u32(32 + 9000).u32(0).u32(0).u32(1).u32(9000).u32(9000).bytes(payload(100, 1))
                .toByteArray();

        CaptureFormatException e = assertFormatErrorAt(file, at);
        assertTrue(e.getMessage().contains("snapshot length 1500"), e.getMessage());
    }

    @Test
    void packetBlockCutShortWithAPlausibleLengthIsStillATruncationWarning() throws IOException {
        CaptureBuilder capture = CaptureBuilder.pcapng(false).iface(ETHERNET, 65535, null, null)
                .epb(0, 0, payload(60, 0));
        long at = capture.size();
        // 1514 bytes of packet and an 8-byte option (epb_flags) after them, cut after 100 bytes of the packet.
        byte[] file = capture.u32(6).u32(32 + 1516 + 8).u32(0).u32(0).u32(1).u32(1514).u32(1514)
                .bytes(payload(100, 1)).toByteArray();

        assertEquals(List.of(Truncation.insideRecord(at, 1)), read(file).warnings());
    }

    @ParameterizedTest(name = "buffer of {0} bytes")
    @ValueSource(ints = {16, 100, 1 << 20})
    void everyTruncationGivesTheCompletePacketsAndOneWarningNeverAnException(int bufferCapacity) throws IOException {
        Captures.assertEveryTruncationReadsCompletePackets(mixed(false), bufferCapacity);
        Captures.assertEveryTruncationReadsCompletePackets(mixed(true), bufferCapacity);
    }

    @Test
    void fileEndingInsideTheFirstSectionHeaderIsAFormatError() {
        byte[] file = Arrays.copyOf(CaptureBuilder.pcapng(false).toByteArray(), 20);

        assertFormatErrorAt(file, 20);
    }

    @Test
    void randomCorruptionNeverThrowsAnythingButIOException() {
        Captures.assertRandomCorruptionOnlyEverThrowsIOException(mixed(false).toByteArray(), 7);
    }
}
