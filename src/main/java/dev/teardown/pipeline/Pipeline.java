package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.SkipReason;
import dev.teardown.decode.TcpSegment;
import dev.teardown.decode.Tunnel;
import dev.teardown.http.CloseReason;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.report.FlowRecord;
import dev.teardown.report.RecordSink;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.TrackerView;
import dev.teardown.timewait.TimeWaitStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages after the packet source, driven one frame at a time: decoder, connection tracker, HTTP stage,
 * record sinks.
 *
 * <p>A file loop and a live capture callback push frames into the same instance, so both sources share
 * every line of analysis. The stages per connection are a {@link ConnectionChain} (the same the workers of
 * {@link ParallelAnalysis} run): when the tracker says a connection is finished, the chain finishes its HTTP
 * state, builds the immutable record from the teardown and the HTTP outcome, and tells the TIME_WAIT stage; the
 * pipeline hands the record to the sinks. One thread: {@link ParallelAnalysis} spreads a file over several.
 */
public final class Pipeline implements LiveAnalysis {
    private final TcpSegment segment = new TcpSegment();
    private final DecodeStats stats = new DecodeStats();
    private final PacketDecoder decoder;
    private final AnalyzeOptions options;
    /** An array, walked by index: the launcher's C1 compiler would allocate an iterator per record. */
    private final RecordSink[] sinks;
    private final ConnectionChain chain;
    private final LiveCounts live = new LiveCounts();
    /** The figures asked for by {@link #askFigures} and not yet given. */
    private LiveFigures figures;
    /** Evictions and peak of a tracker discarded by {@link #discardHeld}, kept for the totals. */
    private long discardedEvictions;
    private long discardedPeak;
    private long recordsWritten;
    private long first = PacketTime.UNSET;
    private long last = PacketTime.UNSET;
    /** The TIME_WAIT stage, told what the tracker does; {@link TimeWaitStage#none()} when no output needs it. */
    private final TimeWaitStage timeWait;

    /**
     * A pipeline writing each finished connection's record to {@code sinks}, in order, holding at most
     * {@code options.maxConnections()} connections at once.
     */
    public Pipeline(AnalyzeOptions options, List<? extends RecordSink> sinks) {
        this(options, sinks, TimeWaitStage.none());
    }

    /**
     * The same, also telling {@code timeWait} about every segment and connection, and counting closes for
     * {@link #view} and {@link #endpoints} (a live run).
     */
    public Pipeline(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait) {
        this(options, sinks, timeWait, true);
    }

    /**
     * The same; {@code liveCounts} false leaves {@link #view} and {@link #endpoints} without closes, which saves a
     * file's analysis working out each close reason twice.
     */
    public Pipeline(AnalyzeOptions options, List<? extends RecordSink> sinks, TimeWaitStage timeWait,
                    boolean liveCounts) {
        this.options = options;
        this.decoder = new PacketDecoder(stats, options.verifyChecksums());
        this.sinks = sinks.toArray(new RecordSink[0]);
        this.timeWait = java.util.Objects.requireNonNull(timeWait);
        this.chain = new ConnectionChain(options, options.maxConnections(), timeWait, new ConnectionChain.Listener() {
            @Override
            public void finished(Connection<ConnectionChain.Stages> c, FlowRecord r) {
                RecordSink[] all = Pipeline.this.sinks;
                for (int i = 0; i < all.length; i++) all[i].accept(r);
                recordsWritten++;
            }

            @Override
            public boolean countsCloses() {
                return liveCounts;
            }

            @Override
            public void closeCounted(Connection<ConnectionChain.Stages> c, Sides initiator, CloseReason reason) {
                live.closed(c, initiator, reason, c.wasReset());
            }

            @Override
            public void tupleReused(Connection<ConnectionChain.Stages> previous, Connection<ConnectionChain.Stages> next,
                                    long nanos) {
                if (liveCounts) live.tupleReused(next);
            }
        });
    }

    /** Analyses one frame; it may hand finished connections to the sinks. */
    @Override
    public void onFrame(Frame frame) {
        long t = frame.timeNanos();
        if (t < first || !PacketTime.isSet(first)) first = t;
        if (t > last) last = t; // UNSET is the smallest long, so the first packet always replaces it
        if (decoder.decode(frame, segment) == PacketDecoder.Result.TCP) chain.onSegment(segment);
    }

    /** The frames from now on come from the input file {@code name} (as given): its connections' records say so. */
    public void fileStarted(String name) {
        chain.fileStarted(name);
    }

    /** Packets analysed so far. */
    @Override
    public long packets() {
        return stats.packets();
    }

