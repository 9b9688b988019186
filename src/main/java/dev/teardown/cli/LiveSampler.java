package dev.teardown.cli;

import dev.teardown.metrics.LiveMetrics;
import dev.teardown.pipeline.LiveRun;
import dev.teardown.pipeline.LiveRun.Sample;
import dev.teardown.report.LiveEndpoints;
import dev.teardown.report.Summary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code teardown live} does with each sample of the run: publishes it to the metrics (every second, when
 * {@code --metrics} is given) and hands it to the {@link LiveStatus} at the status's own pace, with the sample the
 * status last showed, so its rates stay over its own interval. One sample feeds both: the metrics show the values
 * the status shows.
 */
final class LiveSampler implements LiveRun.Status {
    /** How often the metrics are published: about as often as Prometheus scrapes at its finest. */
    static final long METRICS_NANOS = 1_000_000_000L;

    private final LiveStatus status;
    private final LiveMetrics metrics;
    private final Summary summary;
    private final int names;
    private final long timeWaitNanos;
    private Sample statusBefore;

    /**
     * Samples for {@code status}, and for {@code metrics} unless it is null, naming at most {@code names} server
     * endpoints; the inferred idle timeouts come from {@code summary}; {@code timeWaitNanos} is the TIME_WAIT length.
     */
    LiveSampler(LiveStatus status, LiveMetrics metrics, Summary summary, int names, long timeWaitNanos) {
        this.status = status;
        this.metrics = metrics;
        this.summary = summary;
        this.names = names;
        this.timeWaitNanos = timeWaitNanos;
    }

    @Override
    public long intervalNanos() {
        return metrics == null ? status.intervalNanos() : Math.min(METRICS_NANOS, status.intervalNanos());
    }

    @Override
    public int topEndpoints() {
        return status.topEndpoints();
    }

    @Override
    public int endpointNames() {
        return metrics == null ? 0 : names;
    }

    @Override
    public void print(Sample before, Sample now) {
        if (metrics != null) metrics.publish(reading(now));
        if (statusBefore == null) statusBefore = before;
        // Samples come about an interval apart, never exactly: half a metrics interval of slack keeps the status on
        // its own pace (every fifth sample for plain lines).
        if (now.elapsedNanos() - statusBefore.elapsedNanos() >= status.intervalNanos() - intervalNanos() / 2) {
            status.print(statusBefore, now);
            statusBefore = now;
        }
    }

    /** The metrics' reading of {@code now}. */
    LiveMetrics.Reading reading(Sample now) {
        Map<String, Double> idle = new LinkedHashMap<>();
        for (LiveEndpoints.Row row : now.endpoints()) {
            if (row.endpoint() == null) continue;
            synchronized (summary) { // the rows reach it on the merger's thread with several threads (LiveCommand)
                summary.idleCloses(row.server()).ifPresent(c -> idle.put(row.server(), c.medianNanos() / 1e9));
            }
        }
        return new LiveMetrics.Reading(now.frames(), now.pcap(), now.tracker().evictions(), now.tracker().open(),
            now.written(), LiveStatus.partial(now, timeWaitNanos), now.endpoints(), idle);
    }
}
