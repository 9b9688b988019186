package dev.teardown.bench;

/** The defaults every benchmark shares: short enough that the whole suite runs in a few minutes. */
final class Settings {
    private Settings() {}

    /** The captures read by default: every sample in the repository. */
    static final String CAPTURE = "samples";
    /** Frames read from each capture at most, so that a large capture still fits in the heap. */
    static final int MAX_FRAMES = 2_000_000;
}
