package dev.teardown.flow;

import dev.teardown.decode.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The open flows, keyed by canonical 4-tuple, with expiry driven by packet time only.
 *
 * <p>A flow expires a fixed time after its last packet: the closing timeout (TIME_WAIT) once it is
 * closing, the idle timeout before. So two lists ordered by last activity suffice: a packet moves its flow
 * to the tail of its list, and expiry takes flows from the heads. Every step is O(1) and allocation-free.
 */
public final class FlowTable<F extends FlowEntry> {
    private static final byte NONE = 0;
    private static final byte OPEN = 1;
    private static final byte CLOSING = 2;

    // Buckets of entries chained through FlowEntry.chain: no map entry object per flow. A small first table
    // that doubles as flows arrive (amortised O(1)); a large one made every small run (one per file with
    // --separate, one per cut in the truncation tests) pay to zero it. Keys hash under a random key per run,
    // so chains stay short whatever addresses and ports a sender picks (no collision flooding).
    private FlowEntry[] buckets = new FlowEntry[16];
    private int size;
    /** The last activity of each list's head (MAX_VALUE for an empty list), valid while {@link #headsChanged} is false. */
    private long closingHead = Long.MAX_VALUE;
    private long openHead = Long.MAX_VALUE;
    private boolean headsChanged = true;
    private final FlowKey probe = new FlowKey();
    private final HashKey hashKey;
    private final long closingNanos;
    private final long idleNanos;
    private final FlowEntry[] heads = new FlowEntry[3];
    private final FlowEntry[] tails = new FlowEntry[3];
    private long peak;

    /**
     * @param closingNanos how long a closing flow is kept after its last packet
     * @param idleNanos how long any other flow is kept after its last packet
     */
    public FlowTable(long closingNanos, long idleNanos) {
        this(closingNanos, idleNanos, HashKey.random());
    }

    /** A table hashing its keys under {@code hashKey} (tests fix it; real runs use a random one). */
    public FlowTable(long closingNanos, long idleNanos, HashKey hashKey) {
        this.closingNanos = closingNanos;
        this.idleNanos = idleNanos;
        this.hashKey = hashKey;
    }

    /** Points the probe key at the segment's 4-tuple. */
    public void probe(TcpSegment s) {
        probe.setFrom(s, hashKey);
    }

    /** The flow under the last probed key, or null. */
    @SuppressWarnings("unchecked")
    public F get() {
        FlowKey k = probe;
        int h = k.hashCode();
        FlowEntry[] table = buckets;
        int b = h & (table.length - 1);
        FlowEntry e = table[b];
        if (e == null || (e.hash == h && e.hasKey(k))) return (F) e;
        for (FlowEntry prev = e; (e = prev.chain) != null; prev = e) {
            if (e.hash == h && e.hasKey(k)) {
                // Found behind another entry: move it to the front of its bucket. A new flow goes in front, so a
                // long-lived connection ends up behind flows that opened after it and wait out TIME_WAIT, long out
                // of the cache; every packet of it would read one of them first. The order within a bucket means
                // nothing else: each key is in it at most once.
                prev.chain = e.chain;
                e.chain = table[b];
                table[b] = e;
                return (F) e;
            }
        }
        return null;
    }

    /** A stored copy of the last probed key. */
    public FlowKey newKey() {
        return probe.copy();
    }

    /** The last probed key itself, for a new flow to copy as its own (valid until the next probe). */
    public FlowKey probed() {
        return probe;
    }

    /**
     * Stores {@code flow} under its key. A flow it replaces stays in its expiry list until it expires or is
     * {@linkplain #remove removed}.
     */
    public void put(F flow, long nowNanos) {
        int b = flow.hash & (buckets.length - 1);
        FlowEntry prev = null;
        FlowEntry e = buckets[b];
        while (e != null && !e.sameKey(flow)) {
            prev = e;
            e = e.chain;
        }
        if (e == null) {
            flow.chain = buckets[b];
            buckets[b] = flow;
            if (++size > buckets.length - (buckets.length >> 2)) grow();
        } else if (e != flow) { // the flow it replaces leaves the bucket, not its expiry list
            flow.chain = e.chain;
            if (prev == null) buckets[b] = flow;
            else prev.chain = flow;
            e.chain = null;
        }
        peak = Math.max(peak, size);
        touch(flow, nowNanos);
    }

    private void grow() {
        FlowEntry[] old = buckets;
        FlowEntry[] next = new FlowEntry[old.length * 2];
        int mask = next.length - 1;
        for (FlowEntry head : old) {
            for (FlowEntry e = head; e != null; ) {
                FlowEntry following = e.chain;
                int b = e.hash & mask;
                e.chain = next[b];
                next[b] = e;
                e = following;
            }
        }
        buckets = next;
    }

    /** Records activity at {@code nowNanos}: the flow moves to the tail of the list its state calls for. */
    public void touch(F flow, long nowNanos) {
        if (nowNanos > flow.lastActivity || flow.list == NONE) flow.lastActivity = nowNanos;
        unlink(flow);
        link(flow, flow.closing() ? CLOSING : OPEN);
    }

