package dev.teardown.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A streaming reader of pcapng files (draft-ietf-opsawg-pcapng): any number of sections in either byte order,
 * interfaces with their own link types and timestamp units, enhanced, simple and obsolete packet blocks.
 */
final class PcapngReader implements PacketSource {
    static final int SECTION_HEADER_TYPE = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final long MAX_BLOCK_LENGTH = ChunkedInput.MAX_CAPACITY;
    /**
     * Room for options after a packet's bytes that a cut-short packet block may claim and still count as a
     * truncation: one option of the largest size (a 4-byte header, 65,535 bytes padded to 65,536) and the
     * end-of-options marker. Real files carry a few flags or a comment; a larger claim is a corrupt length.
     */
    private static final long MAX_PACKET_OPTIONS_LENGTH = 4 + 0x10000 + 4;

    private static final int OPTION_END = 0;
    private static final int OPTION_IF_TSRESOL = 9;
    private static final int OPTION_IF_TSOFFSET = 14;

    /** What the reader does with a block, decided by its type code. */
    private enum BlockType {
        SECTION_HEADER(28), INTERFACE_DESCRIPTION(20), OBSOLETE_PACKET(32), SIMPLE_PACKET(16), ENHANCED_PACKET(32),
        /** Defined by the specification but of no use here: name resolution, statistics, secrets, custom. */
        IGNORED(12),
        UNKNOWN(12);

        /** The block's fixed part (header, fields, trailer; no packet data, no options): its shortest length. */
        final int fixedLength;

        BlockType(int fixedLength) {
            this.fixedLength = fixedLength;
        }

        static BlockType of(int code) {
            return switch (code) {
                case SECTION_HEADER_TYPE -> SECTION_HEADER;
                case 1 -> INTERFACE_DESCRIPTION;
                case 2 -> OBSOLETE_PACKET;
                case 3 -> SIMPLE_PACKET;
                case 6 -> ENHANCED_PACKET;
                case 4, 5, 7, 8, 9, 10, 0x0BAD, 0x40000BAD -> IGNORED;
                default -> UNKNOWN;
            };
        }
    }

    private final ChunkedInput in;
    private final List<PcapngInterface> interfaces = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final TimestampProblems timestampProblems = new TimestampProblems();
    private boolean bigEndian;
    private long packets;
    private long unknownBlocks;
    private int firstUnknownType;
    private long firstUnknownOffset;
    private long simplePackets;
    private long lastTimeNanos;
    private boolean finished;

