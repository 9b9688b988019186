package dev.teardown.pipeline;

/**
 * Told now and then, on the reading thread, how far the analysis of files has got: what a progress display
 * needs. It only observes; nothing it does reaches an output.
 */
public interface ReadProgress {
    /** Nobody is watching. */
    ReadProgress NONE = new ReadProgress() {
        @Override
        public int packetsBetweenCalls() { return Integer.MAX_VALUE; }

        @Override
        public void reached(long bytesRead, long packets, int connectionsHeld, long connectionsWritten, String file) { }
    };

    /**
     * How many packets pass between two calls of {@link #reached}: per packet the loop only counts down,
     * so a clock is read at most once per this many packets.
     */
    int packetsBetweenCalls();

    /**
     * The state so far.
     *
     * @param bytesRead bytes taken from the capture files so far (compressed bytes for gzip), summed over files
     * @param file the file being read (as the source names it)
     */
    void reached(long bytesRead, long packets, int connectionsHeld, long connectionsWritten, String file);
}
