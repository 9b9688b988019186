package dev.teardown.pipeline;

/**
 * The threads behind the reading one of a parallel analysis, as the reading side sees them: the workers and merger
 * of a {@link Team}, or the analysing and writing threads of a {@link Relay}. A file's analysis and a live one drive
 * either the same way.
 */
interface Crew {
    /** The reading side's part: decodes the frames into batches and hands them on. */
    BatchReader reader();

    /** What the threads tell each other when something goes wrong. */
    RunState state();

    /** Waits for every thread to end (after the last batch), interrupts or not. */
    void join();

    /** Connections held after the last batch walked, and records written (for progress). */
    int held();

    long written();

    /** After {@link #join}: connections dropped unwritten when the run was abandoned, and records not written. */
    long dropped();

    /** After {@link #join}: connections written out early because the table (or a share of it) was full. */
    long evictions();

    /** After {@link #join}: the most connections held at once, as one thread's table counts them. */
    long peak();

    /** A live run's figures asked for as number {@code wanted} (see {@link Merger#figures}). */
    LiveFigures figures(long wanted, boolean wait);

    /** The packet time at which the record being written was finished (as {@link Pipeline#nowNanos}). */
    long now();
}
