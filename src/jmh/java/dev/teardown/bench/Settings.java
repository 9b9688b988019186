package dev.teardown.bench;

/** The defaults every benchmark shares: short enough that the whole suite runs in a few minutes. */
final class Settings {
    private Settings() {}

    /** The captures read by default: bench/work/capture.pcap when present, else every sample. */
    static final String CAPTURE = "auto";
    /** Frames read from each capture at most, so that a large capture still fits in the heap. */
    static final int MAX_FRAMES = 4_000_000;
}
