package dev.teardown.teardown;

/** The two roles of a connection: the client (SYN sender) and the server. */
public enum Side {
    CLIENT,
    SERVER;

    /** The peer of this side. */
    public Side other() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /** The lower-case word used in outputs. */
    public String label() {
        return this == CLIENT ? "client" : "server";
    }
}
