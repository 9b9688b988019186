package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.SkipReason;
import dev.teardown.decode.TcpSegment;
import dev.teardown.http.HttpConnection;
import dev.teardown.http.HttpTracker;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.ConnectionTracker;
import dev.teardown.teardown.Teardown;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.TrackerView;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages after the packet source, driven one frame at a time: decoder, connection tracker, HTTP stage,
 * record sinks.
 *
 * <p>A file loop and a live capture callback push frames into the same instance, so both sources share
 * every line of analysis. Each connection carries the HTTP stage's own {@link HttpConnection}; when the
 * tracker says a connection is finished, the pipeline finishes its HTTP state, then builds the immutable
 * record from the teardown and the HTTP outcome, and hands it to the sinks and the TIME_WAIT stage (which keeps
 * its own {@link TimeWaitState} on each connection too).
 */
public final class Pipeline {
    private final TcpSegment segment = new TcpSegment();
    private final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder = new PacketDecoder(stats);
    private final HttpTracker http = new HttpTracker();
    private final AnalyzeOptions options;
    /** An array, walked by index: the launcher's C1 compiler would allocate an iterator per record. */
    private final RecordSink[] sinks;
    /** Replaced by an empty one when the heap runs out ({@link #discardHeld}). */
    private ConnectionTracker<Stages> tracker;
    private final LiveCounts live = new LiveCounts();
    /** Evictions and peak of a tracker discarded by {@link #discardHeld}, kept for the totals. */
    private long discardedEvictions;
    private long discardedPeak;
    private long recordsWritten;
    /** Input files by the id of the first connection begun in each: records name their file without a field per connection. */
    private final java.util.TreeMap<Long, String> files = new java.util.TreeMap<>();
    private long first = PacketTime.UNSET;
    private long last = PacketTime.UNSET;
    /** The TIME_WAIT stage, told what the tracker does; {@link TimeWaitStage#none()} when no output needs it. */
    private final TimeWaitStage timeWait;

    /**
     * A pipeline writing each finished connection's record to {@code sinks}, in order, holding at most
     * {@code options.maxConnections()} connections at once.
     */
    public Pipeline(AnalyzeOptions options, List<? extends RecordSink> sinks) {
        this(options, sinks, TimeWaitStage.none());
    }

    /** The same, also telling {@code timeWait} about every segment and connection. */
    public Pipeline(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait) {
        this.options = options;
        this.sinks = sinks.toArray(new RecordSink[0]);
        this.timeWait = java.util.Objects.requireNonNull(timeWait);
        this.tracker = newTracker();
    }

    /** Each stage's own state of one connection, carried on it. */
    private record Stages(HttpConnection http, TimeWaitState timeWait) {}

    private ConnectionTracker<Stages> newTracker() {
        ConnectionTracker<Stages> t = new ConnectionTracker<>(options.timeWaitNanos(),
            options.idleTimeoutNanos(), () -> new Stages(http.open(), timeWait.open()), new Events());
        t.setMaxConnections(options.maxConnections());
        return t;
    }

    /** The tracker's events: a finished connection becomes a record; closes are counted for the live status. */
    private final class Events implements ConnectionEvents<Stages> {
        @Override
        public void closed(Connection<Stages> c, long nanos) {
            live.closed(c);
            timeWait.closed(c, c.stage().timeWait(), nanos);
        }

        @Override
        public void timeWaitStarted(Connection<Stages> c, Side side, long nanos) {
            timeWait.timeWaitStarted(c, c.stage().timeWait(), side, nanos);
        }

        @Override
        public void tupleReused(Connection<Stages> previous, Connection<Stages> next, long nanos) {
            timeWait.tupleReused(previous, previous.stage().timeWait(), next, next.stage().timeWait(), nanos);
        }

