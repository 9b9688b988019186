package dev.teardown.pipeline;

import dev.teardown.decode.AddressTexts;
import dev.teardown.decode.TcpSegment;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpConnection;
import dev.teardown.http.HeadScan;
import dev.teardown.http.HttpTracker;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionEvents;
import dev.teardown.teardown.ConnectionTracker;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The stages that follow connections once a segment is decoded: the connection tracker, the HTTP stage, the
 * TIME_WAIT stage, and the record built when a connection is finished. {@link Pipeline} runs one over a whole
 * capture; each worker of a parallel analysis runs one over its share of the connections.
 *
 * <p>Memory: the connections the tracker holds, each with its HTTP and TIME_WAIT state (at most the options'
 * bound), and one entry per input file.
 */
final class ConnectionChain {
    /**
     * Each stage's own state of one connection, carried on it; {@code touched} is the global index of the last
     * packet applied to it, set by a worker (which orders its records by it) and unused otherwise. On a worker,
     * {@code timeWait} is only carried: the merger alone reads and writes it.
     */
    static final class Stages {
        final HttpConnection http;
        final TimeWaitState timeWait;
        long touched;
        /** Closed, and not yet counted by {@link Listener#closeCounted}: its close reason may still be unknown. */
        boolean closePending;
        /** Whether a shard's log has given the connection's fixed fields already ({@link ShardLog}). */
        boolean logged;

        Stages(HttpConnection http, TimeWaitState timeWait) {
            this.http = http;
            this.timeWait = timeWait;
        }
    }

    /** Told what the chain finishes: every record, and the tracker's closes and expiries as they happen. */
    interface Listener {
        /** {@code r}, the record of finished connection {@code c}, is built (the TIME_WAIT stage was told). */
        void finished(Connection<Stages> c, FlowRecord r);

        /** {@code c} closed (both FINs, or a RST) at {@code nanos}. */
        default void closed(Connection<Stages> c, long nanos) { }

        /** {@code side} of {@code c} entered (or restarted) TIME_WAIT at {@code nanos}. */
        default void timeWaitStarted(Connection<Stages> c, Side side, long nanos) { }

        /** {@code next} opened on the 4-tuple while {@code previous} was in TIME_WAIT, at {@code nanos}. */
        default void tupleReused(Connection<Stages> previous, Connection<Stages> next, long nanos) { }

        /** {@code c}'s timeout passed: its record follows that of any earlier lifetime of its tuple it held. */
        default void timedOut(Connection<Stages> c) { }

        /** Whether to be told {@link #closeCounted}: it costs the close reason worked out once more per close. */
        default boolean countsCloses() { return false; }

        /**
         * {@code c}, closed (both FINs, or a RST), is settled: its {@code initiator} and {@code reason} are those its
         * record will have. Told once per close, as soon as both are known: when the segment that finishes {@code c}
         * (the last ACK, or the RST) has been through the HTTP stage, else when its record is built.
         */
        default void closeCounted(Connection<Stages> c, Sides initiator, CloseReason reason) { }
    }

    private final HttpTracker http = new HttpTracker();
    private final AnalyzeOptions options;
    private final TimeWaitStage timeWait;
    private final Listener listener;
    private final Supplier<TimeWaitState> states;
    private final int maxConnections;
    /** Input files by the id of the first connection begun in each: records name their file without a field per connection. */
    private final TreeMap<Long, String> files = new TreeMap<>();
    /** The one input file while there is one (TreeMap's entries are copies: a look-up allocates). */
    private String onlyFile;
    /** The records' addresses, formatted once per address seen lately rather than per record. */
    private final AddressTexts addresses = new AddressTexts();
    /** Replaced by an empty one by {@link #discardHeld}. */
    private ConnectionTracker<Stages> tracker;

    /** A chain holding at most {@code maxConnections}, telling {@code timeWait} and {@code listener} what happens. */
    ConnectionChain(AnalyzeOptions options, int maxConnections, TimeWaitStage timeWait, Listener listener) {
        this(options, maxConnections, timeWait, timeWait::open, listener);
    }

    /**
     * The same, each connection carrying a TIME_WAIT state from {@code states}: a parallel run's worker tells
     * {@code timeWait} nothing ({@link TimeWaitStage#none()}) and carries states for the merger, which replays the
     * events its {@code listener} recorded into the real stage.
     */
    ConnectionChain(AnalyzeOptions options, int maxConnections, TimeWaitStage timeWait, Supplier<TimeWaitState> states,
                    Listener listener) {
        this.options = options;
        this.maxConnections = maxConnections;
        this.timeWait = timeWait;
        this.states = states;
        this.listener = listener;
        this.tracker = newTracker();
    }

