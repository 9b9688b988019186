package dev.teardown.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming reader of classic libpcap files: either byte order, microsecond or nanosecond timestamps.
 *
 * <p>Also reads Alexey Kuznetsov's "modified" variant (magic {@code a1b2cd34}), whose record headers carry
 * eight extra bytes, since distributions' patched tcpdumps once wrote it.
 */
final class PcapReader implements PacketSource {
    /** The file header's magic number in the writer's byte order: microsecond timestamps. */
    static final int MICROSECOND_MAGIC = 0xa1b2c3d4;
    /** Nanosecond timestamps. */
    static final int NANOSECOND_MAGIC = 0xa1b23c4d;
    /** Kuznetsov's modified format: microsecond timestamps, longer record headers. */
    static final int MODIFIED_MAGIC = 0xa1b2cd34;
    static final int VERSION_MAJOR = 2;
    static final int VERSION_MINOR = 4;
    static final int FILE_HEADER_LENGTH = 24;
    static final int RECORD_HEADER_LENGTH = 16;
    /** The modified format's record header: eight more bytes (interface index, protocol, packet type, padding). */
    static final int MODIFIED_RECORD_HEADER_LENGTH = 24;
    /** Beyond this no captured length is believed, whatever the header's snapshot length says. */
    static final long ABSOLUTE_MAX_CAPTURED_LENGTH = 16L << 20;

    private final ChunkedInput in;
    private final boolean bigEndian;
    private final long nanosPerFractionUnit;
    private final int recordHeaderLength;
    private final long snapLength;
    private final long maxCapturedLength;
    private final int linkType;
    private final List<String> warnings = new ArrayList<>();
    private final TimestampProblems timestampProblems = new TimestampProblems();
    private long packets;
    private boolean finished;

    /** Reads the file header; {@code in} is positioned at the magic number. */
    PcapReader(ChunkedInput in) throws IOException {
        this.in = in;
        if (!in.request(FILE_HEADER_LENGTH)) {
            throw new CaptureFormatException(in.name(), in.offset() + in.available(),
                    "file ends inside the " + FILE_HEADER_LENGTH + "-byte pcap file header (truncated file)");
        }
        byte[] b = in.buffer();
        int p = in.pos();
        int magic = Bytes.int32(b, p);
        if (isMagic(magic)) {
            bigEndian = true;
        } else if (isMagic(Integer.reverseBytes(magic))) {
            bigEndian = false;
        } else {
            throw new CaptureFormatException(in.name(), in.offset(),
                    String.format("not a pcap file (magic 0x%08x)", magic));
        }
        int nativeMagic = Bytes.int32(b, p, bigEndian);
        nanosPerFractionUnit = nativeMagic == NANOSECOND_MAGIC ? 1 : TimestampResolution.NANOS_PER_MICROSECOND;
        recordHeaderLength = nativeMagic == MODIFIED_MAGIC ? MODIFIED_RECORD_HEADER_LENGTH : RECORD_HEADER_LENGTH;
        int major = Bytes.uint16(b, p + 4, bigEndian);
        int minor = Bytes.uint16(b, p + 6, bigEndian);
        if (major != VERSION_MAJOR) {
            warnings.add("unexpected pcap version " + major + "." + minor + "; read as " + VERSION_MAJOR + "." + VERSION_MINOR);
        }
        snapLength = Bytes.uint32(b, p + 16, bigEndian);
        // The upper 16 bits may hold FCS-length flags (draft-ietf-opsawg-pcap, "LinkType and additional information").
        linkType = Bytes.int32(b, p + 20, bigEndian) & 0xffff;
        maxCapturedLength = maxCapturedLength(snapLength);
        in.skip(FILE_HEADER_LENGTH);
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        if (finished) {
            return false;
        }
        long recordOffset = in.offset();
        if (!in.request(recordHeaderLength)) {
            return finish(recordOffset);
        }
        byte[] b = in.buffer();
        int p = in.pos();
        long capturedLength = Bytes.uint32(b, p + 8, bigEndian);
        if (capturedLength > maxCapturedLength) {
            throw new CaptureFormatException(in.name(), recordOffset, "captured length " + capturedLength
                    + " is absurd (snapshot length " + snapLength + "); the file is corrupt");
        }
        long originalLength = Bytes.uint32(b, p + 12, bigEndian);
        int recordLength = recordHeaderLength + (int) capturedLength;
        if (!in.request(recordLength)) {
            checkCutShortRecord(capturedLength, originalLength, recordOffset);
            return finish(recordOffset);
        }
        b = in.buffer();
        p = in.pos();
        long seconds = Bytes.uint32(b, p, bigEndian);
        long fraction = Bytes.uint32(b, p + 4, bigEndian);
        if (fraction * nanosPerFractionUnit >= TimestampResolution.NANOS_PER_SECOND) {
            timestampProblems.count(TimestampProblems.Problem.FRACTION_OVER_ONE_SECOND, recordOffset);
        }
        // No overflow check needed: two unsigned 32-bit fields reach at most (2^32 - 1) s + (2^32 - 1) us, about
        // 4.295e18 ns (the year 2106), inside PacketTime.MAX; a fraction over a second is carried by the sum.
        frame.set(b, p + recordHeaderLength, (int) capturedLength, (int) Math.min(originalLength, Integer.MAX_VALUE),
                seconds * TimestampResolution.NANOS_PER_SECOND + fraction * nanosPerFractionUnit,
                linkType, recordOffset);
        in.skip(recordLength);
        packets++;
        return true;
    }

