package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Addresses;
import dev.teardown.decode.TcpSegment;
import dev.teardown.report.FlowRecord;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TCP timestamp clocks (RFC 7323) per (client address, server address) pair, read from connection-opening SYNs,
 * and the SYNs Linux's {@code tcp_tw_recycle} (removed in Linux 4.12) would have dropped (docs/output.md, "TCP
 * timestamp clocks").
 *
 * <p><b>Clocks</b> (inference, see {@link PeerClocks}): the first SYN (no ACK) of each connection that carries
 * timestamps is placed on a clock line of its pair. Pairs, not addresses alone, because since Linux 4.11 the
 * offset is random per (source, destination) address pair ({@code secure_tcp_ts_off(net, saddr, daddr)},
 * net/core/secure_seq.c): one host shows one clock per server address. Several clocks in one pair mean several
 * senders behind one address (NAT), or a sender whose offset changes per connection (Linux 4.10, Linux since
 * commit 165573e41f2f "tcp: secure_seq: add back ports to TS offset", 2026; FreeBSD, whose
 * net.inet.tcp.ts_offset_per_conn is 1 by default): {@link ClockFigures.Row#clockPerConnection()} tells that
 * case when it can. Retransmitted SYNs are counted but not placed: some stacks repeat the TSval.
 *
 * <p><b>tcp_tw_recycle</b> (modelled from Linux 4.4: net/ipv4/tcp_minisocks.c {@code tcp_time_wait},
 * net/ipv4/tcp_metrics.c {@code tcp_remember_stamp}, {@code tcp_peer_is_proven}, net/ipv4/tcp_input.c
 * {@code tcp_conn_request}, include/net/tcp.h): the host is the capture's server. When the server side of a
 * connection enters TIME_WAIT, the client's {@code ts_recent} (the newest TSval received from it, here: the newest
 * by signed 32-bit order of the client's segments so far) and the second it arrived are remembered per (server
 * address, client address), the key of tcp_metrics since Linux 3.13, unless the record holds a newer TSval and is
 * at most TCP_PAWS_MSL (60 s) old. A later SYN of that pair is dropped when the record is under 60 s old (whole
 * seconds of packet time, as {@code get_seconds()}) and the SYN's TSval is more than TCP_PAWS_WINDOW (1) older, or
 * the SYN has no timestamps. A SYN that meets its own 4-tuple in the server's TIME_WAIT is exempt (the kernel's
 * {@code isn != 0}: {@code tcp_timewait_state_process} decides). Not modelled: syncookies (exempt too), source-routed
 * SYNs ({@code strict} false), tcp_metrics entries evicted (hash buckets hold 5, entries expire after an hour), the
 * host's own clock standing in for the tap's, and what a drop would have changed next (the client retries, the
 * connection and its TIME_WAIT come later or never): the capture is read as it happened.
 *
 * <p>Memory: one {@link PeerClocks} per pair seen (a fixed record and at most {@link PeerClocks#MAX_CLOCKS} clocks);
 * the client's {@code ts_recent} is the tracker's ({@link dev.teardown.teardown.Endpoint#tsRecent()}), so nothing is kept or touched per
 * packet but a client's SYN.
 */
final class TimestampClocks implements Part {
    /** TCP_PAWS_MSL, include/net/tcp.h: per-host timestamps are valid this many seconds. */
    static final long PAWS_MSL_SECONDS = 60;
    /** TCP_PAWS_WINDOW, include/net/tcp.h: the replay window for per-host timestamps, in ticks. */
    static final int PAWS_WINDOW = 1;
    private static final long SECOND = 1_000_000_000L;

    /**
     * Pairs tracked at most: a SYN flood from spoofed addresses would otherwise grow the table without bound (each
     * pair holds about 200 bytes with its key). Past it, a new pair's SYNs are counted in the totals only.
     */
    static final int MAX_PAIRS = 65_536;
    private final Map<PairKey, PeerClocks> pairs = new HashMap<>();
    /** SYNs of pairs not tracked because the table was full, and how many of them carried timestamps. */
    private long untrackedSyns;
    private long untrackedTimestampSyns;
    /** Reused for look-ups, so a look-up allocates nothing. */
    private final PairKey probe = new PairKey();
    /** The pair found last (pairs are never dropped, so it stays valid). */
    private PeerClocks lastPair;
    /**
     * The stage state of the connection whose SYN met its own 4-tuple in the server's TIME_WAIT, or null: the state,
     * not the connection's view (a parallel run's merger gets a view made for the one event) nor its id (reading it
     * there reads the connection, long out of that thread's cache); a connection's state is the same object throughout.
     */
    private TimeWaitState metTimeWait;

    /** The tracker has applied {@code seg}, from {@code from}, to {@code c}: a client's SYN is placed on a clock. */
    void onSegment(ConnectionView c, TimeWaitState s, TcpSegment seg, Side from) {
        if (from == Side.CLIENT && seg.has(TcpSegment.SYN) && !seg.has(TcpSegment.ACK)) onSyn(c, s, seg);
    }

    private void onSyn(ConnectionView c, TimeWaitState s, TcpSegment seg) {
        PeerClocks p = s.peerClocks != null ? s.peerClocks : pair(c);
        s.peerClocks = p;
        if (p == null) {
            untrackedSyns++;
            if (seg.hasTimestamp) untrackedTimestampSyns++;
            return;
        }
        p.countSyn(seg.timeNanos, seg.hasTimestamp);
        boolean first = c.packets(Side.CLIENT) == 1;
        boolean exempt = first && metTimeWait == s;
        if (!exempt && p.wouldDrop(Math.floorDiv(seg.timeNanos, SECOND), seg.hasTimestamp, seg.tsVal)) p.recycleDrops++;
        if (first && seg.hasTimestamp) p.place(seg.timeNanos, seg.tsVal);
    }

    /**
     * The server side entered TIME_WAIT: Linux's {@code tcp_remember_stamp} at that moment, with the client's
     * {@code ts_recent}, which the tracker has already updated with the segment that caused it (it may be the
     * client's FIN). Only the first entry: a TIME_WAIT restarted by a retransmitted FIN does not remember again.
     */
    @Override
    public void timeWaitStarted(ConnectionView c, TimeWaitState s, Side side, long nanos) {
        if (side != Side.SERVER || s.recentRemembered) return;
        long recentNanos = c.tsRecentNanos(Side.CLIENT);
        if (!PacketTime.isSet(recentNanos)) return;
        s.recentRemembered = true;
        PeerClocks p = s.peerClocks != null ? s.peerClocks : pair(c); // the pair of its SYN, looked up then
        if (p != null) {
            p.remember(c.tsRecent(Side.CLIENT), Math.floorDiv(recentNanos, SECOND), Math.floorDiv(nanos, SECOND));
        }
    }

    /** A SYN met {@code previous}'s TIME_WAIT on its 4-tuple: when the server side held it, the kernel's TIME_WAIT code decides. */
    @Override
    public void tupleReused(ConnectionView previous, TimeWaitState ps, ConnectionView next, TimeWaitState ns,
                            long nanos) {
        long start = previous.timeWaitStartNanos(Side.SERVER);
        // The end is checked against 60 s, Linux's fixed TIME_WAIT (TCP_TIMEWAIT_LEN), which is also tcp_tw_recycle's era.
        if (PacketTime.isSet(start) && nanos >= start
            && nanos < previous.timeWaitEndNanos(Side.SERVER, PAWS_MSL_SECONDS * SECOND)) {
            metTimeWait = ns;
        }
    }

    @Override
    public void finished(ConnectionView c, TimeWaitState s, FlowRecord r, long nowNanos) {
        if (metTimeWait == s) metTimeWait = null;
    }

    @Override
    public void discardHeld() {
        metTimeWait = null; // the connections are dropped by the tracker
    }

    /** The pair of {@code c}, made if new; null when it is new and {@link #MAX_PAIRS} pairs are tracked already. */
    private PeerClocks pair(ConnectionView c) {
        int v = c.ipVersion();
        long cHi = c.clientHi();
        long cLo = c.clientLo();
        long sHi = c.serverHi();
        long sLo = c.serverLo();
        // SYNs come in runs from one client to one server: the pair of the last look-up, mostly.
        PeerClocks last = lastPair;
        if (last != null && last.sameKey(v, cHi, cLo, sHi, sLo)) return last;
        probe.set(v, cHi, cLo, sHi, sLo);
        PeerClocks p = pairs.get(probe);
        if (p == null) {
            if (pairs.size() >= MAX_PAIRS) return null;
            p = new PeerClocks(c.ipVersion(), c.clientHi(), c.clientLo(), c.serverHi(), c.serverLo());
            PairKey key = new PairKey();
            key.set(c.ipVersion(), c.clientHi(), c.clientLo(), c.serverHi(), c.serverLo());
            pairs.put(key, p);
        }
        lastPair = p;
        return p;
    }

    /** The figures so far; changes nothing. */
    ClockFigures figures() {
        if (pairs.isEmpty()) return ClockFigures.EMPTY;
        long several = 0;
        long syns = 0;
        long timestampSyns = 0;
        long drops = 0;
        List<PeerClocks> all = new ArrayList<>(pairs.values());
        for (PeerClocks p : all) {
            if (p.clocks() >= 2) several++;
            syns += p.syns;
            timestampSyns += p.timestampSyns;
            drops += p.recycleDrops;
        }
        all.sort(TimestampClocks::order);
        List<ClockFigures.Row> rows = new ArrayList<>();
        for (PeerClocks p : all.subList(0, Math.min(all.size(), ClockFigures.MAX_ROWS))) {
            rows.add(new ClockFigures.Row(Addresses.format(p.ipVersion, p.clientHi, p.clientLo),
                Addresses.format(p.ipVersion, p.serverHi, p.serverLo), p.syns, p.timestampSyns, p.connections,
                p.clocks(), p.unplaced, p.recycleDrops, p.firstNanos, p.lastNanos));
        }
        return new ClockFigures(rows, pairs.size(), several, syns + untrackedSyns, timestampSyns + untrackedTimestampSyns,
            drops, untrackedSyns);
    }

    /**
     * Most clocks, most drops, most SYNs first; then by addresses as unsigned numbers, so the order is total. One
     * method, not a chain of comparators: the chain's nine lambdas were linked when the class loaded, in every run.
     */
    private static int order(PeerClocks a, PeerClocks b) {
        int c = Integer.compare(b.clocks(), a.clocks());
        if (c == 0) c = Long.compare(b.recycleDrops, a.recycleDrops);
        if (c == 0) c = Long.compare(b.syns, a.syns);
        if (c == 0) c = Integer.compare(a.ipVersion, b.ipVersion);
        if (c == 0) c = Long.compareUnsigned(a.clientHi, b.clientHi);
        if (c == 0) c = Long.compareUnsigned(a.clientLo, b.clientLo);
        if (c == 0) c = Long.compareUnsigned(a.serverHi, b.serverHi);
        if (c == 0) c = Long.compareUnsigned(a.serverLo, b.serverLo);
        return c;
    }

    /**
     * A pair's key; one instance is reused as the look-up probe. Comparable, so a HashMap bucket that addresses
     * chosen to collide fill is searched as a tree, not a list.
     */
    private static final class PairKey implements Comparable<PairKey> {
        int version;
        long clientHi;
        long clientLo;
        long serverHi;
        long serverLo;

        void set(int v, long cHi, long cLo, long sHi, long sLo) {
            version = v;
            clientHi = cHi;
            clientLo = cLo;
            serverHi = sHi;
            serverLo = sLo;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PairKey k && k.version == version && k.clientLo == clientLo && k.serverLo == serverLo
                && k.clientHi == clientHi && k.serverHi == serverHi;
        }

        @Override
        public int hashCode() {
            long h = clientLo * 0x9E3779B97F4A7C15L + clientHi;
            h = (h ^ h >>> 29) * 0xBF58476D1CE4E5B9L + serverLo;
            h = (h ^ h >>> 31) * 0x94D049BB133111EBL + serverHi + version;
            return (int) (h ^ h >>> 32);
        }

        @Override
        public int compareTo(PairKey o) {
            int c = Integer.compare(version, o.version);
            if (c == 0) c = Long.compare(clientHi, o.clientHi);
            if (c == 0) c = Long.compare(clientLo, o.clientLo);
            if (c == 0) c = Long.compare(serverHi, o.serverHi);
            if (c == 0) c = Long.compare(serverLo, o.serverLo);
            return c;
        }
    }
}
