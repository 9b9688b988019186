package dev.teardown.timewait;

import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Endpoint;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Teardown;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * TIME_WAIT, open connections and closes per server endpoint over time, told by the pipeline as the tracker
 * applies segments and hands connections on, and written as {@link TimelineRow}s once no connection still held
 * can change them (docs/output.md, "TIME_WAIT over time").
 *
 * <p>The rules, per server endpoint:
 * <ul>
 * <li>{@code open}: from the packet with which both sides have spoken (the SYN-ACK, or the first answer on a
 *     connection picked up mid-stream) until the first FIN or RST; a connection that never closes counts until
 *     it is written out (its last packet plus the idle timeout, or when it is evicted or its tuple is reused),
 *     and at the end of the input it still counts. An unanswered SYN is never open.
 * <li>{@code time_wait_server} / {@code time_wait_client}: from each side's own TIME_WAIT start until its
 *     end (cut short by a RST or an accepted SYN), exactly as that side's times, so a crossed close counts
 *     on both sides with each side's own times.
 * <li>closes: when the close completes (the second FIN) or a RST aborts the connection, by who sent the
 *     first FIN (crossed FINs: both), as the live status counts them; a close the capture does not see finish
 *     is not counted.
 * </ul>
 *
 * <p>When rows are written: the instants before both the current packet time and the earliest TIME_WAIT
 * start of any connection still held are final, because everything else is counted as it happens, in packet
 * time, and a TIME_WAIT is known only when its connection is handed on. So rows normally trail packet time by
 * one TIME_WAIT. A connection kept past its TIME_WAIT by stray packets may not hold rows back longer than
 * TIME_WAIT plus the idle timeout; what it changes after that is {@link #lateChanges() counted}. Memory holds
 * the connections held and the endpoints and changes of that window, not the capture.
 */
final class TimeWaitTimeline implements Part {
    private final long timeWaitNanos;
    private final long idleNanos;
    private final long maxLagNanos;
    private final StepCounts<ServerEndpoint> counts;
    /** Connections counted as open whose close has not begun, with their server endpoint. */
    private final Map<Connection<?>, ServerEndpoint> open = new IdentityHashMap<>();
    /** Connections with a side in TIME_WAIT that are still held: their earliest TIME_WAIT start. */
    private final Map<Connection<?>, Long> waiting = new IdentityHashMap<>();
    /** The values of {@link #waiting}, counted, for their minimum. */
    private final TreeMap<Long, Integer> waitingSince = new TreeMap<>();
    /** The smallest key of {@link #waitingSince}, or {@link Long#MAX_VALUE}. */
    private long earliestWaiting = Long.MAX_VALUE;
    private long now = PacketTime.UNSET;
    private boolean inputEnded;

    /**
     * A timeline with instants {@code stepNanos} apart, writing to {@code rows}.
     *
     * @param timeWaitNanos the TIME_WAIT length: the first one of the capture is {@code partial}
     * @param idleNanos how long the tracker keeps a silent unfinished connection
     */
    TimeWaitTimeline(long timeWaitNanos, long idleNanos, long stepNanos, Consumer<TimelineRow> rows) {
        this.timeWaitNanos = timeWaitNanos;
        this.idleNanos = idleNanos;
        this.maxLagNanos = timeWaitNanos + idleNanos;
        this.counts = StepCounts.forEndpoints(stepNanos, rows);
    }

    /** The tracker has applied {@code seg} to {@code c}: a connection may have opened or begun to close. */
    @Override
    public void onSegment(Connection<?> c, TcpSegment seg) {
        long t = seg.timeNanos;
        if (!counts.started()) counts.start(t, t + timeWaitNanos);
        Side from = c.senderOf(seg);
        boolean closing = PacketTime.isSet(c.firstCloseNanos());
        if (c.endpoint(from).packets() == 1 && c.endpoint(from.other()).packets() > 0 && !closing) {
            ServerEndpoint key = ServerEndpoint.of(c);
            open.put(c, key);
            counts.change(key, Count.OPEN, t, 1);
        }
        if (closing && seg.has(TcpSegment.FIN | TcpSegment.RST)) {
            ServerEndpoint key = open.remove(c);
            if (key != null) counts.change(key, Count.OPEN, c.firstCloseNanos(), -1);
        }
        advanceTo(t);
    }

    /** {@code c}'s close completed or a RST aborted it, at {@code nanos} (the tracker's {@code closed}). */
    @Override
    public void closed(Connection<?> c, long nanos) {
        Count kind = c.wasReset() ? Count.RESETS : switch (Teardown.initiator(c)) {
            case CLIENT -> Count.CLOSES_CLIENT;
            case SERVER -> Count.CLOSES_SERVER;
            case BOTH -> Count.CLOSES_BOTH;
            case NONE -> null; // Both sides' states final without a FIN or RST: nothing closed.
        };
        if (kind != null) counts.change(ServerEndpoint.of(c), kind, nanos, 1);
    }

    /** A side of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}: rows from then on wait for it. */
    @Override
    public void timeWaitStarted(Connection<?> c, Side side, long nanos) {
        Long since = waiting.get(c);
        if (since != null && since <= nanos) return;
        if (since != null) forget(since);
        waiting.put(c, nanos);
        waitingSince.merge(nanos, 1, Integer::sum);
        earliestWaiting = Math.min(earliestWaiting, nanos);
    }

    /** {@code c} is handed on at packet time {@code nowNanos}: its TIME_WAIT times are final. */
    @Override
    public void finished(Connection<?> c, FlowRecord r, long nowNanos) {
        ServerEndpoint key = open.remove(c);
        if (key != null && !inputEnded) {
            counts.change(key, Count.OPEN, Math.min(nowNanos, c.lastNanos() + idleNanos), -1);
        }
        Long since = waiting.remove(c);
        if (since != null) forget(since);
        for (Side side : Side.values()) {
            Endpoint e = c.endpoint(side);
            if (PacketTime.isSet(e.timeWaitStartNanos())) {
                if (key == null) key = ServerEndpoint.of(c);
                counts.during(key, side == Side.SERVER ? Count.TIME_WAIT_SERVER : Count.TIME_WAIT_CLIENT,
                    e.timeWaitStartNanos(), e.timeWaitEndNanos(timeWaitNanos));
            }
        }
    }

    /** Packet time has reached {@code nowNanos}: writes the rows that became final. */
    @Override
    public void advanceTo(long nowNanos) {
        if (nowNanos > now) now = nowNanos;
        long horizon = Math.max(Math.min(now, earliestWaiting), now - maxLagNanos);
        // Most packets make no instant final: skip the division and the walk then.
        if (horizon > counts.nextInstantNanos()) counts.writeBefore(horizon);
    }

    /**
     * The input ends: the connections handed on from now on are still open at its end. Call before the tracker
     * hands on the connections it holds, then {@link #finish}.
     */
    @Override
    public void endOfInput() {
        inputEnded = true;
    }

    /** Writes every instant up to the one at or after the last packet. */
    @Override
    public void finish() {
        counts.writeThrough(now);
    }

    /** Forgets everything not yet written, and writes nothing more: the connections held were dropped. */
    @Override
    public void discardHeld() {
        open.clear();
        waiting.clear();
        waitingSince.clear();
        earliestWaiting = Long.MAX_VALUE;
        counts.discard();
    }

    /** Changes that came after their row was written, and were counted from the next row on. */
    public long lateChanges() {
        return counts.late();
    }

    /** A warning line for the summary when {@link #lateChanges} is not zero, else null. */
    @Override
    public String warning() {
        long late = lateChanges();
        if (late == 0) return null;
        return String.format(Locale.ROOT, "%,d timeline changes came after their row was written (timestamps going "
            + "backwards, or a closed connection kept alive by stray packets); each was counted from the next row",
            late);
    }

    private void forget(long since) {
        waitingSince.computeIfPresent(since, (k, n) -> n == 1 ? null : n - 1);
        if (since == earliestWaiting) earliestWaiting = waitingSince.isEmpty() ? Long.MAX_VALUE : waitingSince.firstKey();
    }
}
