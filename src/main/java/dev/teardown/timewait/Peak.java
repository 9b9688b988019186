package dev.teardown.timewait;

/**
 * One population's figures over a capture: its highest value at an instant, the first instant it was reached,
 * and its mean over every instant of the capture.
 *
 * @param value the highest count at an instant ({@code 0} when nothing was ever held)
 * @param atNanos the first instant with that count, or {@link dev.teardown.capture.PacketTime#UNSET} when 0
 * @param mean the mean count over the capture's instants, those with nothing held included
 * @param partial whether the peak lies within one TIME_WAIT length of the capture's start, where TIME_WAIT
 *     entered before the capture (invisible) may be missing from it
 */
public record Peak(long value, long atNanos, double mean, boolean partial) {
    /** Nothing held. */
    public static final Peak NONE = new Peak(0, dev.teardown.capture.PacketTime.UNSET, 0, false);
}
