package dev.teardown.teardown;

/** Which sides a label applies to: none, the client, the server, or both. */
public enum Sides {
    NONE, CLIENT, SERVER, BOTH;

    /** Made once: {@link #label} is written into every output row. */
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The value for the two yes/no answers. */
    public static Sides of(boolean client, boolean server) {
        return client ? (server ? BOTH : CLIENT) : (server ? SERVER : NONE);
    }

    /** The single side, for CLIENT or SERVER. */
    public static Sides of(Side side) {
        return side == Side.CLIENT ? CLIENT : SERVER;
    }

    /** Whether {@code side} is included. */
    public boolean includes(Side side) {
        return this == BOTH || (side == Side.CLIENT ? this == CLIENT : this == SERVER);
    }

    /** The lower-case word used in outputs. */
    public String label() {
        return label;
    }
}
