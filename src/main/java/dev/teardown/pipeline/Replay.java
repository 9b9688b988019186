package dev.teardown.pipeline;

import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionSnapshot;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;

/**
 * The TIME_WAIT stage of a parallel analysis, told on the merger thread exactly what one thread's pipeline tells
 * it, in the same order: the events the workers recorded (each through the {@link ConnectionSnapshot} copied when it
 * happened, with the connection's {@link TimeWaitState}, which no other thread touches), and the time of every
 * segment they did not record (bare ACKs, which only let time pass). The {@link Merger} hands it the events in one
 * thread's order, packet by packet.
 *
 * <p>Allocates nothing per event: two views and one segment are pointed at event after event. What the workers ran
 * beside the tracker ({@link TimeWaitStage#follow}) is not run again: an idle gap it found comes as an event of its
 * own ({@link WorkerOutput#GAP}), without a copy of its connection.
 */
final class Replay {
    private static final Side[] SIDES = Side.values();
    private final TimeWaitStage stage;
    private final ConnectionSnapshot view = new ConnectionSnapshot();
    private final ConnectionSnapshot nextView = new ConnectionSnapshot();
    private final TcpSegment segment = new TcpSegment();
    /** The global index of the last packet whose segment the stage was told. */
    private long told;
    /** The packet time one thread's tracker has reached: the latest of the packets' and advances' times so far. */
    private long now = dev.teardown.capture.PacketTime.UNSET;
    private boolean discarded;

    Replay(TimeWaitStage stage) {
        this.stage = stage;
    }

    /** Tells the stage event {@code e} of {@code o}, a worker's output for {@code b}; {@code record} if it is a record. */
    void event(Batch b, WorkerOutput o, int e, FlowRecord record) {
        TimeWaitState state = o.states[e];
        if (o.kinds[e] == WorkerOutput.GAP) {
            // Then the segment's own event, if it has one, or its time (packetDone), as one thread goes on.
            stage.idleGap(state, o.nanos[e], b.time[o.details[e]]);
            return;
        }
        ConnectionView c = o.subjects[e];
        int at = o.figuresAt[e];
        if (at < 0) throw new IllegalStateException("an event without its snapshot: the workers were not recording");
        ConnectionSnapshot v = view.of(c, o.figures, at);
        long nanos = o.nanos[e];
        switch (o.kinds[e]) {
            case WorkerOutput.FINISHED -> stage.finished(v, state, record, nanos);
            case WorkerOutput.CLOSED -> stage.closed(v, state, nanos);
            case WorkerOutput.TIME_WAIT_STARTED -> stage.timeWaitStarted(v, state, SIDES[o.details[e]], nanos);
            case WorkerOutput.TUPLE_REUSED -> stage.tupleReused(v, state,
                nextView.of(o.nexts[e], o.figures, at + ConnectionSnapshot.LONGS), o.nextStates[e], nanos);
            case WorkerOutput.SEGMENT -> {
                int i = o.details[e] >>> 1;
                stage.told(v, state, b.segment(i, segment), SIDES[o.details[e] & 1]); // the worker ran follow()
                told = b.index[i];
            }
            default -> throw new IllegalStateException("event kind " + o.kinds[e]);
        }
    }

    /** Every event up to and with packet {@code at}, at {@code nanos}, was told: a segment not told lets time pass. */
    void packetDone(long at, long nanos) {
        if (nanos > now) now = nanos;
        if (told != at) stage.bareAck(nanos);
    }

    /**
     * A quiet live capture let time pass to {@code nanos} ({@link Batch#advance}), after the expiries it caused: the
     * stage is told the tracker's time then, as {@link Pipeline#advanceTo} tells it.
     */
    void advanced(long nanos) {
        if (nanos > now) now = nanos;
        stage.advanceTo(now);
    }

    /** The input ends: before the connections still held are finished. */
    void endOfInput() {
        stage.endOfInput();
    }

    /** Every connection was finished: the figures are final. */
    void finish() {
        stage.finish();
    }

    /** The run is being abandoned: the connections held were dropped, as one thread tells the stage (once). */
    void discardHeld() {
        if (discarded) return;
        discarded = true;
        stage.discardHeld();
    }
}