    /** Reads the first section header; {@code in} is positioned at it. */
    PcapngReader(ChunkedInput in) throws IOException {
        this.in = in;
        if (!readSectionHeader(in.offset())) {
            throw new CaptureFormatException(in.name(), in.offset() + in.available(),
                    "file ends inside the first section header block (truncated file)");
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (!finished) {
            long blockOffset = in.offset();
            Outcome outcome = in.request(8) ? readBlock(frame, blockOffset) : Outcome.TRUNCATED;
            switch (outcome) {
                case PACKET -> {
                    packets++;
                    return true;
                }
                case TRUNCATED -> finish(blockOffset);
                case NO_PACKET -> { }
            }
        }
        return false;
    }

    /** What reading one block gave. */
    private enum Outcome { PACKET, NO_PACKET, TRUNCATED }

    /** Reads the block whose first 8 bytes are buffered. */
    private Outcome readBlock(Frame frame, long blockOffset) throws IOException {
        int code = Bytes.int32(in.buffer(), in.pos(), bigEndian);
        BlockType type = BlockType.of(code);
        return switch (type) {
            case SECTION_HEADER -> readSectionHeader(blockOffset) ? Outcome.NO_PACKET : Outcome.TRUNCATED;
            case IGNORED, UNKNOWN -> skipBlock(type, code, blockOffset) ? Outcome.NO_PACKET : Outcome.TRUNCATED;
            case INTERFACE_DESCRIPTION, SIMPLE_PACKET, ENHANCED_PACKET, OBSOLETE_PACKET ->
                    readBufferedBlock(frame, type, blockOffset);
        };
    }

    /** Reads a block that is parsed in place, so it must fit in the buffer whole. */
    private Outcome readBufferedBlock(Frame frame, BlockType type, long blockOffset) throws IOException {
        int length = blockLength(in.buffer(), in.pos(), bigEndian, type, blockOffset);
        if (!in.request(length)) {
            checkCutShortBlock(type, length, blockOffset);
            return Outcome.TRUNCATED;
        }
        byte[] b = in.buffer();
        int p = in.pos();
        checkTrailer(b, p, length, bigEndian, blockOffset);
        Outcome outcome = switch (type) {
            case INTERFACE_DESCRIPTION -> {
                interfaces.add(readInterface(b, p, length, blockOffset));
                yield Outcome.NO_PACKET;
            }
            case SIMPLE_PACKET -> {
                readSimplePacket(frame, b, p, length, blockOffset);
                yield Outcome.PACKET;
            }
            case ENHANCED_PACKET, OBSOLETE_PACKET ->
                    readPacket(frame, type, b, p, length, blockOffset) ? Outcome.PACKET : Outcome.NO_PACKET;
            case SECTION_HEADER, IGNORED, UNKNOWN -> throw new IllegalStateException(type + " is not read in place");
        };
        in.skip(length);
        return outcome;
    }

    /** Starts a new section: its byte order and interfaces replace the previous section's. */
    private boolean readSectionHeader(long blockOffset) throws IOException {
        if (!in.request(12)) {
            return false;
        }
        int magic = Bytes.int32(in.buffer(), in.pos() + 8);
        boolean big;
        if (magic == BYTE_ORDER_MAGIC) {
            big = true;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            big = false;
        } else {
            throw formatError(blockOffset + 8,
                    String.format("bad byte-order magic 0x%08x in section header block", magic));
        }
        int length = blockLength(in.buffer(), in.pos(), big, BlockType.SECTION_HEADER, blockOffset);
        if (!in.request(length)) {
            return false;
        }
        byte[] b = in.buffer();
        int p = in.pos();
        checkTrailer(b, p, length, big, blockOffset);
        int major = Bytes.uint16(b, p + 12, big);
        if (major != 1) {
            throw formatError(blockOffset, "unsupported pcapng version " + major + "." + Bytes.uint16(b, p + 14, big));
        }
        bigEndian = big;
        interfaces.clear();
        in.skip(length);
        return true;
    }

    private PcapngInterface readInterface(byte[] b, int p, int length, long blockOffset) throws CaptureFormatException {
        int linkType = Bytes.uint16(b, p + 8, bigEndian);
        long snapLength = Bytes.uint32(b, p + 12, bigEndian);
        TimestampResolution resolution = TimestampResolution.MICROSECONDS;
        long offsetSeconds = 0;
        int end = p + length - 4;
        int option = p + 16;
        while (option + 4 <= end) {
            int code = Bytes.uint16(b, option, bigEndian);
            int valueLength = Bytes.uint16(b, option + 2, bigEndian);
            int value = option + 4;
            if (code == OPTION_END) {
                break;
            }
            if (value + valueLength > end) {
                throw formatError(blockOffset + (option - p),
                        "interface option " + code + " of length " + valueLength + " runs past the end of its block");
            }
            if (code == OPTION_IF_TSRESOL && valueLength >= 1) {
                resolution = TimestampResolution.fromOption(b[value] & 0xff);
                if (!resolution.supported()) {
                    throw formatError(blockOffset + (option - p), "unsupported if_tsresol " + resolution);
                }
            } else if (code == OPTION_IF_TSOFFSET && valueLength >= 8) {
                offsetSeconds = Bytes.int64(b, value, bigEndian);
            }
            option = value + ((valueLength + 3) & ~3);
        }
        return new PcapngInterface(linkType, snapLength, resolution, offsetSeconds);
    }

    /**
     * Enhanced Packet Block, or the obsolete Packet Block, which differs only in a 16-bit interface id.
     *
     * @return false when the packet was skipped for a time outside the range of packet times
     */
    private boolean readPacket(Frame frame, BlockType type, byte[] b, int p, int length, long blockOffset)
            throws CaptureFormatException {
        long interfaceId = type == BlockType.ENHANCED_PACKET
                ? Bytes.uint32(b, p + 8, bigEndian)
                : Bytes.uint16(b, p + 8, bigEndian);
        if (interfaceId >= interfaces.size()) {
            throw formatError(blockOffset, "packet refers to interface " + interfaceId + " but its section defines "
                    + interfaces.size() + " interfaces");
        }
        PcapngInterface iface = interfaces.get((int) interfaceId);
        long ticks = Bytes.uint32(b, p + 12, bigEndian) << 32 | Bytes.uint32(b, p + 16, bigEndian);
        long capturedLength = Bytes.uint32(b, p + 20, bigEndian);
        long originalLength = Bytes.uint32(b, p + 24, bigEndian);
        if (capturedLength > length - type.fixedLength) {
            throw formatError(blockOffset, "captured length " + capturedLength + " does not fit in a block of "
                    + length + " bytes");
        }
        long timeNanos = iface.timeNanos(ticks);
        if (!PacketTime.isSet(timeNanos)) {
            timestampProblems.count(TimestampProblems.Problem.TIME_OUT_OF_RANGE, blockOffset);
            return false;
        }
        lastTimeNanos = timeNanos;
        frame.set(b, p + 28, (int) capturedLength, (int) Math.min(originalLength, Integer.MAX_VALUE),
                lastTimeNanos, iface.linkType(), blockOffset);
        return true;
    }

    /**
     * The file ends inside a block read in place. A packet block cut short is a truncation only when the lengths
     * it declares are ones a capture could have written: a packet no longer than its interface's snapshot length
     * and its own original length, and a block no longer than that packet plus {@link #MAX_PACKET_OPTIONS_LENGTH}.
     * Otherwise its length is corrupt and merely points past the end. Other blocks, and packet blocks cut before
     * their lengths, are judged by their block length alone, which {@link #blockLength} has already bounded.
     */
    private void checkCutShortBlock(BlockType type, int length, long blockOffset) throws CaptureFormatException {
        byte[] b = in.buffer();
        int p = in.pos();
        int available = in.available();
        long captured;
        long original;
        PcapngInterface iface;
        if ((type == BlockType.ENHANCED_PACKET || type == BlockType.OBSOLETE_PACKET) && available >= 28) {
            long interfaceId = type == BlockType.ENHANCED_PACKET
                    ? Bytes.uint32(b, p + 8, bigEndian)
                    : Bytes.uint16(b, p + 8, bigEndian);
            iface = interfaceId < interfaces.size() ? interfaces.get((int) interfaceId) : null;
            captured = Bytes.uint32(b, p + 20, bigEndian);
            original = Bytes.uint32(b, p + 24, bigEndian);
        } else if (type == BlockType.SIMPLE_PACKET && available >= 12) {
            iface = interfaces.isEmpty() ? null : interfaces.get(0);
            original = Bytes.uint32(b, p + 8, bigEndian);
            // A simple packet's captured length is implied: its original length cut to the snapshot length.
            captured = Math.min(original, iface == null ? original : PcapReader.cutShortLimit(iface.snapLength()));
        } else {
            return;
        }
        String cut = " and the file ends inside the block: a corrupt length, not a cut-short capture";
        if (iface != null && captured > PcapReader.cutShortLimit(iface.snapLength())) {
            throw formatError(blockOffset, "captured length " + captured + " exceeds the snapshot length "
                    + iface.snapLength() + cut);
        }
        if (captured > original) {
            throw formatError(blockOffset, "captured length " + captured + " exceeds the original length "
                    + original + cut);
        }
        if (type != BlockType.SIMPLE_PACKET && type.fixedLength + captured > length) {
            throw formatError(blockOffset, "captured length " + captured + " does not fit in a block of "
                    + length + " bytes" + cut);
        }
        long padded = (captured + 3) & ~3L;
        long options = type == BlockType.SIMPLE_PACKET ? 0 : MAX_PACKET_OPTIONS_LENGTH;
        if (length > type.fixedLength + padded + options) {
            throw formatError(blockOffset, "block length " + length + " is far beyond its packet of " + captured
                    + " bytes" + cut);
        }
    }

    private void readSimplePacket(Frame frame, byte[] b, int p, int length, long blockOffset)
            throws CaptureFormatException {
        if (interfaces.isEmpty()) {
            throw formatError(blockOffset, "simple packet block before any interface description block");
        }
        PcapngInterface iface = interfaces.get(0);
        long originalLength = Bytes.uint32(b, p + 8, bigEndian);
        // The block has no captured length: it is the original length cut to the snapshot length, and the
        // block's own room (which also absorbs the padding) bounds it for files that disagree.
        long capturedLength = Math.min(originalLength, length - BlockType.SIMPLE_PACKET.fixedLength);
        if (iface.snapLength() > 0) {
            capturedLength = Math.min(capturedLength, iface.snapLength());
        }
        simplePackets++;
        // Simple packets carry no timestamp; repeating the previous one keeps packet time monotonic for expiry.
        frame.set(b, p + 12, (int) capturedLength, (int) Math.min(originalLength, Integer.MAX_VALUE),
                lastTimeNanos, iface.linkType(), blockOffset);
    }

    /** Skips a block without buffering it whole, so even a large unknown block never grows the buffer. */
    private boolean skipBlock(BlockType type, int code, long blockOffset) throws IOException {
        int length = blockLength(in.buffer(), in.pos(), bigEndian, type, blockOffset);
        if (type == BlockType.UNKNOWN && unknownBlocks++ == 0) {
            firstUnknownType = code;
            firstUnknownOffset = blockOffset;
        }
        if (in.discard(length - 4) < length - 4 || !in.request(4)) {
            return false;
        }
        long trailer = Bytes.uint32(in.buffer(), in.pos(), bigEndian);
        if (trailer != length) {
            throw trailerMismatch(blockOffset, length, trailer);
        }
        in.skip(4);
        return true;
    }

    /** Reads and validates the total length at the start of the block at {@code p}. */
    private int blockLength(byte[] b, int p, boolean big, BlockType type, long blockOffset)
            throws CaptureFormatException {
        long length = Bytes.uint32(b, p + 4, big);
        if (length < 12 || length % 4 != 0 || length > MAX_BLOCK_LENGTH) {
            throw formatError(blockOffset, "bad block length " + length
                    + " (must be a multiple of 4 from 12 to " + MAX_BLOCK_LENGTH + ")");
        }
        if (length < type.fixedLength) {
            throw formatError(blockOffset, "block length " + length + " is too short for a "
                    + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " block");
        }
        return (int) length;
    }

    private void checkTrailer(byte[] b, int p, int length, boolean big, long blockOffset)
            throws CaptureFormatException {
        long trailer = Bytes.uint32(b, p + length - 4, big);
        if (trailer != length) {
            throw trailerMismatch(blockOffset, length, trailer);
        }
    }

    private CaptureFormatException trailerMismatch(long blockOffset, int length, long trailer) {
        return formatError(blockOffset, "block length " + length + " at the start does not match "
                + trailer + " at the end");
    }

    private CaptureFormatException formatError(long offset, String reason) {
        return new CaptureFormatException(in.name(), offset, reason);
    }

    private void finish(long blockOffset) {
        finished = true;
        if (in.offset() + in.available() > blockOffset) {
            warnings.add(Truncation.insideRecord(blockOffset, packets));
        } else if (in.cutShort()) {
            warnings.add(Truncation.compressedStream(blockOffset, packets));
        }
    }

    @Override
    public String name() { return in.name(); }

    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>();
        if (unknownBlocks > 0) {
            all.add(String.format(Locale.ROOT, "skipped %d blocks of unknown type (first: type 0x%08x at byte %d)",
                    unknownBlocks, firstUnknownType, firstUnknownOffset));
        }
        if (simplePackets > 0) {
            all.add(simplePackets + " simple packet blocks carry no timestamp; each was given the time of the packet before it");
        }
        timestampProblems.addWarnings(all, "pcapng has no fraction field");
        all.addAll(warnings);
        return List.copyOf(all);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public long bytesRead() { return in.fileBytesRead(); }
}
