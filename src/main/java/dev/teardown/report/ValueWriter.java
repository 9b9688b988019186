package dev.teardown.report;

/**
 * Receives one column's value with its type, and renders it in one output format: the CSV writes text, JSON
 * typed values. A column calls exactly one method (or, for a list, {@link #listStart}, items, {@link #listEnd}).
 */
public interface ValueWriter {
    /** Not applicable: an empty CSV cell, JSON {@code null}. */
    void absent();

    /** A whole number. */
    void integer(long value);

    /** A duration, written as seconds with six decimals. */
    void seconds(long nanos);

    /** A packet time, written as ISO-8601 UTC with microseconds. */
    void time(long epochNanos);

    /** Text teardown chose (a label, an address, a version); an empty one is absent. */
    void label(String value);

    /** Text from the wire, which every format escapes its own way; an empty one is absent. */
    void untrusted(String value);

    /** {@code true} or {@code false}. */
    void bool(boolean value);

    /** Starts a list of names (possibly empty). */
    void listStart();

    /** One name of the list. */
    void item(String name);

    /** Ends the list. */
    void listEnd();
}
