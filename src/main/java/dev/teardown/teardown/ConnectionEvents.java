package dev.teardown.teardown;

/**
 * What happens to connections, told by the tracker as it happens (in packet time), so the stages that
 * account across connections (the live status, TIME_WAIT over time, metrics) listen instead of living inside
 * the tracker.
 *
 * <p>Every method but {@link #finished} has an empty default: a listener overrides what it counts.
 */
public interface ConnectionEvents<S> {

    /** {@code c}'s close completed (both FINs seen) or a RST aborted it, at packet time {@code nanos}; once per connection. */
    default void closed(Connection<S> c, long nanos) { }

    /** {@code side} of {@code c} entered TIME-WAIT at {@code nanos}, or restarted it (a retransmitted FIN). */
    default void timeWaitStarted(Connection<S> c, Side side, long nanos) { }

    /**
     * {@code side} of {@code c} left TIME-WAIT at {@code nanos}: after its full length, or cut short by a RST or
     * an accepted SYN. Told when {@code c} is finished, when that end is final.
     */
    default void timeWaitEnded(Connection<S> c, Side side, long nanos) { }

    /** {@code next} opened on the 4-tuple while {@code previous} was still in TIME-WAIT, at {@code nanos}. */
    default void tupleReused(Connection<S> previous, Connection<S> next, long nanos) { }

    /**
     * {@code c}'s timeout passed (its TIME-WAIT is over, or it was idle too long): {@link #finished} follows for
     * any earlier lifetime of its tuple it still holds, then for {@code c}. Lets a listener tell which expiry
     * wrote a connection.
     */
    default void timedOut(Connection<S> c) { }

    /** {@code c} is written out early because the table was full; {@link #finished} follows. */
    default void evicted(Connection<S> c) { }

    /** {@code c} will not change any more: its record can be built. Exactly once per connection. */
    void finished(Connection<S> c);
}
