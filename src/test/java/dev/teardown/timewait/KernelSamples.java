package dev.teardown.timewait;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The kernel's TIME_WAIT sockets over time, as scripts/kernel-timeline.sh sampled them with
 * {@code ss -tanoH state time-wait}: per sample, each socket's server endpoint, holding side and remaining time.
 *
 * <p>A socket is server-held when its local address:port is one of the server endpoints, client-held when its
 * peer is. Linux removes an expired TIME_WAIT socket up to about 2 s after its 60 s, showing a remaining time
 * of 0 meanwhile ({@code inet_diag} clamps the negative remainder), so a socket whose timer shows 0 counts as
 * gone.
 */
final class KernelSamples {
    static final long MS = 1_000_000L;
    /** {@code ss} prints whole seconds only from 10 s remaining up (iproute2 ss.c, print_ms_timer). */
    private static final long PRECISE_BELOW_MS = 10_000;
    private static final Pattern ROW = Pattern.compile(
        "^\\s*\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+timer:\\(timewait,([^,]*),\\d+\\)\\s*$");
    private static final Pattern TIMER = Pattern.compile("^(?:(\\d+)min)?(?:(\\d+)(sec|\\.))?(?:(\\d+)ms)?$");

    /** One socket in one sample: its server endpoint ("ip:port"), whether the server holds it, ms remaining. */
    record Socket(String endpoint, boolean server, long remainingMs, boolean precise) {}

    /** One ss run: the middle of the CLOCK_REALTIME readings around it, and its TIME_WAIT sockets. */
    record Sample(long nanos, long spreadNanos, List<Socket> sockets) {
        /** The sockets of {@code endpoint} held by that side still in TIME_WAIT at {@code atNanos} (near this sample). */
        long count(String endpoint, boolean server, long atNanos) {
            long n = 0;
            for (Socket s : sockets) {
                if (s.server == server && s.endpoint.equals(endpoint) && s.remainingMs > 0
                    && nanos + s.remainingMs * MS > atNanos) n++;
            }
            return n;
        }

        /** The same at the sample's own time. */
        long count(String endpoint, boolean server) {
            return count(endpoint, server, nanos);
        }
    }

    final List<Sample> samples;
    /** Expiry times (sample time plus remaining) of sockets sampled with a precise remaining time, sorted. */
    final long[] expiries;

    private KernelSamples(List<Sample> samples, long[] expiries) {
        this.samples = samples;
        this.expiries = expiries;
    }

    /** Reads the gzip'ed samples; a row that is not a TIME-WAIT socket of {@code endpoints} fails. */
    static KernelSamples read(Path gz, Set<String> endpoints) throws IOException {
        List<Sample> samples = new ArrayList<>();
        List<Long> expiries = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.US_ASCII))) {
            List<Socket> current = null;
            long at = 0;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@ ")) {
                    String[] f = line.split(" ");
                    long before = Long.parseLong(f[1]);
                    long after = Long.parseLong(f[2]);
                    at = before + (after - before) / 2;
                    current = new ArrayList<>();
                    samples.add(new Sample(at, after - before, current));
                    continue;
                }
                Matcher m = ROW.matcher(line);
                if (current == null || !m.matches()) throw new IOException("not an ss TIME-WAIT row: " + line);
                String local = m.group(1);
                String peer = m.group(2);
                boolean server = endpoints.contains(local);
                if (!server && !endpoints.contains(peer)) throw new IOException("neither side a server endpoint: " + line);
                long ms = remainingMs(m.group(3));
                boolean precise = ms < PRECISE_BELOW_MS;
                current.add(new Socket(server ? local : peer, server, ms, precise));
                if (precise && ms > 0) expiries.add(at + ms * MS);
            }
        }
        long[] e = expiries.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(e);
        return new KernelSamples(List.copyOf(samples), e);
    }

    /**
     * The remaining time {@code ss -o} prints (iproute2's print_ms_timer): "1min", "59sec", "9.123ms" (9.123 s),
     * "123ms", or nothing for 0. From 10 s up the milliseconds are dropped, so the value is then a floor.
     */
    static long remainingMs(String text) {
        Matcher m = TIMER.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("not an ss timer: " + text);
        long ms = 0;
        if (m.group(1) != null) ms += Long.parseLong(m.group(1)) * 60_000;
        if (m.group(2) != null) ms += Long.parseLong(m.group(2)) * 1_000;
        if (m.group(4) != null) ms += Long.parseLong(m.group(4));
        return ms;
    }

    /** The sample nearest to {@code nanos}, or null if none lies within {@code maxNanos}. */
    Sample nearest(long nanos, long maxNanos) {
        int i = firstAfter(nanos);
        Sample best = null;
        for (int j = Math.max(0, i - 1); j <= Math.min(samples.size() - 1, i); j++) {
            Sample s = samples.get(j);
            if (Math.abs(s.nanos - nanos) <= maxNanos && (best == null || Math.abs(s.nanos - nanos) < Math.abs(best.nanos - nanos))) best = s;
        }
        return best;
    }

    /** The last sample at or before {@code nanos} and the first after it, or null where there is none. */
    Sample[] bracket(long nanos) {
        int i = firstAfter(nanos);
        return new Sample[] {i > 0 ? samples.get(i - 1) : null, i < samples.size() ? samples.get(i) : null};
    }

    /** Whether a sampled socket's TIME_WAIT ran out within {@code windowNanos} of {@code nanos}. */
    boolean expiryNear(long nanos, long windowNanos) {
        int i = Arrays.binarySearch(expiries, nanos - windowNanos);
        if (i < 0) i = -i - 1;
        return i < expiries.length && expiries[i] <= nanos + windowNanos;
    }

    /** The highest count of {@code endpoint}'s {@code server} side over all samples. */
    long peak(String endpoint, boolean server) {
        long max = 0;
        for (Sample s : samples) max = Math.max(max, s.count(endpoint, server));
        return max;
    }

    /** Count per endpoint and side at the sample's own time, for messages. */
    static Map<String, Long> counts(Sample s) {
        Map<String, Long> m = new HashMap<>();
        for (Socket k : s.sockets) if (k.remainingMs > 0) m.merge(k.endpoint + (k.server ? " server" : " client"), 1L, Long::sum);
        return m;
    }

    private int firstAfter(long nanos) {
        int lo = 0;
        int hi = samples.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (samples.get(mid).nanos <= nanos) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