    /**
     * The file ends inside a record whose header is whole. A complete record is believed up to
     * {@link #maxCapturedLength} and with more captured than original bytes, since its bytes are there; a cut-short
     * one has no such evidence, so only a length a capture could have written makes it a truncation. Anything
     * else is a corrupt length that happens to point past the end, and calling it a truncation would hide it.
     */
    private void checkCutShortRecord(long capturedLength, long originalLength, long recordOffset)
            throws CaptureFormatException {
        if (capturedLength > cutShortLimit(snapLength)) {
            throw new CaptureFormatException(in.name(), recordOffset, "captured length " + capturedLength
                    + " exceeds the snapshot length " + snapLength + " and the file ends inside the record: "
                    + "a corrupt record header, not a cut-short capture");
        }
        if (capturedLength > originalLength) {
            throw new CaptureFormatException(in.name(), recordOffset, "captured length " + capturedLength
                    + " exceeds the original length " + originalLength + " and the file ends inside the record: "
                    + "a corrupt record header, not a cut-short capture");
        }
    }

    /** Whether {@code magic}, read big-endian, is one of the classic pcap magic numbers in its writer's order. */
    static boolean isMagic(int magic) {
        return magic == MICROSECOND_MAGIC || magic == NANOSECOND_MAGIC || magic == MODIFIED_MAGIC;
    }

    /**
     * The largest captured length believed in a complete record, given the file's (or interface's) snapshot length:
     * up to libpcap's {@link Snaplen#MAXIMUM} always, up to the snapshot length if that is larger, and never beyond
     * {@link #ABSOLUTE_MAX_CAPTURED_LENGTH}.
     */
    static long maxCapturedLength(long snapLength) {
        return Math.min(ABSOLUTE_MAX_CAPTURED_LENGTH, Math.max(snapLength, Snaplen.MAXIMUM));
    }

    /** The largest captured length believed in a record the file ends inside: the snapshot length bounds it too. */
    static long cutShortLimit(long snapLength) {
        long max = maxCapturedLength(snapLength);
        return snapLength == 0 ? max : Math.min(snapLength, max);
    }

    private boolean finish(long recordOffset) {
        finished = true;
        if (in.available() > 0) {
            warnings.add(Truncation.insideRecord(recordOffset, packets));
        } else if (in.cutShort()) {
            warnings.add(Truncation.compressedStream(recordOffset, packets));
        }
        return false;
    }

    @Override
    public String name() { return in.name(); }

    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        timestampProblems.addWarnings(all, nanosPerFractionUnit == 1
                ? "a nanosecond field above 999999999" : "a microsecond field above 999999");
        return List.copyOf(all);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public long bytesRead() { return in.fileBytesRead(); }
}
