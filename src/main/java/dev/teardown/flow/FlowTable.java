package dev.teardown.flow;

import dev.teardown.decode.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The open flows, keyed by canonical 4-tuple, with expiry driven by packet time only.
 *
 * <p>Each flow states its own deadline. The table queues a flow under the earliest deadline it was told
 * of and re-checks it when that passes: a later deadline just re-queues it, an earlier one is queued at
 * once by {@link #reschedule}. A packet costs one hash lookup and one queue peek.
 */
public final class FlowTable<F extends FlowTable.Flow> {

    /** What the table needs from a flow. */
    public interface Flow {
        /** The flow's own key, from {@link #newKey()}. */
        FlowKey key();

        /** Packet time (ns) after which the flow may be dropped. */
        long deadlineNanos();

        /** The deadline the flow is queued under; owned by the table. */
        long queuedDeadline();

        void setQueuedDeadline(long nanos);
    }

    private record Entry<F>(long deadline, F flow) {}

    private final HashMap<FlowKey, F> flows = new HashMap<>(1 << 12);
    private final PriorityQueue<Entry<F>> queue = new PriorityQueue<>(Comparator.comparingLong(Entry::deadline));
    private final FlowKey probe = new FlowKey();
    private long peak;

    /** Points the probe key at the segment's 4-tuple. */
    public void probe(TcpSegment s) {
        probe.setFrom(s);
    }

    /** The flow under the last probed key, or null. */
    public F get() {
        return flows.get(probe);
    }

    /** A stored copy of the last probed key, for a new flow to keep as its own. */
    public FlowKey newKey() {
        return probe.copy();
    }

    /** Stores {@code flow} under its key (replacing any flow there) and queues its deadline. */
    public void put(F flow) {
        flows.put(flow.key(), flow);
        peak = Math.max(peak, flows.size());
        long d = flow.deadlineNanos();
        flow.setQueuedDeadline(d);
        queue.add(new Entry<>(d, flow));
    }

    /** Call after a flow's deadline changed: an earlier deadline is queued now, a later one on expiry. */
    public void reschedule(F flow) {
        long d = flow.deadlineNanos();
        if (d < flow.queuedDeadline()) {
            flow.setQueuedDeadline(d);
            queue.add(new Entry<>(d, flow));
        }
    }

    /**
     * Removes every flow whose deadline is at or before {@code nowNanos} from the table and hands it to
     * {@code expired}.
     */
    public void expire(long nowNanos, Consumer<F> expired) {
        Entry<F> head;
        while ((head = queue.peek()) != null && head.deadline() <= nowNanos) {
            queue.poll();
            F flow = head.flow();
            if (flow.queuedDeadline() != head.deadline()) continue; // superseded by an earlier entry
            long d = flow.deadlineNanos();
            if (d > nowNanos) {
                flow.setQueuedDeadline(d);
                queue.add(new Entry<>(d, flow));
            } else {
                flow.setQueuedDeadline(Long.MIN_VALUE);
                flows.remove(flow.key(), flow);
                expired.accept(flow);
            }
        }
    }

    /**
     * Removes and returns every flow still queued, including flows since replaced under their key, once
     * each, in the order {@code order} gives.
     */
    public List<F> drain(Comparator<F> order) {
        IdentityHashMap<F, Boolean> unique = new IdentityHashMap<>();
        for (Entry<F> e : queue) unique.put(e.flow(), Boolean.TRUE);
        queue.clear();
        flows.clear();
        List<F> all = new ArrayList<>(unique.keySet());
        all.sort(order);
        return all;
    }

    /** Flows currently held. */
    public int size() { return flows.size(); }

    /** The most flows held at once. */
    public long peak() { return peak; }
}
