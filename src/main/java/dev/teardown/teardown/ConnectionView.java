package dev.teardown.teardown;

/**
 * What the stages that account across connections (the TIME_WAIT stage) may read of a connection, and nothing
 * that changes it: a live {@link Connection} is one, and so is a {@link ConnectionSnapshot}, the same figures as
 * they stood when an event happened, read on another thread while the connection moves on.
 */
public interface ConnectionView {
    /** The connection's id: unique in a run, in order of first packet. */
    long id();

    int ipVersion();

    long clientHi();

    long clientLo();

    int clientPort();

    long serverHi();

    long serverLo();

    int serverPort();

    long firstNanos();

    long lastNanos();

    /** When the close began: the first FIN or RST of either side, or {@link dev.teardown.capture.PacketTime#UNSET}. */
    long firstCloseNanos();

    /** True when a RST aborted the connection (not merely ended a TIME-WAIT). */
    boolean wasReset();

    /** Who closed first, by the ACK rule ({@link Teardown#initiator}). */
    Sides initiator();

    /** Segments {@code side} sent. */
    long packets(Side side);

    /** When {@code side}'s TIME-WAIT began (its last restart), or {@link dev.teardown.capture.PacketTime#UNSET}. */
    long timeWaitStartNanos(Side side);

    /** When {@code side}'s TIME-WAIT ended or will end, given its length; UNSET if it never entered it. */
    long timeWaitEndNanos(Side side, long timeWaitNanos);

    /** The newest TSval {@code side} sent, by signed 32-bit order; meaningful once {@link #tsRecentNanos} is set. */
    int tsRecent(Side side);

    /** When the newest TSval {@code side} sent came, or {@link dev.teardown.capture.PacketTime#UNSET}. */
    long tsRecentNanos(Side side);
}
