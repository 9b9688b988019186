package dev.teardown.flow;

/**
 * The part of a flow the {@link FlowTable} owns: its key, its last activity, and its links in the
 * table's bucket and expiry lists. Flows extend it so the table needs no per-flow wrapper or map entry.
 *
 * <p>The key's fields are copied in, not kept as a key object: a lookup compares them on the entry it reads anyway,
 * so finding a packet's flow costs one object's cache lines, not two.
 */
public abstract class FlowEntry {
    private final long aHi;
    private final long aLo;
    private final long bHi;
    private final long bLo;
    private final long tunnelId;
    /** The lower endpoint's port in the upper 16 bits, the other's below. */
    private final int ports;
    private final int ipVersion;
    /** The key's hash: walking a bucket compares it first. */
    final int hash;
    FlowEntry prev;
    FlowEntry next;
    /** The next entry in this entry's bucket of the table, while the table holds it under its key. */
    FlowEntry chain;
    /** Which expiry list holds this entry: 0 none, 1 open, 2 closing. */
    byte list;
    long lastActivity;

    /** An entry under {@code key} (copied: the key may be a table's probe, which moves on). */
    protected FlowEntry(FlowKey key) {
        this.aHi = key.aHi;
        this.aLo = key.aLo;
        this.bHi = key.bHi;
        this.bLo = key.bLo;
        this.tunnelId = key.tunnelId;
        this.ports = key.aPort << 16 | key.bPort;
        this.ipVersion = key.ipVersion();
        this.hash = key.hashCode();
    }

    /** Whether this entry's key is {@code k}. */
    final boolean hasKey(FlowKey k) {
        return k.hashCode() == hash && k.aLo == aLo && k.bLo == bLo && (k.aPort << 16 | k.bPort) == ports
            && k.aHi == aHi && k.bHi == bHi && k.ipVersion() == ipVersion && k.tunnelId == tunnelId;
    }

    /** Whether this entry and {@code o} have the same key. */
    final boolean sameKey(FlowEntry o) {
        return o.hash == hash && o.aLo == aLo && o.bLo == bLo && o.ports == ports && o.aHi == aHi && o.bHi == bHi
            && o.ipVersion == ipVersion && o.tunnelId == tunnelId;
    }

    /**
     * True once the flow only waits out its TIME_WAIT (or its lingering after a RST): it then expires
     * after the table's closing timeout instead of its idle timeout.
     */
    protected abstract boolean closing();
}
