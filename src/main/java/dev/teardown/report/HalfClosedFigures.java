package dev.teardown.report;

/**
 * The half-closed states of a set of connections (the {@code fin_wait2_s}, {@code close_wait_s} and
 * {@code half_closed_end} columns, summed up): how many went through FIN-WAIT-2 and CLOSE-WAIT, for how long at
 * most, and how many were still in CLOSE-WAIT when the capture last saw them.
 *
 * @param finWait2 connections whose active closer went through FIN-WAIT-2
 * @param finWait2OverFinTimeout of those, the ones that waited {@link #FIN_TIMEOUT_NANOS} or longer: an orphaned
 *     socket (its application already closed) would have been destroyed by {@code tcp_fin_timeout} by then
 * @param finWait2MaxNanos the longest FIN-WAIT-2 (0 when none)
 * @param closeWait connections whose passive closer went through CLOSE-WAIT
 * @param closeWaitRunning of those, the ones still in CLOSE-WAIT when last seen ({@code half_closed_end}
 *     {@code running}): the application had not closed its socket
 * @param closeWaitMaxNanos the longest CLOSE-WAIT (0 when none)
 * @param closeWaitRunningMaxNanos the longest of those still running when last seen (0 when none): how long an
 *     application had left a socket unclosed, apart from CLOSE-WAITs that ended
 */
public record HalfClosedFigures(long finWait2, long finWait2OverFinTimeout, long finWait2MaxNanos, long closeWait,
                                long closeWaitRunning, long closeWaitMaxNanos, long closeWaitRunningMaxNanos) {
    /** Linux's default {@code net.ipv4.tcp_fin_timeout}: 60 s. */
    public static final long FIN_TIMEOUT_NANOS = 60_000_000_000L;

    /** No half-closed state. */
    public static final HalfClosedFigures NONE = new HalfClosedFigures(0, 0, 0, 0, 0, 0, 0);

    /** Counts the half-closed states of records, and merges with another count. */
    static final class Counter {
        private long finWait2;
        private long finWait2Over;
        private long finWait2Max;
        private long closeWait;
        private long closeWaitRunning;
        private long closeWaitMax;
        private long closeWaitRunningMax;

        void add(FlowRecord r) {
            dev.teardown.teardown.HalfClosed h = r.halfClosed();
            if (h.end() == dev.teardown.teardown.HalfClosed.End.NONE) return;
            if (dev.teardown.capture.PacketTime.isSet(h.finWait2StartNanos())) {
                long d = Math.max(0, h.endNanos() - h.finWait2StartNanos());
                finWait2++;
                if (d >= FIN_TIMEOUT_NANOS) finWait2Over++;
                finWait2Max = Math.max(finWait2Max, d);
            }
            if (dev.teardown.capture.PacketTime.isSet(h.closeWaitStartNanos())) {
                long d = Math.max(0, h.endNanos() - h.closeWaitStartNanos());
                closeWait++;
                if (h.end() == dev.teardown.teardown.HalfClosed.End.RUNNING) {
                    closeWaitRunning++;
                    closeWaitRunningMax = Math.max(closeWaitRunningMax, d);
                }
                closeWaitMax = Math.max(closeWaitMax, d);
            }
        }

        void merge(Counter o) {
            finWait2 += o.finWait2;
            finWait2Over += o.finWait2Over;
            finWait2Max = Math.max(finWait2Max, o.finWait2Max);
            closeWait += o.closeWait;
            closeWaitRunning += o.closeWaitRunning;
            closeWaitMax = Math.max(closeWaitMax, o.closeWaitMax);
            closeWaitRunningMax = Math.max(closeWaitRunningMax, o.closeWaitRunningMax);
        }

        HalfClosedFigures figures() {
            return new HalfClosedFigures(finWait2, finWait2Over, finWait2Max, closeWait, closeWaitRunning, closeWaitMax,
                closeWaitRunningMax);
        }
    }
}
