package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowTable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Maps segments to connection lifetimes and hands each finished connection on, exactly once.
 *
 * <p>A SYN with a new ISN on a tuple whose connection has finished starts a new lifetime (a retransmitted
 * SYN or FIN does not). A connection is handed on when packet time passes its deadline (its TIME-WAIT is
 * over, or it was idle too long), when a new lifetime settles its TIME-WAIT, or at the end of input; so
 * memory follows open connections, not the length of the capture.
 */
public final class ConnectionTracker {
    private final FlowTable<Connection> table;
    private final Consumer<Connection> sink;
    private final long timeWaitNanos;
    private long nextId = 1;
    private int maxConnections = Integer.MAX_VALUE;
    private long evictions;
    private long now = PacketTime.UNSET;
    private final long[] closes = new long[Sides.values().length];
    private long aborts;
    private final Consumer<Connection> emitter = this::emit;

    /**
     * @param timeWaitNanos how long TIME-WAIT lasts (Linux: 60 s)
     * @param idleNanos how long an unfinished connection may go without packets before it is handed on
     * @param sink receives each connection once, after which it never changes
     */
    public ConnectionTracker(long timeWaitNanos, long idleNanos, Consumer<Connection> sink) {
        this.timeWaitNanos = timeWaitNanos;
        this.sink = sink;
        // A closing connection is kept for one TIME_WAIT after its last packet: long enough to see the
        // tuple's next SYN (tuple reuse) and stray segments, and to know when its TIME_WAIT ended.
        this.table = new FlowTable<>(timeWaitNanos, idleNanos);
    }

    /** Applies one TCP segment; returns the connection it belongs to (still open, for later stages). */
    public Connection onSegment(TcpSegment seg) {
        if (seg.timeNanos > now) {
            now = seg.timeNanos;
            table.expire(now, emitter);
        }
        table.probe(seg);
        Connection c = table.get();
        if (c == null) {
            c = open(seg, null);
        } else if (startsNewLifetime(c, seg)) {
            c = open(seg, c);
        }
        c.onSegment(seg);
        if (!c.closeCounted && c.closing()) countClose(c);
        Connection settled = c.takePredecessor(false);
        if (settled != null) emit(settled);
        table.touch(c, now);
        return c;
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
            table.expire(now, emitter);
        }
    }

    /** Hands on every connection still held, oldest first: the end of the input. */
    public void finish() {
        for (Connection c : table.drain(Comparator.comparingLong(Connection::id))) emit(c);
    }

    /**
     * What the tracker holds at the current packet time, for a live status line: closes counted so far,
     * and the {@code top} server endpoints by connections held in TIME-WAIT. Walks the closing connections.
     */
    public TrackerView view(int top) {
        return new TrackerView(now, closes[Sides.CLIENT.ordinal()], closes[Sides.SERVER.ordinal()],
            closes[Sides.BOTH.ordinal()], aborts, table.size(), evictions, timeWaitByServer(top));
    }

    /**
     * The connections each side of each server endpoint holds in TIME-WAIT at the current packet time,
     * according to the model, most held first; at most {@code top} endpoints.
     */
    private List<ServerTimeWait> timeWaitByServer(int top) {
        Map<ServerTimeWait.Key, long[]> held = new HashMap<>();
        table.forEachClosing(c -> {
            for (Side side : Side.values()) {
                Endpoint e = c.endpoint(side);
                if (PacketTime.isSet(e.timeWaitStartNanos) && e.timeWaitEndNanos(timeWaitNanos) > now) {
                    held.computeIfAbsent(ServerTimeWait.Key.of(c), k -> new long[Side.values().length])[side.ordinal()]++;
                }
            }
        });
        return held.entrySet().stream()
            .map(en -> new ServerTimeWait(en.getKey(), en.getValue()[Side.CLIENT.ordinal()], en.getValue()[Side.SERVER.ordinal()]))
            .sorted(Comparator.comparingLong(ServerTimeWait::total).reversed().thenComparing(ServerTimeWait::endpoint))
            .limit(top)
            .toList();
    }

    /** Connections currently held. */
    public int openConnections() { return table.size(); }

    /** The most connections held at once. */
    public long peakConnections() { return table.peak(); }

    private static boolean startsNewLifetime(Connection c, TcpSegment seg) {
        if (!seg.has(TcpSegment.SYN)) return false;
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

    private Connection open(TcpSegment seg, Connection previous) {
        Connection c = new Connection(nextId++, table.newKey(), seg, clientIsSource(seg));
        if (previous != null) {
            if (!previous.isFinished() && !previous.bothFinsSeen()) {
                // A new open while the old lifetime never closed in the capture (RFC 9293 MAY-2 allows a
                // SYN only after TIME-WAIT): the earlier close was not captured, or the tuple was reused.
                c.flag(Anomaly.PREMATURE_PORT_REUSE);
            }
            c.follow(previous, seg.timeNanos, timeWaitNanos);
            if (!c.tupleReuse()) emit(previous);
        }
        table.put(c, now);
        while (table.size() > maxConnections) {
            Connection victim = table.evictOldest();
            if (victim == null || victim == c) break;
            evictions++;
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

    /** Counts a close once, when the connection starts closing: both FINs seen, or a RST aborted it. */
    private void countClose(Connection c) {
        c.closeCounted = true;
        if (c.wasReset()) aborts++;
        else closes[Teardown.initiator(c.endpoint(Side.CLIENT), c.endpoint(Side.SERVER)).ordinal()]++;
    }

    private void emit(Connection c) {
        if (!c.markEmitted()) return;
        table.remove(c);
        Connection p = c.takePredecessor(true);
        if (p != null) emit(p);
        sink.accept(c);
    }
}
