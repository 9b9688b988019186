package dev.teardown.pipeline;

/**
 * What the threads of a parallel analysis tell each other when something goes wrong: the heap ran out, a thread
 * failed, or a failure escaped the thread that feeds them (the run is abandoned). Once set, the reader stops
 * reading, the workers drop their connections and the merger writes nothing more, but every thread still passes
 * every batch on, so none waits forever.
 */
final class RunState {
    private volatile boolean outOfMemory;
    /** The heap ran out on the reading side, which then ended the input: the other threads go on to its end. */
    private volatile boolean readerOutOfMemory;
    private volatile Throwable failure;
    private volatile boolean abandoned;

    /** A thread ran out of heap. */
    void outOfMemory() {
        outOfMemory = true;
    }

    /** A thread failed with {@code t} (a bug, or a sink that threw): the first failure is kept. */
    synchronized void failed(Throwable t) {
        if (failure == null) failure = t;
    }

    /**
     * The heap ran out on the reading side: unlike {@link #outOfMemory}, this does not stop the other threads, which
     * analyse every batch read so far and drop what is held at its end ({@link Batch#discard}), as one thread has
     * analysed every packet read when it drops its connections.
     */
    void readerOutOfMemory() {
        readerOutOfMemory = true;
    }

    /** A failure escaped the thread that feeds the analysis: it ends as one thread's would, writing nothing held. */
    void abandon() {
        abandoned = true;
    }

    /** Whether the run is being abandoned. */
    boolean stopping() {
        return outOfMemory || failure != null || abandoned;
    }

    /** Whether the heap ran out, on any thread. */
    boolean ranOutOfMemory() {
        return outOfMemory || readerOutOfMemory;
    }

    /** The first failure, or null. */
    Throwable failure() {
        return failure;
    }

    /** Rethrows the first failure as is (wrapped if checked); nothing if none. */
    void rethrow() {
        Throwable broken = failure;
        if (broken instanceof RuntimeException e) throw e;
        if (broken instanceof Error e) throw e;
        if (broken != null) throw new IllegalStateException(broken);
    }
}
