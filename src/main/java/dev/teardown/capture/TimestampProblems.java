package dev.teardown.capture;

import java.util.List;
import java.util.Locale;

/**
 * The records one reader met with a bad timestamp, counted by problem, for one warning line per problem at the
 * end: a bad timestamp is never silent, and a file full of them gives one line, not one per packet.
 */
final class TimestampProblems {

    /** What was wrong with a record's timestamp, and what the reader did about it. */
    enum Problem {
        /**
         * The time lies outside {@link PacketTime#MIN}..{@link PacketTime#MAX} (an {@code if_tsoffset} or tick
         * count that overflows 64-bit nanoseconds): the packet is skipped, because any time given to it would be
         * invented and would move the clock that expires connections.
         */
        TIME_OUT_OF_RANGE,
        /**
         * A classic pcap fraction field of one second or more: the packet is kept with the excess carried into
         * the seconds, the value the two fields literally add up to.
         */
        FRACTION_OVER_ONE_SECOND;

        /** The problem's name as its warning starts, e.g. {@code time out of range}. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final long[] counts = new long[Problem.values().length];
    private final long[] firstOffsets = new long[Problem.values().length];

    /** Counts one record, at {@code recordOffset} in the stream, with {@code problem}. */
    void count(Problem problem, long recordOffset) {
        if (counts[problem.ordinal()]++ == 0) {
            firstOffsets[problem.ordinal()] = recordOffset;
        }
    }

    /**
     * Adds one line per problem met to {@code into}.
     *
     * @param fractionField the classic pcap fraction field and its limit, e.g. {@code a microsecond field above
     *     999999}, for {@link Problem#FRACTION_OVER_ONE_SECOND}; formats without one never count that problem
     */
    void addWarnings(List<String> into, String fractionField) {
        for (Problem problem : Problem.values()) {
            long count = counts[problem.ordinal()];
            if (count == 0) {
                continue;
            }
            String what = switch (problem) {
                case TIME_OUT_OF_RANGE -> "skipped " + count + " packets whose timestamp lies outside "
                        + PacketTime.RANGE_TEXT + " (2^62 ns either side of 1970; an overflowing if_tsoffset or if_tsresol?)";
                case FRACTION_OVER_ONE_SECOND -> count + " packets have a timestamp fraction of one second or more ("
                        + fractionField + "), kept with the excess carried into the seconds";
            };
            into.add(problem.label() + ": " + what + "; first at byte " + firstOffsets[problem.ordinal()]);
        }
    }
}
