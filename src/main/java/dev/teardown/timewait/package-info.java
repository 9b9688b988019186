/**
 * TIME_WAIT accounting across connections: the answer to "why do I have thousands of sockets in TIME_WAIT?" in
 * figures.
 *
 * <h2>Parts</h2>
 * {@link dev.teardown.timewait.TimeWaitStage} holds the parts, each a listener of the same calls ({@code Part}):
 * <ul>
 * <li>the timeline ({@code TimeWaitTimeline}): open connections, TIME_WAIT per side and closes per server
 *     endpoint at step instants (the {@code --timeline} rows), and the populations per host (both roles), per
 *     server endpoint and per client and endpoint pair behind {@link dev.teardown.timewait.TimeWaitFigures}:
 *     peaks, means, shapes, port pressure, tuple reuse's effect;</li>
 * <li>the TCP timestamp clocks ({@code TimestampClocks}): clocks per client and server address pair, and the
 *     SYNs {@code tcp_tw_recycle} would have dropped ({@link dev.teardown.timewait.ClockFigures});</li>
 * <li>the idle-timeout what-if ({@code IdleWhatIf}): connections, closes and server TIME_WAIT under other
 *     keep-alive idle timeouts ({@link dev.teardown.timewait.WhatIfRow}).</li>
 * </ul>
 * Beside the parts, {@code TimelineSeries} reads the timeline's rows as they are written and keeps them downsampled
 * for charts ({@link dev.teardown.timewait.SeriesFigures}: closes by who closed, the busiest endpoints' populations),
 * in a fixed number of buckets.
 *
 * <h2>Pipeline contract</h2>
 * The pipeline makes a {@link dev.teardown.timewait.TimeWaitState} per connection ({@code TimeWaitStage.open()},
 * carried on the connection beside the HTTP stage's state, where each part keeps what it needs of that
 * connection), and tells the stage every segment after the tracker applied it ({@code onSegment}), the tracker's
 * {@code closed}, {@code timeWaitStarted}, {@code tupleReused} and {@code finished} events (the last with the
 * connection's record and the tracker's packet time), packet time passing without packets ({@code advanceTo}),
 * and the end of the input ({@code endOfInput}, then the tracker's last connections, then {@code finish}).
 * Nothing here changes a connection. Parts read per-side TIME_WAIT from the connection rather than from
 * {@link dev.teardown.report.FlowRecord}, because a record gives TIME_WAIT for the connection (earliest start,
 * latest end of its holders), not per side, and comes too late to count connections that are still open.
 *
 * <p>Every figure is in packet time, deterministic, and bounded in memory by the connections held and a window
 * of packet time (each part's Javadoc gives its bound); docs/output.md defines them.
 */
package dev.teardown.timewait;
