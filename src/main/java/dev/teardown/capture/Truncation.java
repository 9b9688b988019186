package dev.teardown.capture;

/** The warning lines for a capture that stops early, shared so that every format words them the same way. */
final class Truncation {
    private Truncation() {}

    /** A capture cut inside its last record, which is what a killed tcpdump leaves behind. */
    static String insideRecord(long recordOffset, long packets) {
        return "capture ends inside a record at byte " + recordOffset + " (truncated file); "
                + packets + " complete packets read";
    }

    /** A compressed capture whose compressed stream stops early, though at a record boundary. */
    static String compressedStream(long offset, long packets) {
        return "compressed stream ends early at byte " + offset + " (truncated file); "
                + packets + " complete packets read";
    }
}
