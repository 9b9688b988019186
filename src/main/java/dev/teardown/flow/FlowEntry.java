package dev.teardown.flow;

/**
 * The part of a flow the {@link FlowTable} owns: its key, its last activity, and its links in the
 * table's bucket and expiry lists. Flows extend it so the table needs no per-flow wrapper or map entry.
 */
public abstract class FlowEntry {
    private final FlowKey key;
    /** The key's hash, kept here so that walking a bucket reads no other entry's key object. */
    final int hash;
    FlowEntry prev;
    FlowEntry next;
    /** The next entry in this entry's bucket of the table, while the table holds it under its key. */
    FlowEntry chain;
    /** Which expiry list holds this entry: 0 none, 1 open, 2 closing. */
    byte list;
    long lastActivity;

    protected FlowEntry(FlowKey key) {
        this.key = key;
        this.hash = key.hashCode();
    }

    /** The flow's own key, from {@link FlowTable#newKey()}. */
    public final FlowKey key() {
        return key;
    }

    /**
     * True once the flow only waits out its TIME_WAIT (or its lingering after a RST): it then expires
     * after the table's closing timeout instead of its idle timeout.
     */
    protected abstract boolean closing();
}