    private ConnectionTracker<Stages> newTracker() {
        ConnectionTracker<Stages> t = new ConnectionTracker<>(options.timeWaitNanos(), options.idleTimeoutNanos(),
            () -> new Stages(http.open(), states.get()), new Events());
        t.setMaxConnections(maxConnections);
        return t;
    }

    /** The tracker's events, passed on to the TIME_WAIT stage and the listener; a finished connection becomes a record. */
    private final class Events implements ConnectionEvents<Stages> {
        @Override
        public void closed(Connection<Stages> c, long nanos) {
            if (listener.countsCloses()) c.stage().closePending = true;
            listener.closed(c, nanos);
            timeWait.closed(c, c.stage().timeWait, nanos);
        }

        @Override
        public void timeWaitStarted(Connection<Stages> c, Side side, long nanos) {
            listener.timeWaitStarted(c, side, nanos);
            timeWait.timeWaitStarted(c, c.stage().timeWait, side, nanos);
        }

        @Override
        public void tupleReused(Connection<Stages> previous, Connection<Stages> next, long nanos) {
            listener.tupleReused(previous, next, nanos);
            timeWait.tupleReused(previous, previous.stage().timeWait, next, next.stage().timeWait, nanos);
        }

        @Override
        public void timedOut(Connection<Stages> c) {
            listener.timedOut(c);
        }

        @Override
        public void finished(Connection<Stages> c) {
            http.finish(c.stage().http, c);
            Teardown t = Teardown.of(c, options.timeWaitNanos());
            FlowRecord r = FlowRecord.of(c, t, http.outcome(c.stage().http, c, t), fileOf(c.id()), addresses);
            timeWait.finished(c, c.stage().timeWait, r, tracker.now());
            if (c.stage().closePending) {
                c.stage().closePending = false;
                listener.closeCounted(c, r.closeInitiator(), r.http().closeReason());
            }
            listener.finished(c, r);
        }
    }

    /** Applies one decoded segment to its connection and every stage; returns that connection. */
    Connection<Stages> onSegment(TcpSegment segment) {
        return onSegment(segment, null);
    }

    /**
     * As {@link #onSegment(TcpSegment)}, with the head lines a reading thread parsed ahead from the start of the
     * segment's payload ({@code scan}, or null), which the HTTP stage takes instead of parsing them again.
     */
    Connection<Stages> onSegment(TcpSegment segment, HeadScan scan) {
        Connection<Stages> c = tracker.onSegment(segment);
        if (segment.badChecksum) {
            // It never reached its receiver: only its history letter counts, and the time it came (as a parallel
            // run's merger tells the stage of a segment no worker recorded).
            timeWait.bareAck(segment.timeNanos);
            return c;
        }
        Side from = c.senderOf(segment);
        http.onSegment(c.stage().http, c, from, segment, scan);
        timeWait.onSegment(c, c.stage().timeWait, segment, from);
        if (c.stage().closePending && c.isFinished()) settle(c);
        return c;
    }

    /** The input file connection {@code id} began in ("" when none was named). */
    private String fileOf(long id) {
        // One file is the common case: its first connection is the first of all, so it holds every id (and the
        // look-up below would box the id per record).
        if (onlyFile != null) return onlyFile;
        Map.Entry<Long, String> file = files.floorEntry(id);
        return file == null ? "" : file.getValue();
    }

    /** Tells the listener of {@code c}'s close once the HTTP stage has judged it; else its record will. */
    private void settle(Connection<Stages> c) {
        Teardown t = Teardown.of(c, options.timeWaitNanos());
        CloseReason reason = http.closeReason(c.stage().http, c, t);
        if (reason == null) return;
        c.stage().closePending = false;
        listener.closeCounted(c, t.initiator(), reason);
    }

    /** Connections begun from now on, up to the next call, came from input file {@code name}. */
    void fileStarted(String name) {
        fileStarted(tracker.nextId(), name);
    }

    /** The connection numbered {@code id} and those after it came from input file {@code name}. */
    void fileStarted(long id, String name) {
        files.put(id, name);
        onlyFile = files.size() == 1 ? name : null;
    }

    /** The tracker, for what it counts and its status view. */
    ConnectionTracker<Stages> tracker() {
        return tracker;
    }

    /** Lets packet time move to {@code nowNanos} without a segment: expiry runs. */
    void advanceTo(long nowNanos) {
        tracker.advanceTo(nowNanos);
    }

    /** Writes every connection still held, in order of first packet. */
    void finish() {
        tracker.finish();
    }

    /**
     * Drops every connection held, unwritten, for an empty tracker: the way out when memory ran out. Returns how
     * many were dropped.
     */
    int discardHeld() {
        int held = tracker.openConnections();
        tracker = null; // The old table, and every connection's stage state with it, become garbage first.
        tracker = newTracker();
        return held;
    }
}
