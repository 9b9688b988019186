package dev.teardown.timewait;

import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;

/**
 * One accounting of the TIME_WAIT stage (the timeline, the timestamp clocks, the what-if ...): told what the
 * stage is told, in packet time, with the connection's {@link TimeWaitState} (where a part keeps what it needs of
 * that connection), and never changing a connection. The connection is a {@link ConnectionView}: on several threads
 * a snapshot re-pointed at the next event after the call, so a part keeps figures or the id, never the view. Every
 * method has an empty default.
 */
interface Part {
    /** The tracker has applied {@code seg} to {@code c}. */
    default void onSegment(ConnectionView c, TimeWaitState s, TcpSegment seg) { }

    /** {@code c}'s close completed or a RST aborted it, at {@code nanos}. */
    default void closed(ConnectionView c, TimeWaitState s, long nanos) { }

    /** {@code side} of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}. */
    default void timeWaitStarted(ConnectionView c, TimeWaitState s, Side side, long nanos) { }

    /** {@code next} opened on the 4-tuple while {@code previous} was in TIME_WAIT, at {@code nanos}. */
    default void tupleReused(ConnectionView previous, TimeWaitState ps, ConnectionView next, TimeWaitState ns,
                             long nanos) { }

    /** {@code c} is handed on at packet time {@code nowNanos} as record {@code r}: nothing of it changes any more. */
    default void finished(ConnectionView c, TimeWaitState s, FlowRecord r, long nowNanos) { }

    /** Packet time has reached {@code nowNanos}. */
    default void advanceTo(long nowNanos) { }

    /** The input ends: the connections handed on from now on were still open at its end. */
    default void endOfInput() { }

    /** Every connection was handed on: final figures. */
    default void finish() { }

    /** The connections held were dropped unwritten (the heap ran out): forget what waits for them. */
    default void discardHeld() { }

    /** A warning line for the summary, or null. */
    default String warning() { return null; }
}
