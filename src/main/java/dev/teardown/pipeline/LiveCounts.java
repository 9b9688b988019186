package dev.teardown.pipeline;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.ConnectionTracker;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.Endpoint;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.ServerTimeWait;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.TrackerView;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live status and the metrics show of the connections, from one set of counts: closes counted once each
 * as the chain settles them (by server endpoint, who began them and close reason, RST-ended ones apart), tuple
 * reuse, and what each server endpoint holds open and in TIME-WAIT at the current packet time.
 *
 * <p>Memory: {@link LiveEndpoints}'s named endpoints; each view walks the connections held, in a map as large as the
 * endpoints they belong to.
 */
final class LiveCounts {
    private final LiveEndpoints endpoints = new LiveEndpoints();

    /** Counts one close of {@code c}: who began it, its close reason, and whether a RST ended it. */
    void closed(ConnectionView c, Sides initiator, CloseReason reason, boolean reset) {
        endpoints.closed(ServerEndpoint.of(c), initiator, reason, reset);
    }

    /** {@code next} reused a 4-tuple still in TIME_WAIT. */
    void tupleReused(ConnectionView next) {
        endpoints.tupleReused(ServerEndpoint.of(next));
    }

    /**
     * The view at the tracker's packet time, with the {@code top} server endpoints by connections held in
     * TIME-WAIT now (a crossed close counts on both sides, as the kernels do). Walks the closing connections.
     */
    TrackerView view(ConnectionTracker<?> tracker, long timeWaitNanos, int top) {
        return new TrackerView(tracker.now(), endpoints.finCloses(Sides.CLIENT), endpoints.finCloses(Sides.SERVER),
            endpoints.finCloses(Sides.BOTH), endpoints.resets(), tracker.openConnections(), tracker.evictions(),
            top <= 0 ? List.of() : timeWaitByServer(held(tracker, timeWaitNanos, false), top));
    }

    /**
     * The rows of at most {@code names} busiest server endpoints and of the others summed, at the tracker's packet
     * time ({@link LiveEndpoints#sample}, which also moves names between endpoints). Walks every connection held.
     */
    List<LiveEndpoints.Row> endpoints(ConnectionTracker<?> tracker, long timeWaitNanos, int names) {
        return endpoints.sample(held(tracker, timeWaitNanos, true), names);
    }

    /**
     * The figures of a status sample from one table, {@code tracker}'s, at this point of the input: {@link #view} with
     * the {@code top} server endpoints, {@code written} records written, and {@link #endpoints} naming {@code names}.
     */
    LiveFigures figures(ConnectionTracker<?> tracker, long timeWaitNanos, int top, int names, long written) {
        return new LiveFigures(view(tracker, timeWaitNanos, top), written,
            names > 0 ? endpoints(tracker, timeWaitNanos, names) : List.of());
    }

    /** Counts what a worker of a parallel live run counted in one batch: its closes and tuples reused. */
    void add(LiveShare share) {
        for (LiveShare.Close c : share.closes) endpoints.closed(c.endpoint(), c.initiator(), c.reason(), c.reset());
        for (ServerEndpoint e : share.reuses) endpoints.tupleReused(e);
    }

    /**
     * The figures of a parallel live run from what its workers' tables hold ({@code shares}, each with its
     * {@link LiveShare#held}), summed as one thread's table would count them: the same as {@link #view} and
     * {@link #endpoints} on one thread at that point of the input, {@code written} records written.
     */
    LiveFigures figures(LiveShare[] shares, int top, int names, long written) {
        Map<ServerEndpoint, long[]> held = new HashMap<>();
        long now = PacketTime.UNSET;
        int open = 0;
        long evictions = 0;
        for (LiveShare s : shares) {
            now = Math.max(now, s.now);
            open += s.open;
            evictions += s.evictions;
            s.held.forEach((e, values) -> {
                long[] sum = held.computeIfAbsent(e, k -> new long[LiveEndpoints.HELD_VALUES]);
                for (int i = 0; i < sum.length; i++) sum[i] += values[i];
            });
        }
        TrackerView view = new TrackerView(now, endpoints.finCloses(Sides.CLIENT), endpoints.finCloses(Sides.SERVER),
            endpoints.finCloses(Sides.BOTH), endpoints.resets(), open, evictions,
            top <= 0 ? List.of() : timeWaitByServer(held, top));
        return new LiveFigures(view, written, names > 0 ? endpoints.sample(held, names) : List.of());
    }

    /**
     * Per server endpoint, connections in TIME-WAIT now by side (the closing ones walked), and with {@code open} the
     * open ones too: both sides have spoken and neither has sent a FIN or RST.
     */
    static Map<ServerEndpoint, long[]> held(ConnectionTracker<?> tracker, long timeWaitNanos, boolean open) {
        long now = tracker.now();
        Map<ServerEndpoint, long[]> held = new HashMap<>();
        tracker.forEachClosing(c -> {
            for (Side side : Side.values()) {
                Endpoint e = c.endpoint(side);
                long end = e.timeWaitEndNanos(timeWaitNanos);
                if (PacketTime.isSet(end) && end > now) {
                    values(held, c)[side == Side.CLIENT ? LiveEndpoints.TIME_WAIT_CLIENT : LiveEndpoints.TIME_WAIT_SERVER]++;
                }
            }
        });
        if (open) {
            tracker.forEachOpen(c -> {
                if (c.packets(Side.CLIENT) > 0 && c.packets(Side.SERVER) > 0 && !PacketTime.isSet(c.firstCloseNanos())) {
                    values(held, c)[LiveEndpoints.OPEN]++;
                }
            });
        }
        return held;
    }

    private static long[] values(Map<ServerEndpoint, long[]> held, Connection<?> c) {
        return held.computeIfAbsent(ServerEndpoint.of(c), k -> new long[LiveEndpoints.HELD_VALUES]);
    }

    private static List<ServerTimeWait> timeWaitByServer(Map<ServerEndpoint, long[]> held, int top) {
        return held.entrySet().stream()
            .filter(en -> en.getValue()[LiveEndpoints.TIME_WAIT_CLIENT] + en.getValue()[LiveEndpoints.TIME_WAIT_SERVER] > 0)
            .map(en -> new ServerTimeWait(en.getKey(), en.getValue()[LiveEndpoints.TIME_WAIT_CLIENT],
                en.getValue()[LiveEndpoints.TIME_WAIT_SERVER]))
            .sorted(Comparator.comparingLong(ServerTimeWait::total).reversed().thenComparing(ServerTimeWait::endpoint))
            .limit(top)
            .toList();
    }
}
