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
 *
 * <p>The kernel's timers run on the monotonic clock, the packets' stamps (and so the timeline) on the real-time
 * clock, and a VM's real-time clock can be stepped or slewed during a run (seen here: a 0.26 s step, then 5 ms a
 * second). So each socket's expiry is given in the packets' clock as the timeline works it out: its start (its
 * expiry less Linux's fixed 60 s, in monotonic time) read on the real-time clock as it stood then, plus 60 s. The
 * two clocks' offset comes from the monotonic readings the sampler writes beside the real-time ones, interpolated
 * between samples; samples without them (an older run) keep one offset, which is the same as reading the expiry
 * as the sample's time plus the remaining time.
 */
final class KernelSamples {
    static final long MS = 1_000_000L;
    /** {@code ss} prints whole seconds only from 10 s remaining up (iproute2 ss.c, print_ms_timer). */
    private static final long PRECISE_BELOW_MS = 10_000;
    private static final Pattern ROW = Pattern.compile(
        "^\\s*\\d+\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+timer:\\(timewait,([^,]*),\\d+\\)\\s*$");
    private static final Pattern TIMER = Pattern.compile("^(?:(\\d+)min)?(?:(\\d+)(sec|\\.))?(?:(\\d+)ms)?$");

    /** Linux's TIME_WAIT length, fixed (TCP_TIMEWAIT_LEN, include/net/tcp.h). */
    static final long TIME_WAIT_NANOS = 60_000_000_000L;

    /**
     * One socket in one sample: its server endpoint ("ip:port"), whether the server holds it, ms remaining, and when
     * it expires in the packets' clock (see the class comment).
     */
    record Socket(String endpoint, boolean server, long remainingMs, boolean precise, long expiryNanos) {}

    /**
     * One ss run: the middle of the CLOCK_REALTIME readings around it, their spread, the middle of the
     * CLOCK_MONOTONIC ones (the real-time middle when the run did not record them), and its TIME_WAIT sockets.
     */
    record Sample(long nanos, long spreadNanos, long monoNanos, List<Socket> sockets) {
        /** The sockets of {@code endpoint} held by that side still in TIME_WAIT at {@code atNanos} (near this sample). */
        long count(String endpoint, boolean server, long atNanos) {
            long n = 0;
            for (Socket s : sockets) {
                if (s.server == server && s.endpoint.equals(endpoint) && s.remainingMs > 0
                    && s.expiryNanos > atNanos) n++;
            }
            return n;
        }

        /** The same at the sample's own time. */
        long count(String endpoint, boolean server) {
            return count(endpoint, server, nanos);
        }
    }

    final List<Sample> samples;
    /** Expiry times (in the packets' clock) of sockets sampled with a precise remaining time, sorted. */
    final long[] expiries;
    /** How far the real-time clock moved against the monotonic one during the run, at most (taken out). */
    final long clockMovedNanos;

    private KernelSamples(List<Sample> samples, long[] expiries, long clockMovedNanos) {
        this.samples = samples;
        this.expiries = expiries;
        this.clockMovedNanos = clockMovedNanos;
    }

    /** One socket row as read, before the clocks' offsets are known. */
    private record Row(String endpoint, boolean server, long remainingMs) {}

    /** Reads the gzip'ed samples; a row that is not a TIME-WAIT socket of {@code endpoints} fails. */
    static KernelSamples read(Path gz, Set<String> endpoints) throws IOException {
        List<long[]> heads = new ArrayList<>(); // real-time middle, spread, monotonic middle
        List<List<Row>> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.US_ASCII))) {
            List<Row> current = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("@ ")) {
                    String[] f = line.split(" ");
                    long before = Long.parseLong(f[1]);
                    long after = Long.parseLong(f[2]);
                    long at = before + (after - before) / 2;
                    long mono = f.length >= 6 ? Long.parseLong(f[4]) + (Long.parseLong(f[5]) - Long.parseLong(f[4])) / 2 : at;
                    heads.add(new long[] {at, after - before, mono});
                    rows.add(current = new ArrayList<>());
                    continue;
                }
                Matcher m = ROW.matcher(line);
                if (current == null || !m.matches()) throw new IOException("not an ss TIME-WAIT row: " + line);
                String local = m.group(1);
                String peer = m.group(2);
                boolean server = endpoints.contains(local);
                if (!server && !endpoints.contains(peer)) throw new IOException("neither side a server endpoint: " + line);
                current.add(new Row(server ? local : peer, server, remainingMs(m.group(3))));
            }
        }
        int n = heads.size();
        long[] mono = new long[n];
        long[] offset = new long[n];
        long moved = 0;
        for (int i = 0; i < n; i++) {
            mono[i] = heads.get(i)[2];
            offset[i] = heads.get(i)[0] - mono[i];
            moved = Math.max(moved, Math.abs(offset[i] - offset[0]));
        }
        List<Sample> samples = new ArrayList<>(n);
        List<Long> expiries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] h = heads.get(i);
            List<Socket> sockets = new ArrayList<>();
            for (Row r : rows.get(i)) {
                long expiryMono = h[2] + r.remainingMs * MS;
                long expiry = expiryMono + offsetAt(mono, offset, expiryMono - TIME_WAIT_NANOS);
                boolean precise = r.remainingMs < PRECISE_BELOW_MS;
                sockets.add(new Socket(r.endpoint, r.server, r.remainingMs, precise, expiry));
                if (precise && r.remainingMs > 0) expiries.add(expiry);
            }
            samples.add(new Sample(h[0], h[1], h[2], List.copyOf(sockets)));
        }
        long[] e = expiries.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(e);
        return new KernelSamples(List.copyOf(samples), e, moved);
    }

    /**
     * The real-time clock's offset from the monotonic one at monotonic time {@code at}: interpolated between the
     * samples around it, the first's before them, the last's after.
     */
    static long offsetAt(long[] mono, long[] offset, long at) {
        int n = mono.length;
        if (n == 0) return 0;
        if (at <= mono[0]) return offset[0];
        if (at >= mono[n - 1]) return offset[n - 1];
        int i = Arrays.binarySearch(mono, at);
        if (i >= 0) return offset[i];
        i = -i - 1; // mono[i - 1] < at < mono[i]
        double f = (double) (at - mono[i - 1]) / (mono[i] - mono[i - 1]);
        return offset[i - 1] + Math.round(f * (offset[i] - offset[i - 1]));
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
