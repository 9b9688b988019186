package dev.teardown.pipeline;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * The batches a team or relay passes round, made when the reading thread first finds none free, up to a bound, and
 * reused after: a small capture is read with two batches instead of the eight a large one keeps in flight, about
 * 10 MB less resident (bench/README.md, "Batches made as needed").
 */
final class BatchPool {
    /** Where the threads that are done with a batch give it back. */
    final BlockingQueue<Batch> free;
    private final int bound;
    private final Supplier<Batch> make;
    private int made;

    /** At most {@code bound} batches, each made by {@code make}. */
    BatchPool(int bound, Supplier<Batch> make) {
        this.free = new ArrayBlockingQueue<>(bound);
        this.bound = bound;
        this.make = make;
    }

    /**
     * A batch to fill (the reading thread only): one given back, else a new one while fewer than the bound exist,
     * else the next given back, waited for.
     */
    Batch take() {
        Batch b = free.poll();
        if (b != null) return b;
        if (made < bound) {
            made++;
            return make.get();
        }
        return Team.take(free);
    }

    /** How many batches were made so far. */
    int made() {
        return made;
    }
}
