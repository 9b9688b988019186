package dev.teardown.capture;

/**
 * One interface of a pcapng section, as its Interface Description Block declares it.
 *
 * @param linkType the LINKTYPE_ value of every packet captured on the interface
 * @param snapLength the snapshot length, 0 for none
 * @param resolution the unit of the interface's timestamps ({@code if_tsresol})
 * @param offsetSeconds seconds to add to every timestamp ({@code if_tsoffset}), signed
 */
record PcapngInterface(int linkType, long snapLength, TimestampResolution resolution, long offsetSeconds) {

    /**
     * Converts a packet's unsigned tick count to nanoseconds since the epoch, exactly (to the nanosecond below),
     * or {@link PacketTime#UNSET} when the result lies outside {@link PacketTime#MIN}..{@link PacketTime#MAX}.
     */
    long timeNanos(long ticks) {
        long seconds = resolution.seconds(ticks);
        long sum = seconds + offsetSeconds;
        if (seconds < 0) {
            // Unsigned seconds of 2^63 or more: only a negative offset can bring them back, and then the wrapped
            // sum is exact exactly when it is non-negative (the true sum is then below 2^63).
            if (offsetSeconds >= 0 || sum < 0) return PacketTime.UNSET;
        } else if (((seconds ^ sum) & (offsetSeconds ^ sum)) < 0) {
            return PacketTime.UNSET; // signed overflow (Hacker's Delight 2-13): the sum is past 2^63 either way
        }
        return PacketTime.of(sum, resolution.fractionNanos(ticks));
    }
}
