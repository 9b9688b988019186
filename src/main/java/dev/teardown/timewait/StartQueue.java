package dev.teardown.timewait;

/**
 * The what-if's connection starts waiting for their lag, in arrival order: a ring of columns (time, arrival number,
 * endpoint, client) rather than a queue of the connections' states, so a start handled a lag later reads four
 * adjacent array cells instead of a state object long out of the cache, and the state is not kept alive for the
 * lag (every start of a capture shorter than the lag stays queued to its end).
 */
final class StartQueue {
    private long[] times = new long[64];
    private long[] seqs = new long[64];
    private EndpointWhatIf[] endpoints = new EndpointWhatIf[64];
    private Host[] clients = new Host[64];
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds a start at the end. */
    void add(long time, long seq, EndpointWhatIf endpoint, Host client) {
        if (size == times.length) grow();
        int i = (head + size) & (times.length - 1);
        times[i] = time;
        seqs[i] = seq;
        endpoints[i] = endpoint;
        clients[i] = client;
        size++;
    }

    /** The first start's time; only when not empty. */
    long firstTime() {
        return times[head];
    }

    /** The first start's arrival number; only when not empty. */
    long firstSeq() {
        return seqs[head];
    }

    EndpointWhatIf firstEndpoint() {
        return endpoints[head];
    }

    Host firstClient() {
        return clients[head];
    }

    /** The last start's time; only when not empty. */
    long lastTime() {
        return times[(head + size - 1) & (times.length - 1)];
    }

    /** Drops the first start (after reading it). */
    void removeFirst() {
        endpoints[head] = null;
        clients[head] = null;
        head = (head + 1) & (times.length - 1);
        size--;
    }

    private void grow() {
        int n = times.length;
        times = unwrap(times, new long[2 * n]);
        seqs = unwrap(seqs, new long[2 * n]);
        endpoints = unwrap(endpoints, new EndpointWhatIf[2 * n]);
        clients = unwrap(clients, new Host[2 * n]);
        head = 0;
    }

    /** Copies a full ring into {@code to} from its head on, so that it starts at 0. */
    private <A> A unwrap(A from, A to) {
        int n = java.lang.reflect.Array.getLength(from);
        System.arraycopy(from, head, to, 0, n - head);
        System.arraycopy(from, 0, to, n - head, head);
        return to;
    }

    /** For tests: the times queued, first to last. */
    long[] times() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = times[(head + i) & (times.length - 1)];
        return out;
    }
}
