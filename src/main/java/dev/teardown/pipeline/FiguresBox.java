package dev.teardown.pipeline;

/**
 * A live run's status figures, worked out by the thread that reached the batch asking for them and published here for
 * the capture thread, which awaits them by number. Thread-safe.
 */
final class FiguresBox {
    private final RunState state;
    private LiveFigures figures; // guarded by this
    /** The number of the figures last published ({@link Batch#figuresWanted}); guarded by this. */
    private long number;

    FiguresBox(RunState state) {
        this.state = state;
    }

    /** Publishes {@code f} as the figures asked for as number {@code wanted}. */
    synchronized void publish(long wanted, LiveFigures f) {
        figures = f;
        number = wanted;
        notifyAll();
    }

    /**
     * The figures asked for as number {@code wanted}, once published, else null; with {@code wait}, waits for them
     * until the run is being abandoned (then null).
     */
    synchronized LiveFigures take(long wanted, boolean wait) {
        while (number < wanted) {
            if (!wait || state.stopping()) return null;
            try {
                wait(10); // a short wait: a run abandoned meanwhile is seen without a notification
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return number == wanted ? figures : null;
    }
}
