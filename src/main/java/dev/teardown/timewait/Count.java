package dev.teardown.timewait;

import java.util.Locale;

/**
 * One number the timeline gives per server endpoint and instant: a population (connections in a state at the
 * instant) or a count of closes in the step that ends at the instant. The order is the CSV's column order.
 */
public enum Count {
    /** Connections both sides have spoken on, whose close has not begun (no FIN or RST yet). */
    OPEN(true),
    /** Connections whose server side is in TIME_WAIT. */
    TIME_WAIT_SERVER(true),
    /** Connections whose client side is in TIME_WAIT. */
    TIME_WAIT_CLIENT(true),
    /** Closes that completed in the step, the client's FIN first. */
    CLOSES_CLIENT(false),
    /** Closes that completed in the step, the server's FIN first. */
    CLOSES_SERVER(false),
    /** Closes that completed in the step with crossed FINs. */
    CLOSES_BOTH(false),
    /** Connections a RST aborted in the step. */
    RESETS(false);

    private final boolean population;

    Count(boolean population) {
        this.population = population;
    }

    /** Whether this is a population at the instant (carried from one instant to the next), not a count per step. */
    public boolean population() {
        return population;
    }

    /** The CSV header: the constant's name in lower case. */
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
