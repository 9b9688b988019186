package dev.teardown.pipeline;

import dev.teardown.http.CloseReason;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one worker of a parallel live run counted for the status and the metrics in one {@link Batch}: the closes it
 * settled and the tuples reused, which the merger adds to its {@link LiveCounts}; and, when the batch asks for the
 * figures, what the worker's table holds at the batch's end. The worker writes it, the merger reads it once the
 * worker released the batch (the batch's semaphore orders the two).
 *
 * <p>Memory: one small record per close and per reuse in the batch, and a map as large as the server endpoints the
 * worker's connections belong to when the figures are asked for.
 */
final class LiveShare {
    /** One close as {@link LiveCounts#closed} counts it. */
    record Close(ServerEndpoint endpoint, Sides initiator, CloseReason reason, boolean reset) {}

    final List<Close> closes = new ArrayList<>();
    final List<ServerEndpoint> reuses = new ArrayList<>();
    /** When the figures were asked for: per server endpoint, what the worker holds (see {@link LiveCounts#held}). */
    Map<ServerEndpoint, long[]> held;
    /** Connections the worker held, and had written out early, at the batch's end (with {@link #held}). */
    int open;
    long evictions;
    /** The worker's packet time at the batch's end (with {@link #held}). */
    long now;

    void clear() {
        closes.clear();
        reuses.clear();
        held = null;
    }
}