    /** Drops {@code flow} from the table and its expiry list. */
    public void remove(F flow) {
        unlink(flow);
        int b = flow.hash & (buckets.length - 1);
        FlowEntry prev = null;
        for (FlowEntry e = buckets[b]; e != null; prev = e, e = e.chain) {
            if (e == flow) { // this very flow: one replaced under its key is no longer in the bucket
                if (prev == null) buckets[b] = e.chain;
                else prev.chain = e.chain;
                e.chain = null;
                size--;
                return;
            }
        }
    }

    /** Removes every flow whose timeout has passed at {@code nowNanos} and hands it to {@code expired}. */
    public void expire(long nowNanos, Consumer<F> expired) {
        // Called for every packet: the heads' last activity is kept here, so that a packet before either is due
        // reads no list head (an old connection, long out of the cache). Exactly the walk's own first test.
        if (headsChanged) {
            closingHead = heads[CLOSING] != null ? heads[CLOSING].lastActivity : Long.MAX_VALUE;
            openHead = heads[OPEN] != null ? heads[OPEN].lastActivity : Long.MAX_VALUE;
            headsChanged = false;
        }
        if (nowNanos - closingNanos < closingHead && nowNanos - idleNanos < openHead) return;
        expireList(CLOSING, nowNanos - closingNanos, expired);
        expireList(OPEN, nowNanos - idleNanos, expired);
    }

    @SuppressWarnings("unchecked")
    private void expireList(byte list, long lastAllowed, Consumer<F> expired) {
        FlowEntry head;
        while ((head = heads[list]) != null && head.lastActivity <= lastAllowed) {
            F flow = (F) head;
            remove(flow);
            expired.accept(flow);
        }
    }

    /**
     * Removes the least recently active flow, closing ones before open ones, to make room (a bounded live
     * table); returns it, or null when empty.
     *
     * <p>A closing flow's outcome is already decided (who closed, who holds TIME_WAIT and from when); writing
     * it early loses at most a later cut of its TIME_WAIT. An open flow written early loses its close, the
     * very thing the tool reports, so open flows go only when no closing one is left.
     */
    @SuppressWarnings("unchecked")
    public F evictOldest() {
        FlowEntry e = heads[CLOSING] != null ? heads[CLOSING] : heads[OPEN];
        if (e == null) return null;
        F flow = (F) e;
        remove(flow);
        return flow;
    }

    /** Removes and returns every flow still held, including flows since replaced under their key. */
    @SuppressWarnings("unchecked")
    public List<F> drain(Comparator<F> order) {
        List<F> all = new ArrayList<>(size);
        for (byte list = OPEN; list <= CLOSING; list++) {
            for (FlowEntry e = heads[list]; e != null; e = e.next) all.add((F) e);
            heads[list] = null;
            tails[list] = null;
        }
        headsChanged = true;
        for (F f : all) {
            f.prev = null;
            f.next = null;
            f.list = NONE;
        }
        for (F f : all) f.chain = null;
        java.util.Arrays.fill(buckets, null);
        size = 0;
        all.sort(order);
        return all;
    }

    /**
     * Visits every closing flow still held (replaced ones included), least recently active first, without
     * changing anything: a read-only walk for a status view.
     */
    @SuppressWarnings("unchecked")
    public void forEachClosing(Consumer<F> visitor) {
        for (FlowEntry e = heads[CLOSING]; e != null; e = e.next) visitor.accept((F) e);
    }

    /** Visits every flow that is not closing, least recently active first, without changing anything: a status view. */
    @SuppressWarnings("unchecked")
    public void forEachOpen(Consumer<F> visitor) {
        for (FlowEntry e = heads[OPEN]; e != null; e = e.next) visitor.accept((F) e);
    }

    /** Where {@code flow} is in its bucket: 0 at the front, -1 when the table holds it under no key (for tests). */
    int bucketPosition(F flow) {
        int i = 0;
        for (FlowEntry e = buckets[flow.hash & (buckets.length - 1)]; e != null; e = e.chain, i++) {
            if (e == flow) return i;
        }
        return -1;
    }

    /** Flows currently held under a key. */
    public int size() {
        return size;
    }

    /** The most flows held under a key at once. */
    public long peak() {
        return peak;
    }

    private void link(FlowEntry e, byte list) {
        e.list = list;
        e.prev = tails[list];
        e.next = null;
        if (tails[list] == null) {
            heads[list] = e;
            headsChanged = true;
        } else {
            tails[list].next = e;
        }
        tails[list] = e;
    }

    private void unlink(FlowEntry e) {
        if (e.list == NONE) return;
        if (e.prev == null) {
            heads[e.list] = e.next;
            headsChanged = true;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) tails[e.list] = e.prev;
        else e.next.prev = e.prev;
        e.prev = null;
        e.next = null;
        e.list = NONE;
    }
}
