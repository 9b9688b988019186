package dev.teardown.timewait;

import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The TIME_WAIT stage of one run: told every segment after the tracker applied it and every connection event,
 * in packet time, it keeps the accountings across connections (timeline, peaks, port pressure, timestamp
 * clocks, the idle-timeout what-if) and gives their figures at the end (docs/output.md).
 */
public final class TimeWaitStage {
    /** An array, walked by index: the calls come per packet, and the launcher's C1 compiler would allocate an iterator. */
    private final Part[] parts;
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
        this.timeline = parts.stream().filter(TimeWaitTimeline.class::isInstance).map(TimeWaitTimeline.class::cast)
            .findFirst().orElse(null);
        this.limits = limits;
        this.clocks = parts.stream().filter(TimestampClocks.class::isInstance).map(TimestampClocks.class::cast)
            .findFirst().orElse(null);
        this.whatIf = parts.stream().filter(IdleWhatIf.class::isInstance).map(IdleWhatIf.class::cast)
            .findFirst().orElse(null);
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
        parts.add(new TimeWaitTimeline(options.timeWaitNanos(), options.idleNanos(), options.stepNanos(), rows));
        parts.add(new TimestampClocks());
        parts.add(new IdleWhatIf(options));
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

    /** The figures (final after {@link #finish}); empty for {@link #none()}. */
    public java.util.Optional<TimeWaitFigures> figures() {
        if (timeline == null) return java.util.Optional.empty();
        TimeWaitFigures f = timeline.figures(limits, clocks(), whatIf());
        return java.util.Optional.of(series == null ? f : f.withSeries(series.figures(f.lastNanos())));
    }

    /** The stage's state for a connection the tracker opens; carried on the connection and handed back with each call. */
    public TimeWaitState open() {
        return parts.length == 0 ? UNUSED : new TimeWaitState();
    }

    /** The state of every connection of a stage without parts, which never writes to it. */
    private static final TimeWaitState UNUSED = new TimeWaitState();

    /** The tracker has applied {@code seg} to {@code c}, whose state is {@code s}. */
    public void onSegment(Connection<?> c, TimeWaitState s, TcpSegment seg) {
        for (int i = 0; i < parts.length; i++) parts[i].onSegment(c, s, seg);
    }

    /** {@code c}'s close completed or a RST aborted it, at {@code nanos}. */
    public void closed(Connection<?> c, TimeWaitState s, long nanos) {
        for (int i = 0; i < parts.length; i++) parts[i].closed(c, s, nanos);
    }

    /** {@code side} of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}. */
    public void timeWaitStarted(Connection<?> c, TimeWaitState s, Side side, long nanos) {
        for (int i = 0; i < parts.length; i++) parts[i].timeWaitStarted(c, s, side, nanos);
    }

    /** {@code next} opened on the 4-tuple while {@code previous} was in TIME_WAIT, at {@code nanos}. */
    public void tupleReused(Connection<?> previous, TimeWaitState ps, Connection<?> next, TimeWaitState ns, long nanos) {
        for (int i = 0; i < parts.length; i++) parts[i].tupleReused(previous, ps, next, ns, nanos);
    }

    /** {@code c} is handed on as record {@code r} at packet time {@code nowNanos}. */
    public void finished(Connection<?> c, TimeWaitState s, FlowRecord r, long nowNanos) {
        for (int i = 0; i < parts.length; i++) parts[i].finished(c, s, r, nowNanos);
    }

    /** Packet time has reached {@code nowNanos}, with or without packets. */
    public void advanceTo(long nowNanos) {
        for (int i = 0; i < parts.length; i++) parts[i].advanceTo(nowNanos);
    }

    /** The input ends; call before the tracker hands on the connections it still holds, then {@link #finish}. */
    public void endOfInput() {
        for (int i = 0; i < parts.length; i++) parts[i].endOfInput();
    }

    /** Every connection was handed on: the figures are final. */
    public void finish() {
        for (int i = 0; i < parts.length; i++) parts[i].finish();
    }

    /** The connections held were dropped unwritten: forget what waits for them. */
    public void discardHeld() {
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
