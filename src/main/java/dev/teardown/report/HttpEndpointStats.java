package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP figures of one server endpoint for the summary: requests per connection, close reasons behind the
 * TIME_WAIT the server holds, and the idle time after which it closes keep-alive connections.
 */
final class HttpEndpointStats {
    /** Idle samples kept for percentiles; beyond it the summary uses the first ones (capture order). */
    private static final int MAX_IDLE_SAMPLES = 100_000;

    private long httpConnections;
    private long serverTimeWait;
    private final TreeMap<Long, Long> requestsPerConnection = new TreeMap<>();
    private final EnumMap<CloseReason, Long> serverTimeWaitByReason = new EnumMap<>(CloseReason.class);
    private final List<Long> idleTimeoutNanos = new ArrayList<>();
    private final TreeMap<Integer, Long> advertisedTimeouts = new TreeMap<>();

    void add(FlowRecord r) {
        boolean serverHolds = r.timeWaitSide().includes(Side.SERVER);
        if (serverHolds) {
            serverTimeWait++;
            serverTimeWaitByReason.merge(r.http().closeReason(), 1L, Long::sum);
        }
        if (r.http().requests() == 0) return;
        httpConnections++;
        requestsPerConnection.merge(r.http().requests(), 1L, Long::sum);
        if (r.http().keepAliveTimeoutSeconds() >= 0) advertisedTimeouts.merge(r.http().keepAliveTimeoutSeconds(), 1L, Long::sum);
        if (r.http().closeReason() == CloseReason.SERVER_IDLE_TIMEOUT && PacketTime.isSet(r.http().idleBeforeCloseNanos())
            && idleTimeoutNanos.size() < MAX_IDLE_SAMPLES) {
            idleTimeoutNanos.add(r.http().idleBeforeCloseNanos());
        }
    }

    boolean hasHttp() {
        return httpConnections > 0;
    }

    /** The summary lines for this endpoint, indented. */
    List<String> lines(String endpoint) {
        List<String> out = new ArrayList<>();
        long total = 0;
        long sum = 0;
        for (Map.Entry<Long, Long> e : requestsPerConnection.entrySet()) {
            total += e.getValue();
            sum += e.getKey() * e.getValue();
        }
        out.add(String.format(Locale.ROOT, "  %s  requests per connection: mean %.1f, p50 %d, p90 %d, max %d (%,d HTTP connections)",
            endpoint, (double) sum / total, percentile(0.5), percentile(0.9), requestsPerConnection.lastKey(), total));
        if (!idleTimeoutNanos.isEmpty()) {
            List<Long> sorted = new ArrayList<>(idleTimeoutNanos);
            sorted.sort(null);
            long idleCloses = serverTimeWaitByReason.getOrDefault(CloseReason.SERVER_IDLE_TIMEOUT, 0L);
            String advertised = advertisedTimeouts.isEmpty() ? ""
                : String.format(Locale.ROOT, "; it advertises Keep-Alive: timeout=%d", mostCommon(advertisedTimeouts));
            out.add(String.format(Locale.ROOT,
                "    closes idle keep-alive connections after ~%.1f s (n=%,d, p10 %.1f, p90 %.1f)%s; this causes %d%% of its %,d TIME_WAIT entries",
                seconds(at(sorted, 0.5)), sorted.size(), seconds(at(sorted, 0.1)), seconds(at(sorted, 0.9)), advertised,
                serverTimeWait == 0 ? 0 : Math.round(100.0 * idleCloses / serverTimeWait), serverTimeWait));
        }
        if (serverTimeWait > 0) {
            StringBuilder b = new StringBuilder("    server-held TIME_WAIT by close reason: ");
            boolean first = true;
            for (Map.Entry<CloseReason, Long> e : serverTimeWaitByReason.entrySet()) {
                if (!first) b.append(", ");
                b.append(e.getKey().label()).append(' ')
                    .append(Math.round(100.0 * e.getValue() / serverTimeWait)).append('%');
                first = false;
            }
            out.add(b.toString());
        }
        return out;
    }

    private long percentile(double q) {
        long total = 0;
        for (long n : requestsPerConnection.values()) total += n;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (Map.Entry<Long, Long> e : requestsPerConnection.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        return requestsPerConnection.lastKey();
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * (sorted.size() - 1) + 0.5)));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static int mostCommon(TreeMap<Integer, Long> m) {
        int best = m.firstKey();
        for (Map.Entry<Integer, Long> e : m.entrySet()) if (e.getValue() > m.get(best)) best = e.getKey();
        return best;
    }
}
