package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowTable;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Maps segments to connection lifetimes and hands each finished connection on, exactly once.
 *
 * <p>A SYN with a new ISN on a tuple whose connection has finished starts a new lifetime (a retransmitted
 * SYN or FIN does not). A connection is handed on when packet time passes its deadline (its TIME-WAIT is
 * over, or it was idle too long), when a new lifetime settles its TIME-WAIT, or at the end of input; so
 * memory follows open connections, not the length of the capture. What happens on the way (closes, TIME-WAIT
 * starts and ends, tuple reuse, evictions) is told to {@link ConnectionEvents}; the tracker counts nothing
 * but its evictions.
 *
 * @param <S> the state later stages keep per connection, made by the supplier given when a connection opens
 */
public final class ConnectionTracker<S> {
    private final FlowTable<Connection<S>> table;
    private final ConnectionEvents<S> events;
    private final Supplier<S> stages;
    private final long timeWaitNanos;
    private long nextId = 1;
    private int maxConnections = Integer.MAX_VALUE;
    private long evictions;
    private long now = PacketTime.UNSET;
    private final Consumer<Connection<S>> emitter = this::emit;
    private final Consumer<Connection<S>> expirer = this::expired;

    /**
     * @param timeWaitNanos how long TIME-WAIT lasts (Linux: 60 s)
     * @param idleNanos how long an unfinished connection may go without packets before it is handed on
     * @param stages makes the later stages' fresh state for each new connection
     * @param events told what happens; {@link ConnectionEvents#finished} receives each connection once, after
     *     which it never changes
     */
    public ConnectionTracker(long timeWaitNanos, long idleNanos, Supplier<S> stages, ConnectionEvents<S> events) {
        this.timeWaitNanos = timeWaitNanos;
        this.stages = stages;
        this.events = events;
        // A closing connection is kept for one TIME_WAIT after its last packet: long enough to see the
        // tuple's next SYN (tuple reuse) and stray segments, and to know when its TIME_WAIT ended.
        this.table = new FlowTable<>(timeWaitNanos, idleNanos);
    }

    /** Applies one TCP segment; returns the connection it belongs to (still open, for later stages). */
    public Connection<S> onSegment(TcpSegment seg) {
        if (seg.timeNanos > now) {
            now = seg.timeNanos;
            table.expire(now, expirer);
        }
        table.probe(seg);
        Connection<S> c = table.get();
        if (c == null) {
            c = open(seg, null);
        } else if (startsNewLifetime(c, seg)) {
            c = open(seg, c);
        }
        long clientStart = c.endpoint(Side.CLIENT).timeWaitStartNanos;
        long serverStart = c.endpoint(Side.SERVER).timeWaitStartNanos;
        c.onSegment(seg);
        announceTimeWait(c, Side.CLIENT, clientStart);
        announceTimeWait(c, Side.SERVER, serverStart);
        if (!c.closeCounted && c.closing()) {
            c.closeCounted = true;
            events.closed(c, seg.timeNanos);
        }
        Connection<S> settled = c.takePredecessor(false);
        if (settled != null) emit(settled);
        table.touch(c, now);
        return c;
    }

    /** Tells the listener when {@code side}'s TIME-WAIT began or restarted with the segment just applied. */
    private void announceTimeWait(Connection<S> c, Side side, long startBefore) {
        long start = c.endpoint(side).timeWaitStartNanos;
        if (start != startBefore) events.timeWaitStarted(c, side, start);
    }

    /** Bounds the connections held: past it the least recently active one is written out early. */
    public void setMaxConnections(int max) {
        maxConnections = max;
    }

    /** Connections written out early because the table was full. */
    public long evictions() {
        return evictions;
    }

    /** Lets packet time move to {@code nowNanos} without a packet (a quiet live capture): expiry runs. */
    public void advanceTo(long nowNanos) {
        if (nowNanos > now) {
            now = nowNanos;
            table.expire(now, expirer);
        }
    }

    /** Hands on every connection still held, oldest first: the end of the input. */
    public void finish() {
        for (Connection<S> c : table.drain(Comparator.comparingLong(Connection::id))) emit(c);
    }

    /** The packet time reached so far, {@link PacketTime#UNSET} before any packet. */
    public long now() {
        return now;
    }

    /**
     * Visits every connection that is only waiting out TIME-WAIT (or lingering after a RST), least recently
     * active first, without changing anything: a read-only walk for a status view.
     */
    public void forEachClosing(Consumer<Connection<S>> visitor) {
        table.forEachClosing(visitor);
    }

