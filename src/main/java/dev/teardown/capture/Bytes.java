package dev.teardown.capture;

/** Integer reads from a byte array in either byte order, for capture headers parsed in place. */
final class Bytes {
    private Bytes() {}

    /** The unsigned 16-bit value at {@code i}. */
    static int uint16(byte[] b, int i, boolean bigEndian) {
        return bigEndian
                ? (b[i] & 0xff) << 8 | (b[i + 1] & 0xff)
                : (b[i + 1] & 0xff) << 8 | (b[i] & 0xff);
    }

    /** The 32-bit value at {@code i}, as Java's signed int. */
    static int int32(byte[] b, int i, boolean bigEndian) {
        return bigEndian
                ? (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff)
                : (b[i + 3] & 0xff) << 24 | (b[i + 2] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i] & 0xff);
    }

    /** The unsigned 32-bit value at {@code i}; lengths in capture files are unsigned. */
    static long uint32(byte[] b, int i, boolean bigEndian) {
        return int32(b, i, bigEndian) & 0xffff_ffffL;
    }

    /** The 64-bit value at {@code i}. */
    static long int64(byte[] b, int i, boolean bigEndian) {
        long first = uint32(b, i, bigEndian);
        long second = uint32(b, i + 4, bigEndian);
        return bigEndian ? first << 32 | second : second << 32 | first;
    }
}
