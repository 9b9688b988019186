package dev.teardown.report;

import dev.teardown.http.CloseReason;
import dev.teardown.teardown.ServerEndpoint;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A live capture's counts per server endpoint, as its status and metrics show them: closes by who closed first
 * and by close reason, resets and tuple reuse, counted as they happen; and at each {@link #sample} the connections
 * each endpoint holds open and in TIME_WAIT by side. At most a given number of endpoints are counted by name, the
 * rest summed under {@link #OTHER}.
 *
 * <p>Which endpoints are named, at each sample: a named endpoint that holds no connection and had no close since
 * the sample before gives its name up; free names go to the endpoints holding the most connections; and an
 * endpoint holding at least twice as many as the weakest named one, plus {@link #TAKEOVER_MARGIN}, takes its name.
 * A named endpoint's counters count from when it was named, and the closes of endpoints not named at the time count
 * under {@link #OTHER}, so every counter only grows while its endpoint is named: a rate over them (Prometheus's
 * {@code rate()}) stays right as series start and end.
 *
 * <p>Memory: the named endpoints (a few KB each), plus at each sample a map of the endpoints holding connections,
 * bounded by the connections held. Not thread-safe: the capture thread counts and samples.
 */
public final class LiveEndpoints {
    /** The {@code server} of the row that sums every endpoint not named. */
    public static final String OTHER = "other";
    /** Index of the connections open in a {@link #sample} map's arrays. */
    public static final int OPEN = 0;
    /** Index of the connections whose client holds TIME_WAIT. */
    public static final int TIME_WAIT_CLIENT = 1;
    /** Index of the connections whose server holds TIME_WAIT. */
    public static final int TIME_WAIT_SERVER = 2;
    /** Length of a {@link #sample} map's arrays. */
    public static final int HELD_VALUES = 3;
    /** Connections beyond twice the weakest named endpoint's that a busier endpoint needs to take its name. */
    static final int TAKEOVER_MARGIN = 4;

    private static final Sides[] SIDES = Sides.values();
    /** What a named endpoint that holds nothing now holds: read, never written. */
    private static final long[] NOTHING_HELD = new long[HELD_VALUES];
    private static final CloseReason[] REASONS = CloseReason.values();

    /** What one endpoint (or {@link #OTHER}) has counted since it was named. */
    private static final class Counts {
        /** By initiator, then reason: {@code closes[initiator.ordinal() * REASONS.length + reason.ordinal()]}. */
        final long[] closes = new long[SIDES.length * REASONS.length];
        long resets;
        long tupleReuses;
        /** Closes counted when it was last sampled: a named endpoint with none since keeps its name only if it holds some. */
        long closesAtSample;
        long total;
    }

    private final Map<ServerEndpoint, Counts> named = new HashMap<>();
    private final Counts other = new Counts();
    /** Closes not aborted by a RST, by initiator, and aborted ones: every endpoint's, for the status. */
    private final long[] finCloses = new long[SIDES.length];
    private long resets;

    /**
     * Counts one close of an endpoint's connection: its first FIN's sender ({@code initiator}; for a RST with no
     * FIN before it, the RST's sender), its {@code reason}, and whether a RST ended it ({@code reset}).
     */
    public void closed(ServerEndpoint endpoint, Sides initiator, CloseReason reason, boolean reset) {
        Counts c = named.getOrDefault(endpoint, other);
        c.closes[initiator.ordinal() * REASONS.length + reason.ordinal()]++;
        c.total++;
        if (reset) {
            c.resets++;
            resets++;
        } else {
            finCloses[initiator.ordinal()]++;
        }
    }

    /** A new connection to {@code endpoint} reused a 4-tuple still in TIME_WAIT. */
    public void tupleReused(ServerEndpoint endpoint) {
        named.getOrDefault(endpoint, other).tupleReuses++;
    }

    /** Closes so far, every endpoint's, that a RST did not end, begun by {@code initiator}. */
    public long finCloses(Sides initiator) {
        return finCloses[initiator.ordinal()];
    }

    /** Closes so far, every endpoint's, that a RST ended. */
    public long resets() {
        return resets;
    }

    /**
     * One row: a named endpoint's, or {@link #OTHER}'s.
     *
     * @param endpoint the server endpoint, or null for {@link #OTHER}
     * @param server {@code ip:port} ({@code [ip]:port} for IPv6), or {@link #OTHER}
     * @param open connections open now: both sides have spoken, and neither sent a FIN or RST
     * @param timeWaitClient connections whose client holds TIME_WAIT now
     * @param timeWaitServer connections whose server holds TIME_WAIT now
     * @param closes closes counted since the endpoint was named, by initiator and reason, none at 0, in enum order
     * @param resets of those, closes a RST ended
     * @param tupleReuses new connections since it was named that reused a 4-tuple still in TIME_WAIT
     */
    public record Row(ServerEndpoint endpoint, String server, long open, long timeWaitClient, long timeWaitServer,
                      List<Close> closes, long resets, long tupleReuses) {}

    /** Closes of one initiator and reason. */
    public record Close(Sides initiator, CloseReason reason, long count) {}

    /**
     * Names the busiest endpoints, as the class says, from what each endpoint holds now ({@code held}: per endpoint,
     * values at {@link #OPEN}, {@link #TIME_WAIT_CLIENT}, {@link #TIME_WAIT_SERVER}), keeping at most {@code names};
     * returns the named endpoints' rows in endpoint order, then {@link #OTHER}'s, which sums every other endpoint.
     */
    public List<Row> sample(Map<ServerEndpoint, long[]> held, int names) {
        named.entrySet().removeIf(e -> e.getValue().total == e.getValue().closesAtSample
            && heldBy(held, e.getKey()) == 0);
        List<Map.Entry<ServerEndpoint, long[]>> candidates = new ArrayList<>();
        for (Map.Entry<ServerEndpoint, long[]> e : held.entrySet()) {
            if (!named.containsKey(e.getKey()) && total(e.getValue()) > 0) candidates.add(e);
        }
        candidates.sort(Comparator.comparingLong((Map.Entry<ServerEndpoint, long[]> e) -> -total(e.getValue()))
            .thenComparing(Map.Entry::getKey));
        for (Map.Entry<ServerEndpoint, long[]> e : candidates) {
            if (named.size() >= names) {
                ServerEndpoint weakest = weakest(held);
                if (weakest == null || total(e.getValue()) < 2 * heldBy(held, weakest) + TAKEOVER_MARGIN) break;
                named.remove(weakest);
            }
            named.put(e.getKey(), new Counts());
        }
        List<Row> rows = new ArrayList<>();
        long[] rest = new long[HELD_VALUES];
        for (Map.Entry<ServerEndpoint, long[]> e : held.entrySet()) {
            if (named.containsKey(e.getKey())) continue;
            for (int i = 0; i < HELD_VALUES; i++) rest[i] += e.getValue()[i];
        }
        List<ServerEndpoint> keys = new ArrayList<>(named.keySet());
        keys.sort(null);
        for (ServerEndpoint k : keys) {
            Counts c = named.get(k);
            c.closesAtSample = c.total;
            rows.add(row(k, k.text(), held.getOrDefault(k, NOTHING_HELD), c));
        }
        rows.add(row(null, OTHER, rest, other));
        return rows;
    }

    /** The named endpoint holding the fewest connections, the last in endpoint order on a tie; null if none. */
    private ServerEndpoint weakest(Map<ServerEndpoint, long[]> held) {
        ServerEndpoint weakest = null;
        for (ServerEndpoint k : named.keySet()) {
            if (weakest == null || heldBy(held, k) < heldBy(held, weakest)
                || (heldBy(held, k) == heldBy(held, weakest) && k.compareTo(weakest) > 0)) {
                weakest = k;
            }
        }
        return weakest;
    }

    private static long heldBy(Map<ServerEndpoint, long[]> held, ServerEndpoint k) {
        long[] v = held.get(k);
        return v == null ? 0 : total(v);
    }

    private static long total(long[] v) {
        return v[OPEN] + v[TIME_WAIT_CLIENT] + v[TIME_WAIT_SERVER];
    }

    private static Row row(ServerEndpoint k, String server, long[] held, Counts c) {
        List<Close> closes = new ArrayList<>();
        for (Sides s : SIDES) {
            for (CloseReason r : REASONS) {
                long n = c.closes[s.ordinal() * REASONS.length + r.ordinal()];
                if (n > 0) closes.add(new Close(s, r, n));
            }
        }
        return new Row(k, server, held[OPEN], held[TIME_WAIT_CLIENT], held[TIME_WAIT_SERVER], List.copyOf(closes),
            c.resets, c.tupleReuses);
    }
}