        @Override
        public void finished(Connection<Stages> c) {
            http.finish(c.stage().http(), c);
            Teardown t = Teardown.of(c, options.timeWaitNanos());
            java.util.Map.Entry<Long, String> file = files.floorEntry(c.id());
            FlowRecord r = FlowRecord.of(c, t, http.outcome(c.stage().http(), c, t), file == null ? "" : file.getValue());
            timeWait.finished(c, c.stage().timeWait(), r, tracker.now());
            for (int i = 0; i < sinks.length; i++) sinks[i].accept(r);
            recordsWritten++;
        }
    }

    /** Analyses one frame; it may hand finished connections to the sinks. */
    public void onFrame(Frame frame) {
        long t = frame.timeNanos();
        if (t < first || !PacketTime.isSet(first)) first = t;
        if (t > last) last = t; // UNSET is the smallest long, so the first packet always replaces it
        if (decoder.decode(frame, segment) == PacketDecoder.Result.TCP) {
            Connection<Stages> c = tracker.onSegment(segment);
            Side from = c.senderOf(segment);
            http.onSegment(c.stage().http(), c, from, segment);
            timeWait.onSegment(c, c.stage().timeWait(), segment, from);
        }
    }

    /** The frames from now on come from the input file {@code name} (as given): its connections' records say so. */
    public void fileStarted(String name) {
        files.put(tracker.nextId(), name);
    }

    /** Packets analysed so far. */
    public long packets() {
        return stats.packets();
    }

    /** Connections handed to the sinks so far. */
    public long recordsWritten() {
        return recordsWritten;
    }

    /** Connections held now (open, or closing and waiting out TIME_WAIT). */
    public int heldConnections() {
        return tracker.openConnections();
    }

    /**
     * Drops every connection held, without writing it, so that the heap they filled is free again: the
     * way out when memory ran out, keeping enough to write the summary and end cleanly. Returns how many
     * were dropped; the pipeline stays usable, empty.
     */
    public int discardHeld() {
        int held = tracker.openConnections();
        discardedEvictions += tracker.evictions();
        discardedPeak = Math.max(discardedPeak, tracker.peakConnections());
        tracker = null; // The old table, and every connection's HTTP state with it, become garbage first.
        tracker = newTracker();
        timeWait.discardHeld();
        return held;
    }

    /** Lets time pass without packets (a quiet live capture), so finished connections are still written. */
    public void advanceTo(long nowNanos) {
        tracker.advanceTo(nowNanos);
        timeWait.advanceTo(tracker.now());
    }

    /** Writes every connection still open, as it stands: the end of the input. */
    public void finish() {
        timeWait.endOfInput();
        tracker.finish();
        timeWait.finish();
    }

    /** The tracker's state now, with the {@code top} server endpoints by TIME-WAIT held (a live status line). */
    public TrackerView view(int top) {
        return live.view(tracker, options.timeWaitNanos(), top);
    }

    /** Packet-level totals so far, with the source's {@code warnings}. */
    public CaptureTotals totals(List<String> warnings) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            if (stats.skipped(r) > 0) skipped.put(words(r.name()), stats.skipped(r));
        }
        Map<String, Long> malformed = new LinkedHashMap<>();
        for (Anomaly a : Anomaly.values()) {
            if (stats.count(a) > 0) malformed.put(a.name(), stats.count(a));
        }
        List<String> allWarnings = new java.util.ArrayList<>(warnings);
        long evictions = discardedEvictions + tracker.evictions();
        if (evictions > 0) {
            allWarnings.add(String.format(java.util.Locale.ROOT, "%,d connections written out early because "
                + "the table was full (--max-connections %d)", evictions, options.maxConnections()));
        }
        allWarnings.addAll(timeWait.warnings());
        return new CaptureTotals(stats.packets(), stats.tcpSegments(), skipped, malformed, List.copyOf(allWarnings),
            Math.max(discardedPeak, tracker.peakConnections()), first, last);
    }

    private static String words(String constant) {
        return constant.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
