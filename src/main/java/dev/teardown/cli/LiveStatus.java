package dev.teardown.cli;

import dev.teardown.pipeline.LiveRun;
import dev.teardown.pipeline.LiveRun.Sample;
import dev.teardown.teardown.ServerTimeWait;
import dev.teardown.teardown.TrackerView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The status {@code teardown live} prints on stderr while it runs: on a terminal a small block redrawn in
 * place every second, otherwise one plain line every five seconds (for logs and pipes).
 */
final class LiveStatus implements LiveRun.Status {
    static final long TERMINAL_NANOS = 1_000_000_000L;
    static final long PLAIN_NANOS = 5_000_000_000L;
    private static final int TERMINAL_ENDPOINTS = 5;
    private static final int PLAIN_ENDPOINTS = 3;
    private static final int WIDTH = 79;

    /** Linux's TIME_WAIT length, for a status that does not say otherwise. */
    static final long DEFAULT_TIME_WAIT_NANOS = 60_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long timeWaitNanos;
    private int linesDrawn;

    LiveStatus(PrintWriter err, boolean terminal) {
        this(err, terminal, DEFAULT_TIME_WAIT_NANOS);
    }

    /**
     * @param timeWaitNanos the TIME_WAIT length: until the capture is that old, TIME_WAIT begun before it started
     *     is missing from the counts, and the status says so
     */
    LiveStatus(PrintWriter err, boolean terminal, long timeWaitNanos) {
        this.err = err;
        this.terminal = terminal;
        this.timeWaitNanos = timeWaitNanos;
    }

    /** How often to call {@link #print}. */
    @Override
    public long intervalNanos() {
        return terminal ? TERMINAL_NANOS : PLAIN_NANOS;
    }

    /** Server endpoints to ask the tracker for. */
    @Override
    public int topEndpoints() {
        return terminal ? TERMINAL_ENDPOINTS : PLAIN_ENDPOINTS;
    }

    /** Prints the status for {@code now}; rates are over the time since {@code before}. */
    @Override
    public void print(Sample before, Sample now) {
        List<String> lines = terminal ? block(before, now, timeWaitNanos) : List.of(line(before, now, timeWaitNanos));
        if (terminal) {
            // Redraw in place: back to the block's first line, then overwrite each line (ANSI CUU and EL).
            StringBuilder b = new StringBuilder();
            if (linesDrawn > 0) b.append("\033[").append(linesDrawn).append('A');
            for (String l : lines) b.append('\r').append(fit(l)).append("\033[K\n");
            for (int i = lines.size(); i < linesDrawn; i++) b.append("\r\033[K\n");
            linesDrawn = Math.max(linesDrawn, lines.size());
            err.print(b);
        } else {
            err.println(lines.get(0));
        }
        err.flush();
    }

    /** The plain one-line form, with Linux's TIME_WAIT length. */
    static String line(Sample before, Sample now) {
        return line(before, now, DEFAULT_TIME_WAIT_NANOS);
    }

    /** The plain one-line form. */
    static String line(Sample before, Sample now, long timeWaitNanos) {
        StringBuilder b = new StringBuilder(256);
        b.append("live ").append(clock(now.elapsedNanos())).append(": ").append(counts(now))
            .append("; closes/s ").append(rates(before, now)).append("; TIME_WAIT now ")
            .append(partial(now, timeWaitNanos) ? "(at least: TIME_WAIT begun before the capture is not seen yet) "
                : now.tracker().evictions() > 0 ? "(at least) " : "");
        List<ServerTimeWait> tw = now.tracker().timeWait();
        if (tw.isEmpty()) b.append("none");
        for (int i = 0; i < tw.size(); i++) {
            if (i > 0) b.append(", ");
            ServerTimeWait e = tw.get(i);
            b.append(e.endpoint()).append(String.format(Locale.ROOT, " client %,d server %,d", e.client(), e.server()));
        }
        return b.toString();
    }

    /** The terminal form with Linux's TIME_WAIT length. */
    static List<String> block(Sample before, Sample now) {
        return block(before, now, DEFAULT_TIME_WAIT_NANOS);
    }

    /**
     * Whether the capture is younger than one TIME_WAIT: TIME_WAIT entered before it began is not seen, so the
     * counts are minimums until then.
     */
    static boolean partial(Sample now, long timeWaitNanos) {
        return now.elapsedNanos() < timeWaitNanos;
    }

    /** The terminal form, each line within 79 columns: counts, close rates, then the top server endpoints. */
    static List<String> block(Sample before, Sample now, long timeWaitNanos) {
        TrackerView t = now.tracker();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "teardown live %s   packets %,d   dropped %,d (interface %,d)",
            clock(now.elapsedNanos()), now.frames(), now.pcap().dropped(), now.pcap().interfaceDropped()));
        lines.add(String.format(Locale.ROOT, "  connections open %,d   written %,d   evicted %,d", t.open(), now.written(),
            t.evictions()));
        lines.add("  closes/s  " + rates(before, now));
        // Evicted connections are no longer seen, though their TIME_WAIT may go on: the counts become minimums.
        boolean young = partial(now, timeWaitNanos);
        String heading = t.evictions() > 0 || young ? "TIME_WAIT now (at least), by server endpoint"
            : "TIME_WAIT now, by server endpoint";
        lines.add(String.format(Locale.ROOT, "  %-47s %12s %12s", heading, "client", "server"));
        if (t.timeWait().isEmpty()) lines.add("  (none)");
        for (ServerTimeWait e : t.timeWait()) {
            lines.add(String.format(Locale.ROOT, "  %-47s %,12d %,12d", e.endpoint(), e.client(), e.server()));
        }
        if (young) {
            lines.add(String.format(Locale.ROOT, "  (TIME_WAIT begun before the capture is not seen until it is %d s old)",
                timeWaitNanos / 1_000_000_000L));
        }
        return lines;
    }

    private static String counts(Sample s) {
        TrackerView t = s.tracker();
        return String.format(Locale.ROOT,
            "%,d packets, %,d dropped (%,d by the interface), %,d open, %,d written, %,d evicted",
            s.frames(), s.pcap().dropped(), s.pcap().interfaceDropped(), t.open(), s.written(), t.evictions());
    }

    /** Closes per second over the interval, by who began them. */
    private static String rates(Sample before, Sample now) {
        double seconds = Math.max(1e-9, (now.elapsedNanos() - before.elapsedNanos()) / 1e9);
        TrackerView a = before.tracker();
        TrackerView b = now.tracker();
        return String.format(Locale.ROOT, "client %.1f, server %.1f, crossed %.1f, rst %.1f",
            (b.clientCloses() - a.clientCloses()) / seconds, (b.serverCloses() - a.serverCloses()) / seconds,
            (b.crossedCloses() - a.crossedCloses()) / seconds, (b.aborts() - a.aborts()) / seconds);
    }

    private static String clock(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Cut to the width so a redraw never wraps (a wrapped line would break the cursor-up count). */
    private static String fit(String s) {
        return s.length() <= WIDTH ? s : s.substring(0, WIDTH - 1) + "~";
    }

    /** Whether standard error is a terminal that redraws: decided in one place, {@link Progress#stderrIsTerminal}. */
    static boolean stderrIsTerminal() {
        return Progress.stderrIsTerminal();
    }
}
