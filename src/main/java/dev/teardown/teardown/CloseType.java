package dev.teardown.teardown;

/** How a connection ended; the words are the CSV's {@code close_type} values (docs/output.md). */
public enum CloseType {
    /** Both FINs sent and acknowledged; one side closed first. */
    FIN("fin"),
    /** Like {@link #FIN}, but the second side kept sending data after the first FIN. */
    HALF_CLOSE("half-close"),
    /** The FINs crossed: neither acknowledged the other, both sides hold TIME-WAIT. */
    SIMULTANEOUS("simultaneous"),
    /** A FIN was seen but the close did not finish within the capture: the holder is expected, not seen. */
    FIN_INCOMPLETE("fin-incomplete"),
    /** A FIN, then a RST aborted the connection before it closed cleanly. */
    FIN_RST("fin-rst"),
    /** A RST with no FIN before it (including a refused SYN). */
    RST("rst"),
    /** Neither FIN nor RST seen. */
    NONE("none");

    private final String label;

    CloseType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
