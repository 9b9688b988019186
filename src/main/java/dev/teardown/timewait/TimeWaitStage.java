package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The TIME_WAIT stage of one run: told every segment after the tracker applied it and every connection event,
 * in packet time, it keeps the accountings across connections (timeline, peaks, port pressure, timestamp
 * clocks, the idle-timeout what-if) and gives their figures at the end (docs/output.md).
 *
 * <p>Told on one thread: the pipeline's, or a parallel run's merger, which replays what the workers recorded (each
 * connection as a snapshot of the moment) in the same order, telling the time of the segments they left out
 * ({@link #bareAck}), so the figures are the same. What reads only one connection's own state ({@link #follow}) runs
 * beside the tracker instead, on the worker that moves the connection.
 */
public final class TimeWaitStage {
    /** An array, walked by index: the launcher's C1 compiler would allocate an iterator. */
    private final Part[] parts;
    /**
     * The parts other than the three below (tests' probes), told through the interface; the three are called
     * directly (per packet with what they share worked out once), so that C1 binds and can inline the calls. Each of
     * the three is called only for the events it overrides.
     */
    private final Part[] others;
    private boolean started;
    /**
     * The packet time from which a part may have something to do in {@link #advanceTo} (a row to write, a start to
     * handle), as things stood when it was last asked; {@link Long#MIN_VALUE} when it must be asked again: a
     * connection whose TIME_WAIT start was the earliest waiting was handed on, which may bring the timeline's horizon
     * forward. Nothing else makes a part's due time earlier (a TIME_WAIT beginning holds the horizon back; the
     * what-if's lag only grows), and one left earlier than it need be costs a call that finds nothing to do. Most
     * packets are before it, so time passing costs a comparison per packet.
     */
    private long due = Long.MIN_VALUE;
    /** The latest packet time seen, for the parts that were not told every packet's. */
    private long latest = Long.MIN_VALUE;
    /** The timeline, or null for a stage that accounts nothing. */
    private final TimeWaitTimeline timeline;
    private final TimeWaitFigures.Limits limits;
    /** The timestamp-clock part, or null in a stage without it. */
    private final TimestampClocks clocks;
    /** The idle-timeout what-if among the parts, or null. */
    private final IdleWhatIf whatIf;
    /** The timeline's rows downsampled for charts, or null. */
    private final TimelineSeries series;

    private TimeWaitStage(List<Part> parts, TimeWaitFigures.Limits limits, TimelineSeries series) {
        this.series = series;
        this.parts = parts.toArray(new Part[0]);
        this.limits = limits;
        // Loops, not streams: this runs in every run's start-up, where each lambda is linked the first time.
        TimeWaitTimeline t = null;
        TimestampClocks k = null;
        IdleWhatIf w = null;
        List<Part> rest = new ArrayList<>();
        for (Part p : parts) {
            if (t == null && p instanceof TimeWaitTimeline x) t = x;
            else if (k == null && p instanceof TimestampClocks x) k = x;
            else if (w == null && p instanceof IdleWhatIf x) w = x;
            else rest.add(p);
        }
        this.timeline = t;
        this.clocks = k;
        this.whatIf = w;
        this.others = rest.toArray(new Part[0]);
    }

    /**
     * The whole stage with {@code options}; the timeline's rows also go to {@code timelineRows} (the
     * {@code --timeline} output) when it is not null.
     */
    public TimeWaitStage(TimeWaitOptions options, Consumer<TimelineRow> timelineRows) {
        this(options, timelineRows, new TimelineSeries(options.stepNanos()));
    }

    private TimeWaitStage(TimeWaitOptions options, Consumer<TimelineRow> timelineRows, TimelineSeries series) {
        this(parts(options, timelineRows == null ? series : series.andThen(timelineRows)), limits(options), series);
    }

    private static TimeWaitFigures.Limits limits(TimeWaitOptions o) {
        return new TimeWaitFigures.Limits(o.maxTwBuckets(), o.portLow(), o.portHigh(), o.maxTwBucketsGiven(),
            o.portRangeGiven());
    }

    private static List<Part> parts(TimeWaitOptions options, Consumer<TimelineRow> rows) {
        List<Part> parts = new ArrayList<>();
        Interned interned = new Interned(); // the parts' keys, shared: one object per server or host seen lately
        parts.add(new TimeWaitTimeline(options.timeWaitNanos(), options.idleNanos(), options.stepNanos(), rows, interned));
        parts.add(new TimestampClocks());
        parts.add(new IdleWhatIf(options, interned));
        return parts;
    }

    /** A stage of just {@code parts}: for tests of one part. */
    static TimeWaitStage of(Part... parts) {
        return new TimeWaitStage(List.of(parts), limits(TimeWaitOptions.defaults(60_000_000_000L, 3_600_000_000_000L)),
            null);
    }

    /** A stage that accounts nothing: for runs whose outputs need none of it. */
    public static TimeWaitStage none() {
        return new TimeWaitStage(List.of(), null, null);
    }

    /** Whether this stage has no parts (as {@link #none()}): every call is then ignored. */
    public boolean accountsNothing() {
        return parts.length == 0;
    }

    /** The figures (final after {@link #finish}); empty for {@link #none()}. */
    public java.util.Optional<TimeWaitFigures> figures() {
        if (timeline == null) return java.util.Optional.empty();
        TimeWaitFigures f = timeline.figures(limits, clocks(), whatIf());
        return java.util.Optional.of(series == null ? f : f.withSeries(series.figures(f.lastNanos())));
    }

    /**
     * The stage's state for a connection the tracker opens; carried on the connection and handed back with each call.
     * Safe on any thread, as it reads nothing that changes: a parallel run's workers make each connection's state,
     * which then only the thread that replays the stage's events reads or writes.
     */
    public TimeWaitState open() {
        return parts.length == 0 ? UNUSED : new TimeWaitState();
    }

    /** The state of every connection of a stage without parts, which never writes to it. */
    private static final TimeWaitState UNUSED = new TimeWaitState();

    /** The tracker has applied {@code seg}, sent by {@code from}, to {@code c}, whose state is {@code s}. */
    public void onSegment(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from) {
        if (parts.length == 0) return;
        if (s.followed && others.length == 0 && (seg.flags & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST)) == 0) {
            // Most segments: payload or a bare ACK of an open connection, neither side's first (both had spoken when
            // it opened), so the stage has started. All follow() and told() do with it, without their tests or
            // the connection's counters.
            long t = seg.timeNanos;
            if (seg.payloadLength > 0 && whatIf != null) {
                long gap = whatIf.follow(s, from, t);
                if (PacketTime.isSet(gap)) idleGap(s, gap, t);
            }
            if (t > latest) latest = t;
            if (t >= due) advanceTo(t);
            return;
        }
        Place place = place(c, from); // once: follow() and told() both need it
        long gap = follow(s, seg, from, place);
        if (PacketTime.isSet(gap)) idleGap(s, gap, seg.timeNanos);
        told(c, s, seg, from, place);
    }

    /** Where a segment stands among its side's: what follow() and told() decide by, read once from the counters. */
    private enum Place {
        /** Not its side's first. */
        LATER,
        /** Its side's first, with the other side silent so far or the close begun. */
        FIRST,
        /** Its side's first, the other side having spoken and no close begun: with it both sides have spoken. */
        OPENS
    }

    /**
     * Where the segment from {@code from} just applied to {@code c} stands. {@link Place#OPENS} is the one with which
     * both sides have spoken (the SYN-ACK, or the first answer mid-stream), before any close: the timeline counts
     * {@code c} open from there and the what-if follows it; the close time is worked out from both sides.
     */
    private static Place place(ConnectionView c, Side from) {
        if (c.packets(from) != 1) return Place.LATER;
        return c.packets(from.other()) > 0 && !PacketTime.isSet(c.firstCloseNanos()) ? Place.OPENS : Place.FIRST;
    }

    /**
     * The part of {@link #onSegment} that reads and writes only {@code c}'s own state, so it runs beside the tracker
     * on whichever thread moves {@code c} (a parallel run's worker): follows the payload of a connection the what-if
     * follows. Returns the start of the idle gap {@code seg} ends, when longer than the shortest timeout tried (then
     * tell {@link #idleGap} before {@link #told}), else {@link PacketTime#UNSET}: most segments with payload are then
     * nothing more to the stage than time passing, and a parallel run's workers record none of them.
     */
    public long follow(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from) {
        if (parts.length == 0) return PacketTime.UNSET;
        // A followed connection's segment is no side's first (both had spoken): no counter read.
        return follow(s, seg, from, s.followed ? Place.LATER : place(c, from));
    }

    private long follow(TimeWaitState s, TcpSegment seg, Side from, Place place) {
        // The state is read only for payload: a bare ACK touches nothing of it. The packet that opens the connection
        // is never followed: its first answer is not yet a payload the what-if follows.
        if (seg.payloadLength > 0 && s.followed) return whatIf != null ? whatIf.follow(s, from, seg.timeNanos) : PacketTime.UNSET;
        if (place == Place.OPENS) s.followed = true;
        return PacketTime.UNSET;
    }

    /**
     * Beside the tracker, before {@link #follow} (which marks the connection followed at its opening segment): whether
     * {@link #told} may do more with {@code seg}, sent by {@code from} of {@code c}, than {@link #bareAck} does. It
     * reads and writes only {@code c}'s own state: a parallel run's workers record only such segments. They are the
     * segment that opens the connection (the timeline counts it open, the what-if follows it), the first FIN or RST
     * after it (the timeline's close),
     * a client's SYN (the timestamp clocks), and with a probe among the parts every segment with payload, SYN, FIN
     * or RST, or its side's first.
     */
    public boolean needsTelling(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from) {
        int special = seg.flags & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST);
        // Most segments: of a connection followed before this one (so no side's first), without SYN, FIN or RST,
        // with no probe to tell. (Asked after follow(), s.followed would be set by the opening segment itself.)
        if (special == 0 && others.length == 0 && s.followed) return false;
        Place place = s.followed ? Place.LATER : place(c, from);
        // A later bare ACK, or a later payload with no probe to tell (payloadOnly()): no more than bareAck() does.
        if (place == Place.LATER && special == 0 && (seg.payloadLength == 0 || others.length == 0)) {
            return false;
        }
        if (others.length > 0) return true;
        boolean clientSyn = clocks != null && from == Side.CLIENT
            && (seg.flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN;
        if (place != Place.LATER) return clientSyn || place == Place.OPENS;
        if (clientSyn) return true;
        if (timeline != null && s.followed && !s.closeTold && seg.has(TcpSegment.FIN | TcpSegment.RST)) {
            // The timeline's "open" as told() keeps it: set by the opening packet, ended by the first FIN or RST
            // after it once the close has begun.
            if (PacketTime.isSet(c.firstCloseNanos())) s.closeTold = true;
            return true;
        }
        return false;
    }

    /** {@code s}'s connection was idle from {@code fromNanos} to {@code toNanos}, as {@link #follow} found. */
    public void idleGap(TimeWaitState s, long fromNanos, long toNanos) {
        if (toNanos > latest) latest = toNanos;
        if (whatIf != null && s.whatIfOpen) whatIf.gap(s, fromNanos, toNanos);
    }

    /**
     * All of {@link #onSegment} but {@link #follow}: for a parallel run's merger, whose workers followed the payload
     * and recorded the gaps.
     */
    public void told(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from) {
        if (parts.length == 0) return;
        told(c, s, seg, from, place(c, from));
    }

    private void told(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from, Place place) {
        long t = seg.timeNanos;
        if (t > latest) latest = t;
        boolean later = place == Place.LATER;
        // A bare ACK mid-connection, before anything is due, is nothing to any part.
        if (seg.payloadLength == 0 && (seg.flags & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST)) == 0
            && t < due && later) {
            return;
        }
        if (!started) start(t);
        if (payloadOnly(seg, later)) {
            if (t >= due) advanceTo(t); // what a parallel run's merger does with such a segment: one path for both
            return;
        }
        if (place == Place.OPENS) {
            if (timeline != null) timeline.opened(c, s, t);
            if (whatIf != null) whatIf.opened(c, s);
        } else if (later && seg.has(TcpSegment.FIN | TcpSegment.RST) && s.open) {
            // A FIN or RST of a connection counted as open; it may not be the first (only after the close began).
            long close = c.firstCloseNanos();
            if (PacketTime.isSet(close)) timeline.closing(c, s, close);
        }
        if (clocks != null && seg.has(TcpSegment.SYN)) clocks.onSegment(c, s, seg, from);
        for (int i = 0; i < others.length; i++) others[i].onSegment(c, s, seg);
        if (t >= due) advanceTo(t);
    }

    /**
     * A bare ACK that is not its side's first was applied at {@code nanos}, the stage not told which: all
     * {@link #onSegment} does with one is let time pass (a parallel run's workers leave them out, and its merger tells
     * the time). Parts other than the timeline, the clocks and the what-if (tests' probes) are not told.
     */
    public void bareAck(long nanos) {
        if (parts.length == 0) return;
        if (nanos > latest) latest = nanos;
        if (nanos < due) return;
        if (!started) start(nanos);
        advanceTo(nanos);
    }

    /**
     * Beside the tracker, as {@link #needsTelling(ConnectionView, TimeWaitState, TcpSegment, Side)}: whether
     * {@link #timeWaitStarted} may change anything when {@code side} of {@code c} enters (or restarts) TIME_WAIT at
     * {@code nanos}. It does when this is the connection's earliest TIME_WAIT start so far (the timeline's rows wait
     * for it), when it is the server side's first with the client's ts_recent known (the timestamp clocks remember
     * it), or with a probe among the parts; a later start of the other side, or a restart, changes nothing.
     */
    public boolean needsTelling(ConnectionView c, TimeWaitState s, Side side, long nanos) {
        if (others.length > 0) return true;
        boolean needed = false;
        if (timeline != null && (!PacketTime.isSet(s.earliestTold) || nanos < s.earliestTold)) {
            s.earliestTold = nanos;
            needed = true;
        }
        if (clocks != null && side == Side.SERVER && !s.rememberTold && PacketTime.isSet(c.tsRecentNanos(Side.CLIENT))) {
            s.rememberTold = true;
            needed = true;
        }
        return needed;
    }

    /**
     * Whether all {@link #told} does with {@code seg} ({@code later}: not its side's first) is what {@link #bareAck}
     * does: a segment with payload and no SYN, FIN or RST that is not its side's first, in a stage without probes. A
     * parallel run's workers record no such segment (only the idle gap {@link #follow} may find in it).
     */
    private boolean payloadOnly(TcpSegment seg, boolean later) {
        return others.length == 0 && seg.payloadLength != 0
            && (seg.flags & (TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST)) == 0 && later;
    }

    private void start(long t) {
        started = true;
        if (timeline != null) timeline.start(t);
        if (whatIf != null) whatIf.start(t);
    }

    /** {@code c}'s close completed or a RST aborted it, at {@code nanos}. */
    public void closed(ConnectionView c, TimeWaitState s, long nanos) {
        if (timeline != null) timeline.closed(c, s, nanos);
        if (whatIf != null) whatIf.closed(c, s, nanos);
        for (int i = 0; i < others.length; i++) others[i].closed(c, s, nanos);
    }

    /** {@code side} of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}. */
    public void timeWaitStarted(ConnectionView c, TimeWaitState s, Side side, long nanos) {
        if (timeline == null) due = Long.MIN_VALUE; // with the timeline, a start only holds its rows back
        if (timeline != null) timeline.timeWaitStarted(c, s, side, nanos);
        if (clocks != null) clocks.timeWaitStarted(c, s, side, nanos);
        for (int i = 0; i < others.length; i++) others[i].timeWaitStarted(c, s, side, nanos);
    }

    /** {@code next} opened on the 4-tuple while {@code previous} was in TIME_WAIT, at {@code nanos}. */
    public void tupleReused(ConnectionView previous, TimeWaitState ps, ConnectionView next, TimeWaitState ns, long nanos) {
        if (timeline != null) timeline.tupleReused(previous, ps, next, ns, nanos);
        if (clocks != null) clocks.tupleReused(previous, ps, next, ns, nanos);
        for (int i = 0; i < others.length; i++) others[i].tupleReused(previous, ps, next, ns, nanos);
    }

    /** {@code c} is handed on as record {@code r} at packet time {@code nowNanos}. */
    public void finished(ConnectionView c, TimeWaitState s, FlowRecord r, long nowNanos) {
        if (timeline == null || timeline.mayHasten(s)) due = Long.MIN_VALUE;
        if (timeline != null) timeline.finished(c, s, r, nowNanos);
        if (clocks != null) clocks.finished(c, s, r, nowNanos);
        if (whatIf != null) whatIf.finished(c, s, r, nowNanos);
        for (int i = 0; i < others.length; i++) others[i].finished(c, s, r, nowNanos);
    }

    /** Packet time has reached {@code nowNanos}, with or without packets. */
    public void advanceTo(long nowNanos) {
        if (nowNanos > latest) latest = nowNanos;
        if (timeline != null) timeline.advanceTo(nowNanos);
        if (whatIf != null) whatIf.advanceTo(nowNanos);
        for (int i = 0; i < others.length; i++) others[i].advanceTo(nowNanos);
        long d = others.length > 0 ? Long.MIN_VALUE : Long.MAX_VALUE; // a probe is told every packet
        if (timeline != null) d = Math.min(d, timeline.dueNanos());
        if (whatIf != null) d = Math.min(d, whatIf.dueNanos());
        due = d;
    }

    /** The input ends; call before the tracker hands on the connections it still holds, then {@link #finish}. */
    public void endOfInput() {
        if (started) advanceTo(latest); // the parts' clocks at the last packet, whatever was skipped
        for (int i = 0; i < parts.length; i++) parts[i].endOfInput();
    }

    /** Every connection was handed on: the figures are final. */
    public void finish() {
        for (int i = 0; i < parts.length; i++) parts[i].finish();
    }

    /** The connections held were dropped unwritten: forget what waits for them. */
    public void discardHeld() {
        due = Long.MIN_VALUE;
        for (int i = 0; i < parts.length; i++) parts[i].discardHeld();
    }

    /** The TCP timestamp clocks per client and server address, and what tcp_tw_recycle would have dropped. */
    public ClockFigures clocks() {
        return clocks == null ? ClockFigures.EMPTY : clocks.figures();
    }

    /**
     * The idle-timeout what-if's rows once {@link #finish} ran: per server endpoint that closed idle keep-alive
     * connections, the observed row and each timeout tried, by endpoint, then timeout (docs/output.md,
     * "Idle-timeout what-if"); empty for a stage without it.
     */
    public List<WhatIfRow> whatIf() {
        return whatIf == null ? List.of() : whatIf.rows();
    }

    /** Warnings for the summary, in part order. */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (Part p : parts) {
            String line = p.warning(); // once per run
            if (line != null) w.add(line);
        }
        return w;
    }
}
