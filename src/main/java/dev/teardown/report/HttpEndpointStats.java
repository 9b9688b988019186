package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.http.CloseReason;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What the summary accumulates of one server endpoint's HTTP connections, from which its {@link HttpFigures}
 * come: requests per connection (over TLS, exchanges estimated from encrypted turns), close reasons behind the
 * TIME_WAIT the server holds, and the idle time after which it closes keep-alive connections. Mergeable
 * ({@link #merge}).
 *
 * <p>Its memory is bounded whatever the traffic: the idle times are kept as a uniform sample of
 * {@link #IDLE_SAMPLES} (all of them up to that many, so small counts give exact percentiles), and the
 * advertised Keep-Alive timeouts, which each response may set to a value of its own, in a
 * {@link SpaceSaving} table of {@link #TIMEOUT_VALUES}. Requests per connection need no bound: n distinct
 * values take at least n(n+1)/2 requests. The idle-before-close histogram is two arrays of {@link IdleBins#COUNT}
 * counters, made by the first idle time.
 */
final class HttpEndpointStats {
    /** Idle times kept for the percentiles. */
    static final int IDLE_SAMPLES = 1024;
    /** Distinct advertised timeouts tracked; the most common is the one printed. */
    static final int TIMEOUT_VALUES = 16;
    /** Fixed, so that the same capture gives the same sample and the same summary. */
    private static final long SAMPLE_SEED = 0x7ea2d0c5L;

    private long httpConnections;
    private long tlsConnections;
    private long serverTimeWait;
    /** Connections by requests, complete once {@link #settle} moved {@link #fewRequests} in. */
    private final TreeMap<Long, Long> requestsPerConnection = new TreeMap<>();
    /** Connections by requests below its length, counted without boxing until {@link #settle}. */
    private final long[] fewRequests = new long[128];
    private final EnumCounts<CloseReason> serverTimeWaitByReason = new EnumCounts<>(CloseReason.class);
    /** Closes after an idle keep-alive period, all counted; {@link #idleSample} holds up to IDLE_SAMPLES of them. */
    private long idleCloses;
    private long[] idleSample = new long[0];
    private SplittableRandom sampler;
    private SpaceSaving<Integer, Void> advertisedTimeouts;
    /** Idle times before the close of HTTP connections by {@link IdleBins} bin: server first, and the others. */
    private long[] idleServerClosed;
    private long[] idleClientClosed;

    void add(FlowRecord r) {
        boolean serverHolds = r.timeWaitSide().includes(Side.SERVER);
        if (serverHolds) {
            serverTimeWait++;
            serverTimeWaitByReason.add(r.http().closeReason());
        }
        long requests = r.http().requestsOrExchanges();
        if (requests == 0) return;
        httpConnections++;
        if (r.http().tls() != null) tlsConnections++;
        if (requests < fewRequests.length) fewRequests[(int) requests]++;
        else requestsPerConnection.merge(requests, 1L, Long::sum);
        if (r.http().keepAliveTimeoutSeconds() >= 0) {
            if (advertisedTimeouts == null) advertisedTimeouts = new SpaceSaving<>(TIMEOUT_VALUES, () -> null);
            advertisedTimeouts.add(r.http().keepAliveTimeoutSeconds());
        }
        long idle = r.http().idleBeforeCloseNanos();
        if (!PacketTime.isSet(idle)) return;
        if (r.http().closeReason() == CloseReason.SERVER_IDLE_TIMEOUT) sampleIdle(idle);
        if (idleServerClosed == null) {
            idleServerClosed = new long[IdleBins.COUNT];
            idleClientClosed = new long[IdleBins.COUNT];
        }
        (r.closeInitiator() == Sides.SERVER ? idleServerClosed : idleClientClosed)[IdleBins.of(idle)]++;
    }

    /** Reservoir sampling (algorithm R, Vitter 1985): after n idle times, each is in the sample with chance IDLE_SAMPLES / n. */
    private void sampleIdle(long nanos) {
        idleCloses++;
        if (idleCloses <= IDLE_SAMPLES) {
            if (idleSample.length < idleCloses) {
                idleSample = Arrays.copyOf(idleSample, Math.min(IDLE_SAMPLES, Math.max(8, 2 * idleSample.length)));
            }
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

    /**
     * Adds {@code other}'s figures to these, leaving {@code other} as it was: exactly the figures of both
     * parts' connections while they had at most {@link #IDLE_SAMPLES} idle closes and {@link #TIMEOUT_VALUES}
     * distinct advertised timeouts between them. Beyond, the idle sample is again a uniform sample of all
     * the idle closes (the weighted merge of two reservoirs, with a fixed seed), and the timeouts merge as
     * {@link SpaceSaving#merge} does.
     */
    void merge(HttpEndpointStats other) {
        if (other == this) throw new IllegalArgumentException("figures cannot be merged into themselves");
        httpConnections += other.httpConnections;
        tlsConnections += other.tlsConnections;
        serverTimeWait += other.serverTimeWait;
        settle();
        other.settle();
        other.requestsPerConnection.forEach((requests, n) -> requestsPerConnection.merge(requests, n, Long::sum));
        serverTimeWaitByReason.merge(other.serverTimeWaitByReason);
        if (other.advertisedTimeouts != null) {
            if (advertisedTimeouts == null) advertisedTimeouts = new SpaceSaving<>(TIMEOUT_VALUES, () -> null);
            advertisedTimeouts.merge(other.advertisedTimeouts, (a, b) -> {});
        }
        mergeIdle(other);
        if (other.idleServerClosed != null) {
            if (idleServerClosed == null) {
                idleServerClosed = new long[IdleBins.COUNT];
                idleClientClosed = new long[IdleBins.COUNT];
            }
            for (int i = 0; i < IdleBins.COUNT; i++) {
                idleServerClosed[i] += other.idleServerClosed[i];
                idleClientClosed[i] += other.idleClientClosed[i];
            }
        }
    }

    private void mergeIdle(HttpEndpointStats other) {
        long total = idleCloses + other.idleCloses;
        int mine = idleSamples();
        int theirs = other.idleSamples();
        if (total <= IDLE_SAMPLES) {
            // Both samples hold every idle time: so does their union.
            long[] all = Arrays.copyOf(idleSample, (int) total);
            System.arraycopy(other.idleSample, 0, all, mine, theirs);
            idleSample = all;
            idleCloses = total;
            return;
        }
        // A uniform sample of IDLE_SAMPLES of all the idle closes: how many come from each part follows the
        // hypergeometric law of drawing that many from both parts' closes without replacement; each part's
        // sample is uniform, so a uniform choice of that many from it is a uniform choice from its closes.
        SplittableRandom random = new SplittableRandom(SAMPLE_SEED ^ total);
        long leftMine = idleCloses;
        long leftTheirs = other.idleCloses;
        int fromMine = 0;
        for (int i = 0; i < IDLE_SAMPLES; i++) {
            if (random.nextLong(leftMine + leftTheirs) < leftMine) {
                fromMine++;
                leftMine--;
            } else {
                leftTheirs--;
            }
        }
        long[] merged = new long[IDLE_SAMPLES];
        choose(Arrays.copyOf(idleSample, mine), fromMine, merged, 0, random);
        choose(Arrays.copyOf(other.idleSample, theirs), IDLE_SAMPLES - fromMine, merged, fromMine, random);
        idleSample = merged;
        idleCloses = total;
    }

    /** Puts {@code n} of {@code values}, chosen uniformly (a partial Fisher-Yates shuffle), into {@code into} from {@code at}. */
    private static void choose(long[] values, int n, long[] into, int at, SplittableRandom random) {
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(values.length - i);
            long v = values[j];
            values[j] = values[i];
            values[i] = v;
            into[at + i] = v;
        }
    }

    /** Moves the counts of {@link #fewRequests} into {@link #requestsPerConnection}: before anything reads it. */
    private void settle() {
        for (int i = 0; i < fewRequests.length; i++) {
            if (fewRequests[i] == 0) continue;
            requestsPerConnection.merge((long) i, fewRequests[i], Long::sum);
            fewRequests[i] = 0;
        }
    }

    /** The figures of this endpoint's HTTP connections, or empty if it had none. */
    Optional<HttpFigures> figures() {
        settle();
        if (httpConnections == 0) return Optional.empty();
        long sum = 0;
        for (Map.Entry<Long, Long> e : requestsPerConnection.entrySet()) sum += e.getKey() * e.getValue();
        Optional<HttpFigures.IdleCloses> idle = idleCloses();
        OptionalInt advertised = advertisedTimeouts == null ? OptionalInt.empty() : OptionalInt.of(mostCommon(advertisedTimeouts));
        return Optional.of(new HttpFigures(httpConnections, (double) sum / httpConnections, percentile(0.5),
            percentile(0.9), requestsPerConnection.lastKey(), advertised, idle, serverTimeWait,
            serverTimeWaitByReason.toMap(), requestsHistogram(), idleHistogram(), tlsConnections));
    }

    /** The idle time before the closes that were the server's idle timeout (p10, median, p90), or empty if none. */
    Optional<HttpFigures.IdleCloses> idleCloses() {
        if (idleCloses == 0) return Optional.empty();
        long[] sorted = Arrays.copyOf(idleSample, idleSamples());
        Arrays.sort(sorted);
        return Optional.of(new HttpFigures.IdleCloses(idleCloses, sorted.length, at(sorted, 0.1), at(sorted, 0.5),
            at(sorted, 0.9)));
    }

    /** Ends of the requests bins after 10: 1, 2, 5 per decade (20, 50, 100, 200 ...). */
    private static long nextBinEnd(long end) {
        if (end < 10) return end + 1;
        long decade = 1;
        while (decade * 10 <= end) decade *= 10;
        long lead = end / decade; // 1, 2 or 5
        return lead == 1 ? 2 * decade : lead == 2 ? 5 * decade : 10 * decade;
    }

    /** The requests histogram: bins from 1 request to the one holding the most requests seen. */
    private List<HttpFigures.RequestsBin> requestsHistogram() {
        List<HttpFigures.RequestsBin> bins = new ArrayList<>();
        long max = requestsPerConnection.lastKey();
        for (long from = 1, to = 1; from <= max; from = to + 1, to = nextBinEnd(to)) {
            long n = 0;
            for (long v : requestsPerConnection.subMap(from, true, to, true).values()) n += v;
            bins.add(new HttpFigures.RequestsBin(from, Math.min(to, max), n));
        }
        return bins;
    }

    /** The idle histogram, from the first bin with a connection to the last; empty when none had an idle time. */
    private List<HttpFigures.IdleBin> idleHistogram() {
        List<HttpFigures.IdleBin> bins = new ArrayList<>();
        if (idleServerClosed == null) return bins;
        int first = IdleBins.COUNT;
        int last = -1;
        for (int i = 0; i < IdleBins.COUNT; i++) {
            if (idleServerClosed[i] + idleClientClosed[i] == 0) continue;
            first = Math.min(first, i);
            last = i;
        }
        for (int i = first; i <= last; i++) {
            bins.add(new HttpFigures.IdleBin(IdleBins.low(i), IdleBins.high(i), idleServerClosed[i], idleClientClosed[i]));
        }
        return bins;
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
