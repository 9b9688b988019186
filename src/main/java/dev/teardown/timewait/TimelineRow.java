package dev.teardown.timewait;

/**
 * One line of the timeline: a server endpoint at one instant.
 *
 * @param timeNanos the instant, a multiple of the step, in nanoseconds since the epoch
 * @param serverIp the server's address (RFC 5952 for IPv6)
 * @param serverPort the server's port
 * @param counts the value of each {@link Count}, indexed by its ordinal
 * @param partial whether the instant lies within one TIME_WAIT length of the capture's start, so TIME_WAIT
 *     entered before the capture (unseen) may be missing
 */
public record TimelineRow(long timeNanos, String serverIp, int serverPort, long[] counts, boolean partial) {

    public TimelineRow {
        counts = counts.clone();
    }

    /** The value of {@code c}. */
    public long count(Count c) {
        return counts[c.ordinal()];
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimelineRow r && r.timeNanos == timeNanos && r.serverIp.equals(serverIp)
            && r.serverPort == serverPort && java.util.Arrays.equals(r.counts, counts) && r.partial == partial;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(timeNanos, serverIp, serverPort, java.util.Arrays.hashCode(counts), partial);
    }

    @Override
    public String toString() {
        return dev.teardown.report.Times.iso(timeNanos) + " " + serverIp + ":" + serverPort + " "
            + java.util.Arrays.toString(counts) + (partial ? " partial" : "");
    }
}
