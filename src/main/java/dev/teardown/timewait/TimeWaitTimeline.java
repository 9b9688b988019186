package dev.teardown.timewait;

import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.capture.PacketTime;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;
import dev.teardown.decode.Anomaly;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    /** The keys counted by, shared with the other parts of the stage. */
    private final Interned interned;
    private final long timeWaitNanos;
    private final long idleNanos;
    private final long maxLagNanos;
    private final long stepNanos;
    private final StepCounts<ServerEndpoint> counts;
    /** TIME_WAIT per host, held as server and as client: what {@code tcp_max_tw_buckets} bounds. */
    private final StepCounts<Host> hostCounts;
    /** Client-held TIME_WAIT per client address and server endpoint: ephemeral-port pressure. */
    private final StepCounts<ClientServer> pairCounts;
    /** Per host, the TIME_WAIT that accepted tuple reuse cut short: what the population would have held more. */
    private final StepCounts<Host> cutCounts;
    private final Courses<Host> cutCourses;
    private long enteredTotal;
    private final Courses<ServerEndpoint> endpointCourses;
    private final Courses<Host> hostCourses;
    private final Courses<ClientServer> pairCourses;
    private long first = PacketTime.UNSET;
    private long reuseAccepted;
    private long reuseRefused;
    private long reuseCutNanos;
    /** The earliest TIME_WAIT start of each connection held with a side in TIME_WAIT, counted, for their minimum. */
    private final WaitingCounts waiting;
    /** {@link WaitingCounts#min()} as last asked, and whether a start was added or removed since. */
    private long waitingMin = Long.MAX_VALUE;
    private boolean waitingChanged;
    private long now = PacketTime.UNSET;
    private boolean inputEnded;

    /**
     * A timeline with instants {@code stepNanos} apart, writing to {@code rows}.
     *
     * @param timeWaitNanos the TIME_WAIT length: the first one of the capture is {@code partial}
     * @param idleNanos how long the tracker keeps a silent unfinished connection
     */
    /** A timeline with keys of its own (a stage shares one {@link Interned} between its parts). */
    TimeWaitTimeline(long timeWaitNanos, long idleNanos, long stepNanos, Consumer<TimelineRow> rows) {
        this(timeWaitNanos, idleNanos, stepNanos, rows, new Interned());
    }

    TimeWaitTimeline(long timeWaitNanos, long idleNanos, long stepNanos, Consumer<TimelineRow> rows,
                     Interned interned) {
        this.interned = interned;
        this.timeWaitNanos = timeWaitNanos;
        this.idleNanos = idleNanos;
        this.maxLagNanos = timeWaitNanos + idleNanos;
        this.stepNanos = stepNanos;
        this.waiting = new WaitingCounts(stepNanos);
        endpointCourses = new Courses<>(KEPT, true, stepNanos);
        hostCourses = new Courses<>(KEPT, false, stepNanos);
        pairCourses = new Courses<>(KEPT, false, stepNanos);
        this.counts = new StepCounts<>(stepNanos, new StepCounts.Rows<ServerEndpoint>() {
            @Override
            public void row(long t, ServerEndpoint key, long[] values, boolean partial) {
                rows.accept(new TimelineRow(t, key.ip(), key.port(), values, partial));
                endpointCourses.row(t, key, values, partial);
            }

            @Override
            public void retired(ServerEndpoint key) {
                endpointCourses.retired(key);
            }
        });
        this.hostCounts = new StepCounts<>(stepNanos, hostCourses);
        this.pairCounts = new StepCounts<>(stepNanos, pairCourses);
        cutCourses = new Courses<>(KEPT, false, stepNanos);
        this.cutCounts = new StepCounts<>(stepNanos, cutCourses);
    }

    /** Side.values() without its copy per call (the launcher's C1 compiler does not remove it). */
    private static final Side[] SIDES = Side.values();

    /** Keys kept per table once they hold nothing (see {@link Courses}). */
    static final int KEPT = 4096;

    /** Starts the instants at the capture's first packet, at {@code t}; once, before anything else. */
    void start(long t) {
        first = t;
        for (StepCounts<?> sc : List.of(counts, hostCounts, pairCounts, cutCounts)) sc.start(t, t + timeWaitNanos);
        long origin = -Math.floorDiv(-t, stepNanos) * stepNanos;
        endpointCourses.start(origin);
        hostCourses.start(origin);
        pairCourses.start(origin);
        cutCourses.start(origin);
    }

    /** Both sides of {@code c} have spoken, at {@code t}, before any close: it counts as open from now. */
    void opened(ConnectionView c, TimeWaitState s, long t) {
        s.open = true;
        counts.change(interned.server(c, s), Count.OPEN, t, 1);
    }

    /** A FIN or RST of {@code c}, counted as open, came after its first close at {@code closeNanos}. */
    void closing(ConnectionView c, TimeWaitState s, long closeNanos) {
        s.open = false;
        counts.change(interned.server(c, s), Count.OPEN, closeNanos, -1);
    }

    /** {@code c}'s close completed or a RST aborted it, at {@code nanos} (the tracker's {@code closed}). */
    @Override
    public void closed(ConnectionView c, TimeWaitState s, long nanos) {
        Count kind = c.wasReset() ? Count.RESETS : switch (c.initiator()) {
            case CLIENT -> Count.CLOSES_CLIENT;
            case SERVER -> Count.CLOSES_SERVER;
            case BOTH -> Count.CLOSES_BOTH;
            case NONE -> null; // Both sides' states final without a FIN or RST: nothing closed.
        };
        if (kind != null) counts.change(interned.server(c, s), kind, nanos, 1);
    }

    /** A side of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}: rows from then on wait for it. */
    @Override
    public void timeWaitStarted(ConnectionView c, TimeWaitState s, Side side, long nanos) {
        long since = s.waitingSince;
        if (PacketTime.isSet(since)) {
            if (since <= nanos) return;
            waiting.remove(since);
        }
        s.waitingSince = nanos;
        waiting.add(nanos);
        waitingChanged = true;
    }

    /**
     * Whether handing {@code s}'s connection on may let rows be written sooner: its TIME_WAIT start is waiting and
     * was the earliest (or the earliest is not known since the last change). Ask before {@link #finished}.
     */
    boolean mayHasten(TimeWaitState s) {
        return PacketTime.isSet(s.waitingSince) && (waitingChanged || s.waitingSince <= waitingMin);
    }

    /** {@code c} is handed on at packet time {@code nowNanos}: its TIME_WAIT times are final. */
    @Override
    public void finished(ConnectionView c, TimeWaitState s, FlowRecord r, long nowNanos) {
        ServerEndpoint key = interned.server(c, s);
        if (s.open && !inputEnded) {
            counts.change(key, Count.OPEN, Math.min(nowNanos, c.lastNanos() + idleNanos), -1);
        }
        if (PacketTime.isSet(s.waitingSince)) {
            waiting.remove(s.waitingSince);
            waitingChanged = true;
        }
        s.waitingSince = PacketTime.UNSET;
        for (Side side : SIDES) {
            long from = c.timeWaitStartNanos(side);
            if (!PacketTime.isSet(from)) continue;
            long to = c.timeWaitEndNanos(side, timeWaitNanos);
            Count held = side == Side.SERVER ? Count.TIME_WAIT_SERVER : Count.TIME_WAIT_CLIENT;
            Courses.Tally entered = side == Side.SERVER ? Courses.Tally.ENTERED_SERVER : Courses.Tally.ENTERED_CLIENT;
            Host host = side == Side.SERVER ? interned.serverHost(c, s) : interned.client(c, s);
            enteredTotal++;
            counts.during(key, held, from, to);
            hostCounts.during(host, held, from, to);
            endpointCourses.tally(key, entered, 1);
            hostCourses.tally(host, entered, 1);
            if (side == Side.CLIENT) {
                ClientServer pair = pair(c, s);
                pairCounts.during(pair, held, from, to);
                pairCourses.tally(pair, entered, 1);
            }
        }
        if (r != null && r.tupleReuse()) {
            // The SYN that met the TIME_WAIT was refused (a bare ACK answered it; the retry then got through
            // once the client's RST ended the TIME_WAIT), or accepted at once.
            boolean refused = r.anomalies().contains(Anomaly.SYN_TO_TIME_WAIT_REJECTED);
            if (refused) reuseRefused++;
            else reuseAccepted++;
            pairCourses.tally(pair(c, s), refused ? Courses.Tally.REUSE_REFUSED : Courses.Tally.REUSE_ACCEPTED, 1);
        }
    }

    /**
     * {@code next} reused {@code previous}'s tuple while it was in TIME_WAIT: each holder's TIME_WAIT ends now
     * (the SYN accepted, RFC 6191; or refused, and the client's RST that follows ends it), short of its full
     * length by what is counted as cut. Accepted and refused are told apart when {@code next} is finished.
     */
    @Override
    public void tupleReused(ConnectionView previous, TimeWaitState ps, ConnectionView next, TimeWaitState ns,
                            long nanos) {
        for (Side side : SIDES) {
            long start = previous.timeWaitStartNanos(side);
            if (!PacketTime.isSet(start) || start + timeWaitNanos <= nanos) continue;
            reuseCutNanos += start + timeWaitNanos - nanos;
            Host host = side == Side.SERVER ? interned.serverHost(previous, ps) : interned.client(previous, ps);
            cutCounts.during(host, side == Side.SERVER ? Count.TIME_WAIT_SERVER : Count.TIME_WAIT_CLIENT, nanos,
                start + timeWaitNanos);
        }
    }

    private ClientServer pair(ConnectionView c, TimeWaitState s) {
        return interned.pair(interned.client(c, s), interned.server(c, s));
    }

    /** Packet time has reached {@code nowNanos}: writes the rows that became final. */
    @Override
    public void advanceTo(long nowNanos) {
        if (nowNanos > now) now = nowNanos;
        if (waitingChanged) { // asked once per change, not per packet
            waitingMin = waiting.min();
            waitingChanged = false;
        }
        long horizon = Math.max(Math.min(now, waitingMin), now - maxLagNanos);
        // Most packets make no instant final: skip the division and the walk then.
        if (horizon > counts.nextInstantNanos()) {
            counts.writeBefore(horizon);
            hostCounts.writeBefore(horizon);
            pairCounts.writeBefore(horizon);
            cutCounts.writeBefore(horizon);
        }
    }

    /**
     * The packet time from which {@link #advanceTo} may write a row, while the TIME_WAIT starts waiting stay as they
     * are: the horizon passes the next instant once packet time does and the earliest start waiting is past it, or
     * once packet time is the longest lag past it.
     */
    long dueNanos() {
        long next = counts.nextInstantNanos();
        if (next == Long.MAX_VALUE) return Long.MAX_VALUE;
        if (waitingChanged) {
            waitingMin = waiting.min();
            waitingChanged = false;
        }
        long byLag = next > Long.MAX_VALUE - maxLagNanos - 1 ? Long.MAX_VALUE : next + maxLagNanos + 1;
        return waitingMin > next ? Math.min(next + 1, byLag) : byLag;
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
        hostCounts.writeThrough(now);
        pairCounts.writeThrough(now);
        cutCounts.writeThrough(now);
    }

    /** Forgets everything not yet written, and writes nothing more: the connections held were dropped. */
    @Override
    public void discardHeld() {
        waiting.clear(); // the connections, and their states with them, are dropped by the tracker
        waitingChanged = true;
        counts.discard();
        hostCounts.discard();
        pairCounts.discard();
        cutCounts.discard();
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

    /** The figures so far (final after {@link #finish}), against {@code limits}, with the stage's other parts' figures. */
    TimeWaitFigures figures(TimeWaitFigures.Limits limits, ClockFigures clocks, List<WhatIfRow> whatIf) {
        // The instants written: from the first at or after the first packet to the first at or after the last.
        long instants = PacketTime.isSet(first)
            ? Math.floorDiv(-first, stepNanos) - Math.floorDiv(-now, stepNanos) + 1 : 0;
        List<TimeWaitFigures.HostRow> hosts = new ArrayList<>();
        for (Courses.Entry<Host> e : top(hostCourses)) {
            hosts.add(new TimeWaitFigures.HostRow(e.key.ip(), e.peak(Courses.SERVER, instants),
                e.peak(Courses.CLIENT, instants), e.peak(Courses.TOTAL, instants),
                e.tally(Courses.Tally.ENTERED_SERVER), e.tally(Courses.Tally.ENTERED_CLIENT)));
        }
        List<TimeWaitFigures.EndpointRow> endpoints = new ArrayList<>();
        for (Courses.Entry<ServerEndpoint> e : top(endpointCourses)) {
            endpoints.add(new TimeWaitFigures.EndpointRow(e.key.ip(), e.key.port(), e.peak(Courses.SERVER, instants),
                e.peak(Courses.CLIENT, instants), e.tally(Courses.Tally.ENTERED_SERVER),
                e.tally(Courses.Tally.ENTERED_CLIENT), e.shape(Courses.SERVER, now), e.shape(Courses.CLIENT, now)));
        }
        List<TimeWaitFigures.PortPressure> ports = new ArrayList<>();
        for (Courses.Entry<ClientServer> e : top(pairCourses)) {
            if (e.peak[Courses.CLIENT] == 0 && e.tally(Courses.Tally.REUSE_ACCEPTED) == 0
                && e.tally(Courses.Tally.REUSE_REFUSED) == 0) continue;
            ports.add(new TimeWaitFigures.PortPressure(e.key.client().ip(), e.key.server().ip(), e.key.server().port(),
                e.peak(Courses.CLIENT, instants), e.tally(Courses.Tally.ENTERED_CLIENT),
                e.tally(Courses.Tally.REUSE_ACCEPTED), e.tally(Courses.Tally.REUSE_REFUSED)));
        }
        // Within the capture only: the cut TIME_WAIT summed over its instants, whatever host held it.
        double lowered = 0;
        for (Courses.Entry<Host> e : cutCourses.ranked()) lowered += e.peak(Courses.TOTAL, instants).mean();
        return new TimeWaitFigures(timeWaitNanos, stepNanos, first, now, hosts, endpoints, ports,
            hostCourses.forgotten() + endpointCourses.forgotten() + pairCourses.forgotten(), limits,
            new TimeWaitFigures.Reuse(reuseAccepted, reuseRefused, reuseCutNanos, enteredTotal, lowered), clocks, whatIf);
    }

    private static <K extends Comparable<K>> List<Courses.Entry<K>> top(Courses<K> courses) {
        List<Courses.Entry<K>> all = courses.ranked();
        return all.subList(0, Math.min(TimeWaitFigures.TOP, all.size()));
    }

}
