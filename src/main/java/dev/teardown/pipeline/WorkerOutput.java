package dev.teardown.pipeline;

import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionSnapshot;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.timewait.TimeWaitStage;
import dev.teardown.timewait.TimeWaitState;
import java.util.Arrays;

/**
 * What one worker of a parallel analysis made of one {@link Batch}, in the order it happened: its events, each
 * with the sort key that places it where one thread's would be; the connections it began (global index of the
 * first packet, and its table's size right after that connection went in); and the changes of its table's size,
 * per packet. The merger orders the events, numbers the connections and finds the peak of the sum of all tables
 * from these.
 *
 * <p>Events: every record finished; and, when the run has a TIME_WAIT stage, what that stage must be told, as the
 * worker finds beside the tracker (closes, tuple reuse, and the TIME_WAIT starts and segments
 * {@link dev.teardown.timewait.TimeWaitStage#needsTelling needsTelling} keeps), each with a {@link ConnectionSnapshot}
 * copy of its connection as it stood then (two for tuple reuse: the earlier lifetime, then the new one), since the
 * worker moves on while the merger replays them; and the what-if's idle gaps ({@link #GAP}), without a copy.
 *
 * <p>Sort key (two longs, compared in turn): while time advanced before packet {@code i} was applied (expiry),
 * {@code 4i} for a connection that was closing and {@code 4i + 1} for an open one (the tracker expires its
 * closing list first), then the global index of the expired connection's last packet (each list is in order of
 * last packet); while packet {@code i} itself was applied, {@code 4i + 2} and 0 (its segment event last); at the
 * end of the input, {@link Long#MAX_VALUE} and the connection's global first packet (its id). A record written
 * because another one expired (the tuple's earlier lifetime) takes that one's key and comes before it: equal keys
 * keep the worker's order. Arrays grow to the busiest batch and are reused.
 */
final class WorkerOutput {
    static final byte FINISHED = 0;
    static final byte CLOSED = 1;
    static final byte TIME_WAIT_STARTED = 2;
    static final byte TUPLE_REUSED = 3;
    static final byte SEGMENT = 4;
    /**
     * An idle gap the worker found beside the tracker ({@link TimeWaitStage#follow}): its start as the event's time,
     * the segment that ends it as its place in the batch; no copy.
     */
    static final byte GAP = 5;

    int count;
    byte[] kinds = new byte[64];
    long[] keys = new long[128];
    /** The record of a finished event, else null. */
    FlowRecord[] records = new FlowRecord[64];
    /**
     * The connection of each event (for tuple reuse the earlier lifetime), read by the merger for its final fields
     * only: the connection itself, or those fields copied from another process ({@link ShardLog}).
     */
    ConnectionView[] subjects = new ConnectionView[64];
    /** For tuple reuse, the new lifetime; else null. */
    ConnectionView[] nexts = new ConnectionView[64];
    /** The TIME_WAIT state of each event's connection (of the earlier lifetime for tuple reuse), and of the new one. */
    TimeWaitState[] states = new TimeWaitState[64];
    TimeWaitState[] nextStates = new TimeWaitState[64];
    /** Packet time of the event (the tracker's, for a finished one). */
    long[] nanos = new long[64];
    /**
     * A segment: its place in the batch times two, plus the sender's side ordinal; a TIME_WAIT start: the side's; a
     * gap: the place in the batch of the segment that ends it.
     */
    int[] details = new int[64];
    /** Where each event's copies begin in {@link #figures}; -1 without. */
    int[] figuresAt = new int[64];
    long[] figures = new long[64 * ConnectionSnapshot.LONGS];
    private int figureEnd;
    int recordCount;
    /** One past the last event with a record, and with a next lifetime: how far {@link #clear} empties those. */
    private int recordsEnd;
    private int nextsEnd;
    long[] begun = new long[64];
    int[] sizeWhenBegun = new int[64];
    int begunCount;
    long[] sizeChangedAt = new long[64];
    int[] size = new int[64];
    int sizeChanges;
    /** What a live run's status counts (empty in a file's analysis). */
    final LiveShare live = new LiveShare();

    /** Empties the output for the next batch, letting go of the records and connections. */
    void clear() {
        Arrays.fill(records, 0, recordsEnd, null);
        Arrays.fill(subjects, 0, count, null);
        Arrays.fill(nexts, 0, nextsEnd, null);
        Arrays.fill(states, 0, count, null);
        Arrays.fill(nextStates, 0, nextsEnd, null);
        count = 0;
        recordsEnd = 0;
        nextsEnd = 0;
        figureEnd = 0;
        recordCount = 0;
        begunCount = 0;
        sizeChanges = 0;
        live.clear();
    }

    /** {@code c} was finished as {@code r} at packet time {@code now}; copied when {@code copy}. */
    void record(FlowRecord r, long key, long tieBreak, Connection<ConnectionChain.Stages> c, long now, boolean copy) {
        int e = add(FINISHED, key, tieBreak, c, now, 0);
        setRecord(e, r);
        if (copy) copy(e, c);
    }