    /**
     * Visits every connection that is not closing (open, half-closed, or not yet answered), least recently active
     * first, without changing anything: a read-only walk for a status view.
     */
    public void forEachOpen(Consumer<Connection<S>> visitor) {
        table.forEachOpen(visitor);
    }

    /** The id the next connection will get: ids are 1, 2, 3 ... in order of first packet. */
    public long nextId() { return nextId; }

    /**
     * Numbers the next connection {@code id} instead, and those after it on from there: a caller that sees only
     * part of a capture numbers connections by where they begin in the whole (a worker of a parallel run uses
     * the global index of their first packet). Ids must only grow, so their order stays the order of first packet.
     */
    public void setNextId(long id) {
        if (id < nextId) throw new IllegalArgumentException("ids only grow: " + id + " < " + nextId);
        nextId = id;
    }

    /** Connections currently held. */
    public int openConnections() { return table.size(); }

    /** The most connections held at once. */
    public long peakConnections() { return table.peak(); }

    private static boolean startsNewLifetime(Connection<?> c, TcpSegment seg) {
        // A SYN whose checksum failed never reached its receiver: it opens nothing new.
        if (!seg.has(TcpSegment.SYN) || seg.badChecksum) return false;
        Side from = c.senderOf(seg);
        Endpoint e = c.endpoint(from);
        boolean synAck = seg.has(TcpSegment.ACK);
        // A retransmitted SYN (or SYN-ACK) repeats the ISN (RFC 9293 section 3.8.1).
        if (e.synSeen && e.isn == seg.seq) return false;
        // The SYN-ACK answering the client's SYN belongs to it.
        if (synAck && from == Side.SERVER && !e.synSeen && c.endpoint(Side.CLIENT).state == TcpState.SYN_SENT) {
            return false;
        }
        return true;
    }

    private Connection<S> open(TcpSegment seg, Connection<S> previous) {
        // The entry copies the probed key's fields: no key object per connection.
        Connection<S> c = new Connection<>(nextId++, table.probed(), seg,
            clientIsSource(seg), stages.get());
        if (previous != null) {
            if (!previous.isFinished() && !previous.bothFinsSeen()) {
                // A new open while the old lifetime never closed in the capture (RFC 9293 MAY-2 allows a
                // SYN only after TIME-WAIT): the earlier close was not captured, or the tuple was reused.
                c.flag(Anomaly.PREMATURE_PORT_REUSE);
            }
            c.follow(previous, seg.timeNanos, timeWaitNanos);
            if (c.tupleReuse()) events.tupleReused(previous, c, seg.timeNanos);
            else emit(previous);
        }
        table.put(c, now);
        while (table.size() > maxConnections) {
            Connection<S> victim = table.evictOldest();
            if (victim == null || victim == c) break;
            evictions++;
            events.evicted(victim);
            emit(victim);
        }
        return c;
    }

    /**
     * Decides which end of a first segment is the client: the SYN sender, the SYN-ACK receiver, else the
     * best evidence of a mid-stream segment (an HTTP request or response line, then the port numbers).
     */
    static boolean clientIsSource(TcpSegment seg) {
        if (seg.has(TcpSegment.SYN)) return !seg.has(TcpSegment.ACK);
        int http = PayloadHint.httpDirection(seg);
        if (http != 0) return http > 0;
        int src = portRank(seg.srcPort);
        int dst = portRank(seg.dstPort);
        if (src != dst) return src > dst;
        return seg.srcPort > seg.dstPort;
    }

    /** 0 for well-known ports, 1 for registered ones, 2 for the usual ephemeral range (Linux 32768+). */
    private static int portRank(int port) {
        return port < 1024 ? 0 : port < 32768 ? 1 : 2;
    }

    /** {@code c} timed out in the table: the listener hears it before the records it causes. */
    private void expired(Connection<S> c) {
        events.timedOut(c);
        emit(c);
    }

    private void emit(Connection<S> c) {
        if (!c.markEmitted(now)) return;
        table.remove(c);
        Connection<S> p = c.takePredecessor(true);
        if (p != null) emit(p);
        for (Side side : Side.BOTH) {
            long end = c.endpoint(side).timeWaitEndNanos(timeWaitNanos);
            if (PacketTime.isSet(end)) events.timeWaitEnded(c, side, end);
        }
        events.finished(c);
    }
}
