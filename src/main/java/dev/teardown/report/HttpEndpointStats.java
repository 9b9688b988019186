package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.teardown.Side;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * HTTP figures of one server endpoint for the summary: requests per connection, close reasons behind the
 * TIME_WAIT the server holds, and the idle time after which it closes keep-alive connections.
 *
 * <p>Its memory is bounded whatever the traffic: the idle times are kept as a uniform sample of
 * {@link #IDLE_SAMPLES} (all of them up to that many, so small counts give exact percentiles), and the
 * advertised Keep-Alive timeouts, which each response may set to a value of its own, in a
 * {@link SpaceSaving} table of {@link #TIMEOUT_VALUES}. Requests per connection need no bound: n distinct
 * values take at least n(n+1)/2 requests.
 */
final class HttpEndpointStats {
    /** Idle times kept for the percentiles. */
    static final int IDLE_SAMPLES = 1024;
    /** Distinct advertised timeouts tracked; the most common is the one printed. */
    static final int TIMEOUT_VALUES = 16;
    /** Fixed, so that the same capture gives the same sample and the same summary. */
    private static final long SAMPLE_SEED = 0x7ea2d0c5L;

    private long httpConnections;
    private long serverTimeWait;
    private final TreeMap<Long, Long> requestsPerConnection = new TreeMap<>();
    private final EnumMap<CloseReason, Long> serverTimeWaitByReason = new EnumMap<>(CloseReason.class);
    /** Closes after an idle keep-alive period, all counted; {@link #idleSample} holds up to IDLE_SAMPLES of them. */
    private long idleCloses;
    private long[] idleSample = new long[0];
    private SplittableRandom sampler;
    private SpaceSaving<Integer, Void> advertisedTimeouts;

    void add(FlowRecord r) {
        boolean serverHolds = r.timeWaitSide().includes(Side.SERVER);
        if (serverHolds) {
            serverTimeWait++;
            serverTimeWaitByReason.merge(r.http().closeReason(), 1L, Long::sum);
        }
        if (r.http().requests() == 0) return;
        httpConnections++;
        requestsPerConnection.merge(r.http().requests(), 1L, Long::sum);
        if (r.http().keepAliveTimeoutSeconds() >= 0) {
            if (advertisedTimeouts == null) advertisedTimeouts = new SpaceSaving<>(TIMEOUT_VALUES, () -> null);
            advertisedTimeouts.add(r.http().keepAliveTimeoutSeconds());
        }
        if (r.http().closeReason() == CloseReason.SERVER_IDLE_TIMEOUT && PacketTime.isSet(r.http().idleBeforeCloseNanos())) {
            sampleIdle(r.http().idleBeforeCloseNanos());
        }
    }

    /** Reservoir sampling (algorithm R, Vitter 1985): after n idle times, each is in the sample with chance IDLE_SAMPLES / n. */
    private void sampleIdle(long nanos) {
        idleCloses++;
        if (idleCloses <= IDLE_SAMPLES) {
            if (idleSample.length < idleCloses) idleSample = Arrays.copyOf(idleSample, Math.max(8, 2 * idleSample.length));
            idleSample[(int) idleCloses - 1] = nanos;
            return;
        }
        if (sampler == null) sampler = new SplittableRandom(SAMPLE_SEED);
        long slot = sampler.nextLong(idleCloses);
        if (slot < IDLE_SAMPLES) idleSample[(int) slot] = nanos;
    }

    /** Idle times held for the percentiles. */
    int idleSamples() {
        return (int) Math.min(idleCloses, IDLE_SAMPLES);
    }

    /** Distinct advertised Keep-Alive timeouts held. */
    int advertisedTimeoutValues() {
        return advertisedTimeouts == null ? 0 : advertisedTimeouts.size();
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
        if (idleCloses > 0) {
            long[] sorted = Arrays.copyOf(idleSample, idleSamples());
            Arrays.sort(sorted);
            long idleTimeWait = serverTimeWaitByReason.getOrDefault(CloseReason.SERVER_IDLE_TIMEOUT, 0L);
            String advertised = advertisedTimeouts == null ? ""
                : String.format(Locale.ROOT, "; it advertises Keep-Alive: timeout=%d", mostCommon(advertisedTimeouts));
            String n = idleCloses == sorted.length ? String.format(Locale.ROOT, "%,d", idleCloses)
                : String.format(Locale.ROOT, "%,d, sampled %,d", idleCloses, sorted.length);
            out.add(String.format(Locale.ROOT,
                "    closes idle keep-alive connections after ~%.1f s (n=%s, p10 %.1f, p90 %.1f)%s; this causes %d%% of its %,d TIME_WAIT entries",
                seconds(at(sorted, 0.5)), n, seconds(at(sorted, 0.1)), seconds(at(sorted, 0.9)), advertised,
                serverTimeWait == 0 ? 0 : Math.round(100.0 * idleTimeWait / serverTimeWait), serverTimeWait));
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

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The timeout with the highest count, the lowest value on a tie (exact while at most TIMEOUT_VALUES were seen). */
    private static int mostCommon(SpaceSaving<Integer, Void> timeouts) {
        SpaceSaving.Entry<Integer, Void> best = null;
        for (SpaceSaving.Entry<Integer, Void> e : timeouts.entries()) {
            if (best == null || e.estimate() > best.estimate()
                || (e.estimate() == best.estimate() && e.key() < best.key())) {
                best = e;
            }
        }
        return best.key();
    }
}
