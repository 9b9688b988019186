package dev.teardown.pipeline;

import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionTracker;
import dev.teardown.teardown.Endpoint;
import dev.teardown.teardown.ServerTimeWait;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.teardown.TrackerView;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live status shows of the connections: closes counted as the tracker tells them, by who began them,
 * and the TIME-WAIT each side of each server endpoint holds at the current packet time.
 */
final class LiveCounts {
    private final long[] closes = new long[Sides.values().length];
    private long aborts;

    /** Counts one close: a RST that aborted the connection, else by who sent the first FIN. */
    void closed(Connection<?> c) {
        if (c.wasReset()) aborts++;
        else closes[Teardown.initiator(c).ordinal()]++;
    }

    /**
     * The view at the tracker's packet time, with the {@code top} server endpoints by connections held in
     * TIME-WAIT now (a crossed close counts on both sides, as the kernels do). Walks the closing connections.
     */
    TrackerView view(ConnectionTracker<?> tracker, long timeWaitNanos, int top) {
        return new TrackerView(tracker.now(), closes[Sides.CLIENT.ordinal()], closes[Sides.SERVER.ordinal()],
            closes[Sides.BOTH.ordinal()], aborts, tracker.openConnections(), tracker.evictions(),
            top <= 0 ? List.of() : timeWaitByServer(tracker, timeWaitNanos, top));
    }

    private static List<ServerTimeWait> timeWaitByServer(ConnectionTracker<?> tracker, long timeWaitNanos, int top) {
        long now = tracker.now();
        Map<ServerEndpoint, long[]> held = new HashMap<>();
        tracker.forEachClosing(c -> {
            for (Side side : Side.values()) {
                Endpoint e = c.endpoint(side);
                long end = e.timeWaitEndNanos(timeWaitNanos);
                if (dev.teardown.capture.PacketTime.isSet(end) && end > now) {
                    held.computeIfAbsent(ServerEndpoint.of(c), k -> new long[Side.values().length])[side.ordinal()]++;
                }
            }
        });
        return held.entrySet().stream()
            .map(en -> new ServerTimeWait(en.getKey(), en.getValue()[Side.CLIENT.ordinal()], en.getValue()[Side.SERVER.ordinal()]))
            .sorted(Comparator.comparingLong(ServerTimeWait::total).reversed().thenComparing(ServerTimeWait::endpoint))
            .limit(top)
            .toList();
    }
}
