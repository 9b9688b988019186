package dev.teardown.teardown;

/** The two roles of a connection: the client (SYN sender) and the server. */
public enum Side {
    CLIENT,
    SERVER;

    /**
     * Both sides, for this package's per-connection loops: {@code values()} copies its array at every call.
     * Never written to.
     */
    static final Side[] BOTH = values();

    /** The peer of this side. */
    public Side other() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /** The lower-case word used in outputs. */
    public String label() {
        return this == CLIENT ? "client" : "server";
    }
}
