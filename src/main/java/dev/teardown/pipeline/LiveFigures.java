package dev.teardown.pipeline;

import dev.teardown.report.LiveEndpoints;
import dev.teardown.teardown.TrackerView;
import java.util.List;

/**
 * What a live status sample shows of the analysis at one point of the input: the tracker's view, the records
 * written, and the busiest server endpoints' rows (empty unless asked for).
 *
 * @param tracker the connections held, with the top server endpoints by TIME-WAIT
 * @param written connections handed to the sinks
 * @param endpoints the rows of {@link Pipeline#endpoints}, or empty
 */
public record LiveFigures(TrackerView tracker, long written, List<LiveEndpoints.Row> endpoints) {}