    /** Linux cooked frames ({@code -i any}) that the loopback device carried ({@link DecodeStats#loopbackFrames}). */
    @Override
    public long loopbackFrames() {
        return stats.loopbackFrames();
    }

    /** Connections handed to the sinks so far. */
    public long recordsWritten() {
        return recordsWritten;
    }

    /** The packet time reached: the latest packet's, or later when time was let pass ({@link #advanceTo}). */
    @Override
    public long nowNanos() {
        return chain.tracker().now();
    }

    /** Connections held now (open, or closing and waiting out TIME_WAIT). */
    public int heldConnections() {
        return chain.tracker().openConnections();
    }

    /**
     * Drops every connection held, without writing it, so that the heap they filled is free again: the
     * way out when memory ran out, keeping enough to write the summary and end cleanly. Returns how many
     * were dropped; the pipeline stays usable, empty.
     */
    @Override
    public int discardHeld() {
        discardedEvictions += chain.tracker().evictions();
        discardedPeak = Math.max(discardedPeak, chain.tracker().peakConnections());
        int held = chain.discardHeld();
        timeWait.discardHeld();
        return held;
    }

    /** Lets time pass without packets (a quiet live capture), so finished connections are still written. */
    @Override
    public void advanceTo(long nowNanos) {
        chain.advanceTo(nowNanos);
        timeWait.advanceTo(chain.tracker().now());
    }

    /** Writes every connection still open, as it stands: the end of the input. */
    @Override
    public void finish() {
        timeWait.endOfInput();
        chain.finish();
        timeWait.finish();
    }

    /** The tracker's state now, with the {@code top} server endpoints by TIME-WAIT held (a live status line). */
    public TrackerView view(int top) {
        return live.view(chain.tracker(), options.timeWaitNanos(), top);
    }

    /** Works out the figures at once: {@link #view}, {@link #recordsWritten} and {@link #endpoints}, in that order. */
    @Override
    public void askFigures(int top, int names) {
        figures = live.figures(chain.tracker(), options.timeWaitNanos(), top, names, recordsWritten);
    }

    @Override
    public LiveFigures figures() {
        LiveFigures f = figures;
        figures = null;
        return f;
    }

    @Override
    public LiveFigures awaitFigures() {
        return figures();
    }

    /**
     * The rows of at most {@code names} busiest server endpoints, and of the others summed, at the current packet time
     * (docs/output.md, "Metrics"); names move to the busiest endpoints at each call, so call once per sample.
     */
    public List<LiveEndpoints.Row> endpoints(int names) {
        return live.endpoints(chain.tracker(), options.timeWaitNanos(), names);
    }

    /** Packet-level totals so far, with the source's {@code warnings}. */
    @Override
    public CaptureTotals totals(List<String> warnings) {
        return totals(stats, warnings, discardedEvictions + chain.tracker().evictions(), options.maxConnections(),
            timeWait.warnings(), Math.max(discardedPeak, chain.tracker().peakConnections()), first, last);
    }

    /**
     * The totals of a run whose decoder counted {@code stats}, with the source's {@code warnings}, the tracker's
     * {@code evictions} under the bound {@code maxConnections}, the TIME_WAIT stage's {@code stageWarnings}, the
     * {@code peak} of connections held and the first and last packet times.
     */
    static CaptureTotals totals(DecodeStats stats, List<String> warnings, long evictions, int maxConnections,
                                List<String> stageWarnings, long peak, long first, long last) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            if (stats.skipped(r) > 0) skipped.put(words(r.name()), stats.skipped(r));
        }
        Map<String, Long> malformed = new LinkedHashMap<>();
        for (Anomaly a : Anomaly.values()) {
            if (stats.count(a) > 0) malformed.put(a.name(), stats.count(a));
        }
        Map<String, Long> tunnels = new LinkedHashMap<>();
        for (Tunnel t : Tunnel.values()) {
            if (stats.tunnelled(t) > 0) tunnels.put(t.label(), stats.tunnelled(t));
        }
        List<String> allWarnings = new java.util.ArrayList<>(warnings);
        if (evictions > 0) {
            allWarnings.add(String.format(java.util.Locale.ROOT, "%,d connections written out early because "
                + "the table was full (--max-connections %d)", evictions, maxConnections));
        }
        allWarnings.addAll(stageWarnings);
        return new CaptureTotals(stats.packets(), stats.tcpSegments(), skipped, malformed, List.copyOf(allWarnings),
            peak, first, last, tunnels);
    }

    private static String words(String constant) {
        return constant.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
