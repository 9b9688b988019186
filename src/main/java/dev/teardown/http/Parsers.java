package dev.teardown.http;

import dev.teardown.teardown.Side;

/**
 * The parsing machinery of one HTTP/1.x conversation (a decoder and a stream per direction, and the requests waiting
 * for responses), which a finished conversation hands back to its tracker's {@link Pool} for the next one.
 *
 * <p>Why: on a busy server's capture most connections carry one to five exchanges, so making these seven objects
 * and their buffers anew per connection was about a twentieth of a run (profile in bench/README.md); taken from the
 * pool they are already in the cache and nothing is allocated. {@link #reset} puts every field back as the
 * constructors leave it, so a reused set parses exactly as a new one.
 */
final class Parsers {
    final MessageDecoder clientDecoder;
    final MessageDecoder serverDecoder;
    final HalfStream clientStream;
    final HalfStream serverStream;
    final PendingRequests pending;

    Parsers(HttpLimits limits, MessageListener listener) {
        clientDecoder = new MessageDecoder(Side.CLIENT, limits, listener);
        serverDecoder = new MessageDecoder(Side.SERVER, limits, listener);
        clientStream = new HalfStream(clientDecoder, limits);
        serverStream = new HalfStream(serverDecoder, limits);
        pending = new PendingRequests(limits.maxPendingRequests());
    }

    /** As new, reporting to {@code listener}. */
    void reset(MessageListener listener) {
        clientDecoder.reset(listener);
        serverDecoder.reset(listener);
        clientStream.reset();
        serverStream.reset();
        pending.clear();
    }

    /**
     * The sets given back by finished conversations, at most {@link #KEPT}, handed out again newest first. One per
     * tracker, so one thread's: no locking.
     */
    static final class Pool {
        /** Enough for the conversations that end while others start; a set is 1 to 3 KB with its buffers. */
        static final int KEPT = 256;
        private final HttpLimits limits;
        private final Parsers[] free = new Parsers[KEPT];
        private int size;

        Pool(HttpLimits limits) {
            this.limits = limits;
        }

        /** A set reporting to {@code listener}: a reused one, reset, or a new one. */
        Parsers take(MessageListener listener) {
            if (size == 0) return new Parsers(limits, listener);
            Parsers p = free[--size];
            free[size] = null;
            p.reset(listener);
            return p;
        }

        /** {@code p} is no longer used by its conversation: kept for the next one if there is room. */
        void give(Parsers p) {
            if (size < KEPT) free[size++] = p;
        }

        /** Sets kept now. */
        int size() {
            return size;
        }
    }
}
