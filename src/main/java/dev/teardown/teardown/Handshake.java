package dev.teardown.teardown;

/** How much of the three-way handshake the capture holds; the CSV's {@code handshake} values. */
public enum Handshake {
    /** SYN, SYN-ACK and the client's ACK of it. */
    FULL("full"),
    /** SYN and SYN-ACK, but no ACK of the SYN-ACK seen. */
    SYN_SYNACK("syn-synack"),
    /** Only the client's SYN. */
    SYN("syn"),
    /** Only the server's SYN-ACK: the SYN was not captured; the client is the SYN-ACK's receiver. */
    SYNACK("synack"),
    /** No SYN at all: the capture began mid-stream; the client was chosen by port and payload evidence. */
    MIDSTREAM("midstream");

    private final String label;

    Handshake(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
