package dev.teardown.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * The most frequent keys of a stream in a table of fixed capacity, each with what the caller accumulates
 * for it: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi, "Efficient Computation of Frequent and
 * Top-k Elements in Data Streams", ICDT 2005).
 *
 * <p>Until more distinct keys than the capacity have been seen, every entry is exact. After that a new key
 * takes the place of the entry with the lowest estimate m and starts with estimate m + 1 and error m: it
 * may have occurred up to m times before, uncounted, while its earlier value was dropped. So for a
 * tracked key, {@code tracked} (the occurrences its value holds) is at most its true count and
 * {@code tracked + error} at least; and every key that occurred more than N / capacity times in N is in
 * the table. Memory is the capacity's, whatever the number of distinct keys. Deterministic: the same
 * sequence of keys gives the same table.
 */
final class SpaceSaving<K, V> {
    /** One tracked key. */
    static final class Entry<K, V> {
        private final K key;
        private final V value;
        private final long error;
        private long tracked;
        private int slot;

        private Entry(K key, V value, long error) {
            this.key = key;
            this.value = value;
            this.error = error;
        }

        K key() {
            return key;
        }

        /** What the caller accumulated for this key since it entered the table. */
        V value() {
            return value;
        }

        /** Occurrences since the key entered the table: exactly those its value holds. */
        long tracked() {
            return tracked;
        }

        /** Most occurrences the key may have had before it entered the table: 0 means the entry is exact. */
        long error() {
            return error;
        }

        /** Space-Saving's estimate, an upper bound of the key's occurrences; the table evicts the lowest. */
        long estimate() {
            return tracked + error;
        }
    }

    private final int capacity;
    private final Supplier<V> newValue;
    private final HashMap<K, Entry<K, V>> index;
    /** A binary min-heap on {@link Entry#estimate()}; each entry knows its slot. */
    private final Entry<K, V>[] heap;
    private int size;
    private long evictions;

    @SuppressWarnings("unchecked")
    SpaceSaving(int capacity, Supplier<V> newValue) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.newValue = newValue;
        this.index = new HashMap<>();
        this.heap = (Entry<K, V>[]) new Entry[capacity];
    }

    /** Counts one occurrence of {@code key} and returns its entry, for the caller to add to its value. */
    Entry<K, V> add(K key) {
        Entry<K, V> e = index.get(key);
        if (e != null) {
            e.tracked++;
            down(e.slot);
            return e;
        }
        if (size < capacity) {
            e = new Entry<>(key, newValue.get(), 0);
            e.tracked = 1;
            place(e, size++);
            up(e.slot);
        } else {
            Entry<K, V> min = heap[0];
            index.remove(min.key);
            evictions++;
            e = new Entry<>(key, newValue.get(), min.estimate());
            e.tracked = 1;
            place(e, 0);
            down(0);
        }
        index.put(key, e);
        return e;
    }

    /** The tracked entries, in no particular order. */
    List<Entry<K, V>> entries() {
        return new ArrayList<>(Arrays.asList(heap).subList(0, size));
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** Whether every entry is exact: no key was ever dropped to make room. */
    boolean exact() {
        return evictions == 0;
    }

    /** Keys that entered the table, a key that came back after it was dropped counting again: an upper bound of the distinct keys. */
    long entered() {
        return size + evictions;
    }

    private void place(Entry<K, V> e, int slot) {
        heap[slot] = e;
        e.slot = slot;
    }

    private void up(int slot) {
        Entry<K, V> e = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (heap[parent].estimate() <= e.estimate()) break;
            place(heap[parent], slot);
            slot = parent;
        }
        place(e, slot);
    }

    private void down(int slot) {
        Entry<K, V> e = heap[slot];
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1].estimate() < heap[child].estimate()) child++;
            if (heap[child].estimate() >= e.estimate()) break;
            place(heap[child], slot);
            slot = child;
        }
        place(e, slot);
    }
}
