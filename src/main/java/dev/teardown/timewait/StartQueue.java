package dev.teardown.timewait;

/**
 * The what-if's connection starts waiting for their lag, in arrival order: columns (time, arrival number, endpoint,
 * client) rather than a queue of the connections' states, so a start handled a lag later reads adjacent array cells
 * instead of a state object long out of the cache, and the state is not kept alive for the lag (every start of a
 * capture shorter than the lag stays queued to its end). The columns come in blocks of {@link #BLOCK} starts linked
 * first to last: the queue grows without copying, and a block emptied at the head is kept for the next one needed.
 */
final class StartQueue {
    /** Starts per block. */
    static final int BLOCK = 1024;

    private static final class Block {
        final long[] times = new long[BLOCK];
        final long[] seqs = new long[BLOCK];
        final EndpointWhatIf[] endpoints = new EndpointWhatIf[BLOCK];
        final Host[] clients = new Host[BLOCK];
        Block next;
    }

    /** The block of the first start, and the first start's place in it. */
    private Block head;
    private int first;
    /** The block the next start goes to, and its place there. */
    private Block tail;
    private int end;
    /** One emptied block, kept for reuse. */
    private Block spare;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds a start at the end. */
    void add(long time, long seq, EndpointWhatIf endpoint, Host client) {
        if (tail == null || end == BLOCK) {
            Block b = spare != null ? spare : new Block();
            spare = null;
            if (tail == null) {
                head = b;
                first = 0;
            } else {
                tail.next = b;
            }
            tail = b;
            end = 0;
        }
        tail.times[end] = time;
        tail.seqs[end] = seq;
        tail.endpoints[end] = endpoint;
        tail.clients[end] = client;
        end++;
        size++;
    }

    /** The first start's time; only when not empty. */
    long firstTime() {
        return head.times[first];
    }

    /** The first start's arrival number; only when not empty. */
    long firstSeq() {
        return head.seqs[first];
    }

    /** The first start's endpoint; only when not empty. */
    EndpointWhatIf firstEndpoint() {
        return head.endpoints[first];
    }

    /** The first start's client; only when not empty. */
    Host firstClient() {
        return head.clients[first];
    }

    /** The last start's time; only when not empty. */
    long lastTime() {
        return tail.times[end - 1];
    }

    /** Drops the first start (after reading it). */
    void removeFirst() {
        head.endpoints[first] = null;
        head.clients[first] = null;
        first++;
        size--;
        if (size == 0) {
            // Empty: the one block in use starts over.
            head.next = null;
            tail = head;
            first = 0;
            end = 0;
        } else if (first == BLOCK) {
            Block done = head;
            head = done.next;
            first = 0;
            done.next = null;
            spare = done;
        }
    }

    /** For tests: the times queued, first to last. */
    long[] times() {
        long[] out = new long[size];
        Block b = head;
        int i = first;
        for (int n = 0; n < size; n++) {
            if (i == BLOCK) {
                b = b.next;
                i = 0;
            }
            out[n] = b.times[i++];
        }
        return out;
    }
}
