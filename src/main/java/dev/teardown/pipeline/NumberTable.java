package dev.teardown.pipeline;

/**
 * The merger's numbers of the connections begun and not yet written, by global first packet: a hash table of
 * primitive longs (open addressing, linear probing, deletion by shifting back), so a connection costs no boxed
 * key, value or entry object. Memory: two long arrays of a power of two, at least twice the most entries held at once.
 */
final class NumberTable {
    /** No first packet is negative: the mark of a free slot. */
    private static final long FREE = -1;
    private long[] keys;
    private long[] values;
    private int size;

    NumberTable() {
        allocate(1 << 10);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, FREE);
    }

    private int slot(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ h >>> 32) & (keys.length - 1);
    }

    /** Holds {@code number} for first packet {@code key} (never negative, not held yet). */
    void put(long key, long number) {
        if (2 * (size + 1) > keys.length) grow();
        int i = slot(key);
        while (keys[i] != FREE) i = (i + 1) & (keys.length - 1);
        keys[i] = key;
        values[i] = number;
        size++;
    }

    /** The number held for {@code key}, now forgotten; -1 when none is held. */
    long remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key);
        while (keys[i] != key) {
            if (keys[i] == FREE) return -1;
            i = (i + 1) & mask;
        }
        long number = values[i];
        // Shift later entries of the run back into the hole, so every key stays reachable from its own slot.
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != FREE; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = FREE;
        size--;
        return number;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] k = keys;
        long[] v = values;
        allocate(k.length * 2);
        size = 0;
        for (int i = 0; i < k.length; i++) if (k[i] != FREE) put(k[i], v[i]);
    }
}
