package dev.teardown.http;

/**
 * Requests waiting for their responses, oldest first: pipelined requests are answered in order (RFC 9112
 * section 9.3.2). A ring of packed {@link MessageBits}, grown on demand up to a limit; requests beyond it are
 * only counted, and answered as plain HTTP/1.1 requests.
 */
final class PendingRequests {
    private final int limit;
    private int[] ring;
    private int first;
    private int size;
    private long overflow;

    PendingRequests(int limit) {
        this.limit = limit;
    }

    /** Adds a request; false when the limit was reached and only its existence is kept. */
    boolean offer(int request) {
        if (size == limit) {
            overflow++;
            return false;
        }
        if (ring == null || size == ring.length) grow();
        ring[(first + size) % ring.length] = request;
        size++;
        return true;
    }

    /** The oldest request, or {@link MessageBits#NONE} when none is waiting. */
    int poll() {
        if (size > 0) {
            int r = ring[first];
            first = (first + 1) % ring.length;
            size--;
            return r;
        }
        if (overflow > 0) {
            overflow--;
            return MessageBits.ANONYMOUS;
        }
        return MessageBits.NONE;
    }

    boolean isEmpty() {
        return size == 0 && overflow == 0;
    }

    void clear() {
        first = 0;
        size = 0;
        overflow = 0;
    }

    private void grow() {
        int[] bigger = new int[ring == null ? 4 : Math.min(limit, ring.length * 2)];
        for (int i = 0; i < size; i++) bigger[i] = ring[(first + i) % ring.length];
        ring = bigger;
        first = 0;
    }
}
