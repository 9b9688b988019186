/**
 * TIME_WAIT accounting across connections: how many connections each server endpoint holds open and in
 * TIME_WAIT (per side) over time, and how many close per step, written as a timeline.
 *
 * <h2>Pipeline contract</h2>
 * The pipeline tells {@link dev.teardown.timewait.TimeWaitStage} (and so each of its parts) every segment after the tracker applied it
 * ({@code onSegment}), the tracker's {@code closed}, {@code timeWaitStarted} and {@code finished} events (with
 * the tracker's packet time), packet time passing without packets ({@code advanceTo}), and the end of the
 * input ({@code endOfInput}, then the tracker's last connections, then {@code finish}). Nothing here changes a
 * connection. The stage reads records' parts from the connection rather than from
 * {@link dev.teardown.report.FlowRecord}, because a record gives TIME_WAIT for the connection (earliest start,
 * latest end of its holders), not per side, and comes too late to count connections that are still open.
 */
package dev.teardown.timewait;