    /** A TIME_WAIT stage event of {@code kind} about {@code c} at {@code at}, with {@code detail}; copies {@code c}. */
    void event(byte kind, long key, Connection<ConnectionChain.Stages> c, long at, int detail) {
        copy(add(kind, key, 0, c, at, detail), c);
    }

    /** {@code c} was idle from {@code fromNanos} until segment {@code i} of the batch: only that is recorded. */
    void gap(long key, Connection<ConnectionChain.Stages> c, long fromNanos, int i) {
        add(GAP, key, 0, c, fromNanos, i);
    }

    /** {@code next} reused {@code previous}'s tuple at {@code at}: copies both, {@code previous} first. */
    void tupleReused(long key, Connection<ConnectionChain.Stages> previous, Connection<ConnectionChain.Stages> next,
                     long at) {
        int e = add(TUPLE_REUSED, key, 0, previous, at, 0);
        setNext(e, next, next.stage().timeWait);
        copy(e, previous);
        copy(-1, next);
    }

    /** Event {@code e} finished the connection as {@code r}. */
    void setRecord(int e, FlowRecord r) {
        records[e] = r;
        recordCount++;
        recordsEnd = e + 1;
    }

    /** Event {@code e} is tuple reuse: {@code next}, whose TIME_WAIT state is {@code state}, is the new lifetime. */
    void setNext(int e, ConnectionView next, TimeWaitState state) {
        nexts[e] = next;
        nextStates[e] = state;
        nextsEnd = e + 1;
    }

    private int add(byte kind, long key, long tieBreak, Connection<ConnectionChain.Stages> c, long at, int detail) {
        return add(kind, key, tieBreak, c, c.stage().timeWait, at, detail);
    }

    /** Appends an event about {@code c}, whose TIME_WAIT state is {@code state}; returns its number. */
    int add(byte kind, long key, long tieBreak, ConnectionView c, TimeWaitState state, long at, int detail) {
        if (count == kinds.length) {
            int n = 2 * count;
            kinds = Arrays.copyOf(kinds, n);
            keys = Arrays.copyOf(keys, 2 * n);
            records = Arrays.copyOf(records, n);
            subjects = Arrays.copyOf(subjects, n);
            nexts = Arrays.copyOf(nexts, n);
            states = Arrays.copyOf(states, n);
            nextStates = Arrays.copyOf(nextStates, n);
            nanos = Arrays.copyOf(nanos, n);
            details = Arrays.copyOf(details, n);
            figuresAt = Arrays.copyOf(figuresAt, n);
        }
        int e = count++;
        kinds[e] = kind;
        keys[2 * e] = key;
        keys[2 * e + 1] = tieBreak;
        subjects[e] = c;
        states[e] = state;
        nanos[e] = at;
        details[e] = detail;
        figuresAt[e] = -1;
        return e;
    }

    /** Copies {@code c} after the copies so far; the first copy of event {@code e} (if not -1) says where. */
    private void copy(int e, Connection<?> c) {
        int at = reserveCopy(e); // first: it may replace the array
        ConnectionSnapshot.copy(c, figures, at);
    }

    /**
     * Room for one copy ({@link ConnectionSnapshot#LONGS} longs of {@link #figures}) after the copies so far, the
     * first of event {@code e} unless {@code e} is -1 (the second copy of tuple reuse); returns where it begins.
     */
    int reserveCopy(int e) {
        if (figureEnd + ConnectionSnapshot.LONGS > figures.length) figures = Arrays.copyOf(figures, 2 * figures.length);
        if (e >= 0) figuresAt[e] = figureEnd;
        int at = figureEnd;
        figureEnd += ConnectionSnapshot.LONGS;
        return at;
    }

    void begun(long at, int tableSize) {
        if (begunCount == begun.length) {
            begun = Arrays.copyOf(begun, 2 * begunCount);
            sizeWhenBegun = Arrays.copyOf(sizeWhenBegun, 2 * begunCount);
        }
        begun[begunCount] = at;
        sizeWhenBegun[begunCount++] = tableSize;
    }

    void sizeChanged(long at, int tableSize) {
        if (sizeChanges == sizeChangedAt.length) {
            sizeChangedAt = Arrays.copyOf(sizeChangedAt, 2 * sizeChanges);
            size = Arrays.copyOf(size, 2 * sizeChanges);
        }
        sizeChangedAt[sizeChanges] = at;
        size[sizeChanges++] = tableSize;
    }

    /** Whether event {@code a} of this output sorts before event {@code b} of {@code other}. */
    boolean before(int a, WorkerOutput other, int b) {
        long x = keys[2 * a];
        long y = other.keys[2 * b];
        if (x != y) return x < y;
        return keys[2 * a + 1] < other.keys[2 * b + 1];
    }
}
