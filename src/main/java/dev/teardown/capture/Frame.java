package dev.teardown.capture;

/**
 * One captured packet: a window into a buffer owned by the source, valid only until the source's next call.
 *
 * <p>Sources fill one instance over and over, so reading a file allocates nothing per packet.
 */
public final class Frame {
    private byte[] data = new byte[0];
    private int offset;
    private int capturedLength;
    private int originalLength;
    private long timeNanos;
    private int linkType;
    private long recordOffset;

    /** Points this frame at {@code capturedLength} bytes of {@code data} starting at {@code offset}. */
    public void set(byte[] data, int offset, int capturedLength, int originalLength,
                    long timeNanos, int linkType, long recordOffset) {
        this.data = data;
        this.offset = offset;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.timeNanos = timeNanos;
        this.linkType = linkType;
        this.recordOffset = recordOffset;
    }

    /** The buffer that holds the frame; shared, so never keep a reference past the next packet. */
    public byte[] data() { return data; }

    /** Index in {@link #data()} of the frame's first byte (the start of the link-layer header). */
    public int offset() { return offset; }

    /** Bytes present in the capture (at most the snapshot length). */
    public int capturedLength() { return capturedLength; }

    /** Bytes the packet had on the wire. */
    public int originalLength() { return originalLength; }

    /** Capture time, nanoseconds since the Unix epoch (UTC). */
    public long timeNanos() { return timeNanos; }

    /** The libpcap LINKTYPE_ value of the interface the frame was captured on. */
    public int linkType() { return linkType; }

    /** Byte offset of this record in the (decompressed) capture stream, for messages. */
    public long recordOffset() { return recordOffset; }
}
