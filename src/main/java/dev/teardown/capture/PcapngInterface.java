package dev.teardown.capture;

/**
 * One interface of a pcapng section, as its Interface Description Block declares it.
 *
 * @param linkType the LINKTYPE_ value of every packet captured on the interface
 * @param snapLength the snapshot length, 0 for none
 * @param resolution the unit of the interface's timestamps ({@code if_tsresol})
 * @param offsetSeconds seconds to add to every timestamp ({@code if_tsoffset})
 */
record PcapngInterface(int linkType, long snapLength, TimestampResolution resolution, long offsetSeconds) {

    /** Converts a packet's tick count to nanoseconds since the epoch. */
    long timeNanos(long ticks) {
        return resolution.toNanos(ticks) + offsetSeconds * TimestampResolution.NANOS_PER_SECOND;
    }
}
