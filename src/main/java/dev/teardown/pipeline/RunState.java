package dev.teardown.pipeline;

/**
 * What the threads of a parallel analysis tell each other when something goes wrong: the heap ran out, or a
 * thread failed. Once set, the reader stops reading, the workers drop their connections and the merger writes
 * nothing more, but every thread still passes every batch on, so none waits forever.
 */
final class RunState {
    private volatile boolean outOfMemory;
    private volatile Throwable failure;

    /** A thread ran out of heap. */
    void outOfMemory() {
        outOfMemory = true;
    }

    /** A thread failed with {@code t} (a bug, or a sink that threw): the first failure is kept. */
    synchronized void failed(Throwable t) {
        if (failure == null) failure = t;
    }

    /** Whether the run is being abandoned. */
    boolean stopping() {
        return outOfMemory || failure != null;
    }

    boolean ranOutOfMemory() {
        return outOfMemory;
    }

    /** The first failure, or null. */
    Throwable failure() {
        return failure;
    }
}
