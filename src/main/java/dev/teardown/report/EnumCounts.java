package dev.teardown.report;

import java.util.EnumMap;
import java.util.Map;

/**
 * A count per constant of an enum, kept in an array by ordinal: counting a record boxes nothing (an
 * {@code EnumMap<E, Long>} allocates a {@code Long} per count above 127).
 *
 * @param <E> the enum counted
 */
final class EnumCounts<E extends Enum<E>> {
    private final Class<E> type;
    private final E[] constants;
    private final long[] counts;

    EnumCounts(Class<E> type) {
        this.type = type;
        this.constants = type.getEnumConstants();
        this.counts = new long[constants.length];
    }

    void add(E e) {
        counts[e.ordinal()]++;
    }

    void merge(EnumCounts<E> other) {
        for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
    }

    /** The constants counted at least once, in declaration order, with their counts. */
    Map<E, Long> toMap() {
        Map<E, Long> m = new EnumMap<>(type);
        for (int i = 0; i < counts.length; i++) if (counts[i] > 0) m.put(constants[i], counts[i]);
        return m;
    }
}
