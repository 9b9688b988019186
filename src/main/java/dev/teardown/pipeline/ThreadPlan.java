package dev.teardown.pipeline;

/**
 * How a run spreads over threads ({@link Analysis#run}); every plan gives the same output byte for byte, only the
 * time and the CPU differ.
 *
 * @param kind the layout
 * @param workers the threads that analyse connections: 1 for {@link Kind#ONE} and {@link Kind#RELAY}, else 2 or more
 */
public record ThreadPlan(Kind kind, int workers) {
    /** The layouts. */
    public enum Kind {
        /** Everything on the calling thread. */
        ONE,
        /**
         * The calling thread reads and decodes, one more thread runs everything after the decoder one thread's way,
         * and a third writes the rows ({@link Relay}).
         */
        RELAY,
        /**
         * The calling thread reads and decodes, {@code workers} threads analyse the connections a flow hash gives
         * them, and a merger writes the rows and keeps the TIME_WAIT figures ({@link ParallelAnalysis}).
         */
        WORKERS
    }

    public ThreadPlan {
        if (kind == null) throw new IllegalArgumentException("no kind");
        int least = kind == Kind.WORKERS ? 2 : 1;
        int most = kind == Kind.WORKERS ? Analysis.MAX_THREADS : 1;
        if (workers < least || workers > most) throw new IllegalArgumentException(kind + " with " + workers + " workers");
    }

    /** {@code --threads n}: one thread for 1, else {@code n} workers (at most {@link Analysis#MAX_THREADS}). */
    public static ThreadPlan of(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be positive, not " + n);
        return n == 1 ? new ThreadPlan(Kind.ONE, 1) : new ThreadPlan(Kind.WORKERS, Math.min(n, Analysis.MAX_THREADS));
    }

    /** A reading thread, one analysing thread and one writing the rows. */
    public static ThreadPlan relay() {
        return new ThreadPlan(Kind.RELAY, 1);
    }

    /**
     * The plan when no number was given, on {@code cores} processors: a worker per core, except on two, where the
     * relay is faster by wall and cheaper in CPU, with the TIME_WAIT stage or without (bench/README.md, "Head lines
     * parsed on the reading thread; the relay by default on two cores": 0.92 times two workers' wall time for 0.88 to
     * 0.90 times their CPU without the stage; with it the workers' merger would also replay every connection's events).
     */
    public static ThreadPlan byDefault(int cores) {
        if (cores == 2) return relay();
        return of(Math.max(1, cores));
    }
}
