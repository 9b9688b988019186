package dev.teardown.fuzz;

/**
 * How long each fuzz test fuzzes when {@code JAZZER_FUZZ=1} is set: short enough that CI runs all six
 * targets within three minutes; {@code -Djazzer.max_duration=...} overrides it for longer runs. Without
 * {@code JAZZER_FUZZ} (a plain {@code mvn verify}) each target only replays its seed inputs.
 */
final class FuzzDurations {
    private FuzzDurations() {}

    static final String CI = "20s";
}
