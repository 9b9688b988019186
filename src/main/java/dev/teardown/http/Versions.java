package dev.teardown.http;

/** The ten HTTP/1.x version strings, so reporting a version never allocates. */
final class Versions {
    private Versions() {}

    private static final String[] TEXT = {
        "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9",
    };

    static String text(int minor) {
        return minor >= 0 && minor < TEXT.length ? TEXT[minor] : "";
    }
}
