package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpOutcome;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Side;
import dev.teardown.timewait.EndpointWhatIf.IdleClose;
import dev.teardown.timewait.EndpointWhatIf.Pooled;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The idle-timeout what-if (docs/output.md, "Idle-timeout what-if"): for each server endpoint that closes idle
 * keep-alive connections, how many connections, closes and server-held TIME_WAIT the capture would have had with
 * another idle timeout T, and how much of that TIME_WAIT the clients would hold if they closed first.
 *
 * <p>The rules, per server endpoint and client address:
 * <ul>
 * <li>A connection the server closed for idleness ({@code close_reason} {@code server-idle-timeout}) stays
 *     reusable from its real close until its last activity (the end of its last HTTP message) plus T. The client's
 *     next connection that begins in that time reuses it (the most recently active one): no new connection, no
 *     close. Otherwise the server closes it at last activity plus T, and its TIME_WAIT begins as long after that
 *     as it did after the real close (the client's FIN) and lasts the TIME_WAIT length. A client that opened a
 *     new connection while its idle one was still open chose to: that is not reuse.
 * <li>An idle gap inside a connection (from the server's payload to the client's next payload, nothing sent in
 *     between) longer than T splits it: the server closes at the gap's start plus T, with TIME_WAIT at once (a
 *     client that notices the close), and the client opens a new connection. Gaps are seen as they happen; only
 *     those of connections the what-if saw open.
 * <li>Every other connection (closed by the client, by a request or HTTP/1.0, aborted, not closed in the
 *     capture) stays as it was, with its closes and TIME_WAIT on either side.
 * <li>The observed row replays the server's own idle closes (each after its own idle time): it is the capture's
 *     figures, labelled with the median idle time.
 * <li>Letting clients close first: the TIME_WAIT of the idle closes (and splits) goes to the client address
 *     instead; per (client address, endpoint) it adds to the client's own TIME_WAIT against one port range.
 * </ul>
 *
 * <p>Order and memory: records reach {@link #finished} when their TIME_WAIT ends, not in the order connections
 * began; so starts and idle closes wait in a queue ordered by time and are handled once packet time is a lag
 * past them: TIME_WAIT plus {@link #SLACK_NANOS} plus the longest of the timeouts tried and the idle times seen.
 * Memory holds: per open connection a few numbers; the starts and idle closes of that lag's window (at most
 * {@link #MAX_PENDING}; beyond, the oldest are handled early); per reusable idle connection one entry per timeout
 * until it runs out; per client address with TIME_WAIT in the window its populations; per server endpoint a few
 * numbers per timeout. An endpoint that never closed a connection for idleness is forgotten whenever it holds
 * nothing. Something that arrives after its moment was handled is handled at once and {@link #late counted}.
 */
final class IdleWhatIf implements Part {
    private static final long SECOND = 1_000_000_000L;
    /** The standard timeouts tried, in seconds (nginx's default is 75). */
    static final long[] STANDARD_SECONDS = {15, 30, 60, 75};
    /** Lag beyond TIME_WAIT plus the longest timeout, for the client's FIN after the server's and coarse timers. */
    static final long SLACK_NANOS = 10 * SECOND;
    /** Starts and idle closes held at most; beyond, the oldest are handled before their lag. */
    static final int MAX_PENDING = 1 << 20;

    /** A start ({@code close} null) or an idle close, at its time (the start, or the last activity). */
    private record Event(long time, long seq, EndpointWhatIf endpoint, Host client, IdleClose close)
        implements Comparable<Event> {
        /** By time, then arrival; compared directly, as every connection's start passes through the queue. */
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final long timeWaitNanos;
    private final Interned interned;
    /** The timeouts of slots 1, 2 ...: sorted, distinct. */
    private final long[] timeouts;
    private final int ports;
    private final Instants instants;
    private long lagNanos;
    /** Connections the what-if follows (kept on their {@link TimeWaitState}) not yet handed on. */
    private int live;
    /**
     * Starts in arrival order, which is their time order but for a connection whose second side spoke late: a
     * queue, so the start every connection has costs no heap operation; a start earlier than the last one queued
     * goes to {@link #events} instead.
     */
    private final StartQueue starts = new StartQueue();
    /** Idle closes, and the starts that came out of order. */
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final PriorityQueue<Pooled> expiries = new PriorityQueue<>(IdleWhatIf::byExpiry);
    private final TreeMap<ServerEndpoint, EndpointWhatIf> endpoints = new TreeMap<>();
    /** The endpoint found last, while it is in {@link #endpoints}. */
    private EndpointWhatIf lastEndpoint;
    private long now = PacketTime.UNSET;
    /** Events before this time have been handled. */
    private long handled = Long.MIN_VALUE;
    /**
     * The lag's end must reach this before anything is handled again: the next instant boundary. Nothing waiting
     * can be placed on an instant before the horizon moves, so handling once per instant step places everything
     * exactly as handling at every packet would, without a look at the queues per packet.
     */
    private long due = Long.MIN_VALUE;
    private long lastSweep = PacketTime.UNSET;
    private long seq;
    private long late;
    private long early;
    private List<WhatIfRow> rows = List.of();

    /** Pooled entries by expiry, then arrival, then slot. */
    private static int byExpiry(Pooled a, Pooled b) {
        int c = Long.compare(a.expiryNanos, b.expiryNanos);
        if (c == 0) c = Long.compare(a.seq, b.seq);
        return c != 0 ? c : Integer.compare(a.slot, b.slot);
    }

    /** A what-if with {@code options}' TIME_WAIT length, step, port range and extra timeouts. */
    /** A what-if with keys of its own (a stage shares one {@link Interned} between its parts). */
    IdleWhatIf(TimeWaitOptions options) {
        this(options, new Interned());
    }

    IdleWhatIf(TimeWaitOptions options, Interned interned) {
        this.interned = interned;
        this.timeWaitNanos = options.timeWaitNanos();
        TreeSet<Long> t = new TreeSet<>();
        for (long s : STANDARD_SECONDS) t.add(s * SECOND);
        for (double s : options.whatIfIdleSeconds()) {
            if (!(s > 0) || s > 86_400) throw new IllegalArgumentException("what-if idle timeout out of range: " + s);
            t.add(Math.round(s * 1e9));
        }
        this.timeouts = t.stream().mapToLong(Long::longValue).toArray();
        this.ports = options.ports();
        this.instants = new Instants(options.stepNanos());
        this.lagNanos = timeWaitNanos + SLACK_NANOS + timeouts[timeouts.length - 1];
    }

    /** Starts the instants at the capture's first packet, at {@code t}; once, before anything else. */
    void start(long t) {
        instants.start(t);
    }

    /**
     * Both sides of {@code c} have spoken, before any close: counted from here as the timeline counts "open", and
     * its start waits in the queue.
     */
    void opened(ConnectionView c, TimeWaitState s) {
        EndpointWhatIf e = endpoint(interned.server(c, s), c.firstNanos());
        e.open++;
        e.queued++;
        s.whatIfEndpoint = e;
        Host client = interned.client(c, s); // kept on the state
        s.whatIfOpen = true;
        live++;
        enqueueStart(c.firstNanos(), seq++, e, client);
    }

    /**
     * A segment with payload from {@code from}, at {@code t}, of a connection the what-if follows ({@code l}): returns
     * the start of the idle gap it ends (the server's last payload, when this is the client's first after it) if the
     * gap is longer than the shortest timeout tried, else {@link PacketTime#UNSET}. Reads and writes only {@code l}'s
     * fields for this and the final {@link #timeouts}, so it runs on whichever thread moves the connection; the gap
     * goes to {@link #gap} in the stage's order.
     */
    long follow(TimeWaitState l, Side from, long t) {
        long gap = PacketTime.UNSET;
        if (from == Side.SERVER) {
            l.lastServerPayload = t;
            l.serverSpokeLast = true;
        } else {
            if (l.serverSpokeLast && t - l.lastServerPayload > timeouts[0]) gap = l.lastServerPayload;
            l.serverSpokeLast = false;
        }
        return gap;
    }

    /**
     * An idle gap of {@code l} from {@code fromNanos} to {@code toNanos}, longer than the shortest timeout tried
     * ({@link #follow}): every shorter timeout splits the connection there.
     */
    void gap(TimeWaitState l, long fromNanos, long toNanos) {
        long length = toNanos - fromNanos;
        EndpointWhatIf e = l.whatIfEndpoint;
        for (int i = 0; i < timeouts.length && timeouts[i] < length; i++) {
            long at = fromNanos + timeouts[i];
            if (instants.isFinal(at)) late++;
            e.split(i + 1, l.client, at);
        }
    }

    @Override
    public void closed(ConnectionView c, TimeWaitState s, long nanos) {
        if (s.whatIfOpen) s.closedSeen = true;
    }

    @Override
    public void finished(ConnectionView c, TimeWaitState s, FlowRecord r, long nowNanos) {
        if (s.whatIfOpen) {
            s.whatIfOpen = false;
            live--;
            s.whatIfEndpoint.open--;
            HttpOutcome h = r.http();
            long serverStart = c.timeWaitStartNanos(Side.SERVER);
            long serverEnd = c.timeWaitEndNanos(Side.SERVER, timeWaitNanos);
            long close;
            if (h.closeReason() == CloseReason.SERVER_IDLE_TIMEOUT && PacketTime.isSet(h.idleBeforeCloseNanos())
                && PacketTime.isSet(close = c.firstCloseNanos())) {
                long idle = h.idleBeforeCloseNanos();
                lagNanos = Math.max(lagNanos, timeWaitNanos + SLACK_NANOS + idle);
                s.whatIfEndpoint.queued++;
                enqueue(new Event(close - idle, seq++, s.whatIfEndpoint, s.client,
                    new IdleClose(close - idle, close, serverStart, serverEnd, s.closedSeen)));
            } else {
                long clientStart = c.timeWaitStartNanos(Side.CLIENT);
                long start = PacketTime.earlier(serverStart, clientStart);
                if (PacketTime.isSet(start) && instants.isFinal(start)) late++;
                s.whatIfEndpoint.kept(s.client, s.closedSeen, serverStart, serverEnd,
                    clientStart, c.timeWaitEndNanos(Side.CLIENT, timeWaitNanos));
            }
        }
        // No advance here: the tracker may be handing on more connections at this moment, some with earlier
        // events; they have all arrived when the segment (or advanceTo) that made them due reaches this part.
    }

    /** Packet time has reached {@code nowNanos}: handles what is now a lag behind it. */
    @Override
    public void advanceTo(long nowNanos) {
        if (nowNanos <= now) return;
        now = nowNanos;
        long until = now - lagNanos;
        if (until >= due && until > handled) {
            handleBefore(until);
            due = instants.horizonNanos() + 1;
        }
    }

    /** The packet time from which {@link #advanceTo} may handle something: the lag past the next instant boundary. */
    long dueNanos() {
        long from = Math.max(due, handled + 1);
        return from > Long.MAX_VALUE - lagNanos ? Long.MAX_VALUE : from + lagNanos;
    }

    /** Every connection was handed on: handles everything left, up to the end of the capture, and makes the rows. */
    @Override
    public void finish() {
        if (!instants.started()) return;
        while (pending() > 0) handleNext();
        expireThrough(now);
        handled = Math.max(handled, now);
        instants.finishAt(now);
        long instantCount = instants.horizonIndex() - instants.firstIndex();
        List<WhatIfRow> all = new ArrayList<>();
        for (EndpointWhatIf e : endpoints.values()) {
            e.sweep();
            if (e.closesIdle()) all.addAll(e.rows(instantCount, ports));
        }
        rows = List.copyOf(all);
    }

    /** The connections held were dropped unwritten: their gaps and closes will never come. */
    @Override
    public void discardHeld() {
        live = 0; // the connections, and their states with them, are dropped by the tracker
        for (EndpointWhatIf e : endpoints.values()) e.open = 0;
    }

    /** The rows, once {@link #finish} ran: per endpoint that closed idle connections, the observed row and each timeout tried. */
    List<WhatIfRow> rows() {
        return rows;
    }

    /** What is held now: open connections, waiting starts and idle closes, reusable entries, client addresses. */
    int held() {
        int n = live + pending() + expiries.size();
        for (EndpointWhatIf e : endpoints.values()) n += e.clientAddresses();
        return n;
    }

    /** Starts, idle closes, gaps and TIME_WAITs that came after their moment had been handled, or were handled early. */
    long late() {
        return late + early;
    }

    @Override
    public String warning() {
        if (late() == 0) return null;
        return String.format(Locale.ROOT, "idle-timeout what-if: %,d connection events came after their moment had "
            + "been handled (idle times over the window, timestamps going backwards, or more than %,d waiting); "
            + "they were counted at once, so its figures may be off by that many", late(), MAX_PENDING);
    }

    /** Starts and idle closes waiting. */
    private int pending() {
        return starts.size() + events.size();
    }

    private void enqueueStart(long start, long arrival, EndpointWhatIf endpoint, Host client) {
        if (start >= handled && (starts.isEmpty() || start >= starts.lastTime())) {
            starts.add(start, arrival, endpoint, client);
            if (pending() > MAX_PENDING) handleEarly();
        } else {
            enqueue(new Event(start, arrival, endpoint, client, null));
        }
    }

    private void enqueue(Event e) {
        if (e.time() < handled) {
            late++;
            handle(e);
            expireThrough(handled - 1);
            return;
        }
        events.add(e);
        if (pending() > MAX_PENDING) handleEarly();
    }

    /** Too many wait: handles the oldest before its lag. */
    private void handleEarly() {
        early++;
        handleBefore(nextTime() + 1);
    }

    /** Whether the next waiting start comes before the next waiting event (by time, then arrival). */
    private boolean startFirst() {
        if (starts.isEmpty()) return false;
        Event e = events.peek();
        if (e == null) return true;
        long t = starts.firstTime();
        return t < e.time() || (t == e.time() && starts.firstSeq() < e.seq());
    }

    /** The time of the next start or event waiting; only while {@link #pending()} is above zero. */
    private long nextTime() {
        return startFirst() ? starts.firstTime() : events.peek().time();
    }

    /** Handles, in time order, every event before {@code until}, and expires what ran out before it. */
    private void handleBefore(long until) {
        while (pending() > 0 && nextTime() < until) handleNext();
        expireThrough(until - 1);
        handled = Math.max(handled, until);
        instants.advanceHorizon(handled);
        if (!PacketTime.isSet(lastSweep) || handled - lastSweep >= SECOND) {
            lastSweep = handled;
            sweep();
        }
    }

    private void handleNext() {
        if (startFirst()) {
            long t = starts.firstTime();
            EndpointWhatIf endpoint = starts.firstEndpoint();
            Host client = starts.firstClient();
            starts.removeFirst();
            // A start at the moment an idle connection runs out does not reuse it: expire first.
            expireThrough(t);
            handled = Math.max(handled, t);
            endpoint.queued--;
            endpoint.start(client, t);
            return;
        }
        Event e = events.poll();
        expireThrough(e.time());
        handled = Math.max(handled, e.time());
        handle(e);
    }

    private void handle(Event e) {
        EndpointWhatIf ep = e.endpoint();
        ep.queued--;
        if (e.close() == null) {
            ep.start(e.client(), e.time());
        } else {
            expiries.addAll(ep.idleClosed(e.client(), e.close(), e.seq()));
        }
    }

    private void expireThrough(long nanos) {
        while (!expiries.isEmpty() && expiries.peek().expiryNanos <= nanos) {
            Pooled p = expiries.poll();
            p.endpoint.expire(p);
        }
    }

    private void sweep() {
        Iterator<EndpointWhatIf> it = endpoints.values().iterator();
        while (it.hasNext()) {
            EndpointWhatIf e = it.next();
            e.sweep();
            if (e.forgettable()) {
                it.remove();
                if (e == lastEndpoint) lastEndpoint = null;
            }
        }
    }

    private EndpointWhatIf endpoint(ServerEndpoint key, long sinceNanos) {
        // Connections come in runs to one endpoint: the last one found, mostly (its key is shared, see Interned).
        EndpointWhatIf e = lastEndpoint;
        if (e != null && (e.key == key || e.key.equals(key))) return e;
        e = endpoints.get(key); // get, then put: no capturing lambda per call
        if (e == null) endpoints.put(key, e = new EndpointWhatIf(key, timeouts, timeWaitNanos, instants, sinceNanos));
        lastEndpoint = e;
        return e;
    }
}
