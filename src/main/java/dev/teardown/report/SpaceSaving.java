package dev.teardown.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.function.BiConsumer;
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
 *
 * <p>Tables merge ({@link #merge}), so that parts of a stream counted apart (threads, shards) give one
 * table. While the two tables hold at most the capacity's keys between them and neither ever dropped one,
 * the merged table is exactly the table of the whole stream. Beyond that, the merge keeps the guarantees
 * above, as Agarwal, Cormode, Huang, Phillips, Wei and Yi ("Mergeable Summaries", PODS 2012) show for
 * Misra-Gries, Space-Saving's isomorphic sibling: the counts and errors of a key in both tables add; a key
 * in one table only takes the other's {@link #floor} as further error, since it may have occurred there
 * that often unseen; the capacity's largest estimates are kept. Then every kept key still has {@code
 * tracked <= true count <= tracked + error}, a key not kept occurred at most floor times, and floor stays
 * at most N / capacity of all parts' N occurrences, however many merges: the sum of the estimates plus
 * (capacity - size) x floor stays at most N (adding a key keeps it; a merge adds the two sums, and each
 * dropped entry's estimate is at least the sum of the two floors it was charged), and every estimate is
 * at least floor.
 */
final class SpaceSaving<K extends Comparable<? super K>, V> {
    /** One tracked key. */
    static final class Entry<K, V> {
        private final K key;
        private final V value;
        private long error;
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

        /** Occurrences since the key entered the table (in any merged part): exactly those its value holds. */
        long tracked() {
            return tracked;
        }

        /** Most occurrences the key may have had uncounted, before it entered the table (of any merged part): 0 means exact. */
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
    /** Most occurrences a key not in the table may have had: the largest estimate dropped, or the floors of merged tables. */
    private long floor;

    @SuppressWarnings("unchecked")
    SpaceSaving(int capacity, Supplier<V> newValue) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.newValue = newValue;
        this.index = new HashMap<>();
        this.heap = (Entry<K, V>[]) new Entry[capacity];
    }

    /** The entry of {@code key} if the table holds it, else null; counts nothing. */
    Entry<K, V> get(K key) {
        return index.get(key);
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
            // Not full: no key was ever dropped (tables merge only at the same capacity), so this one is new.
            e = new Entry<>(key, newValue.get(), 0);
            e.tracked = 1;
            place(e, size++);
            up(e.slot);
        } else {
            Entry<K, V> min = heap[0];
            index.remove(min.key);
            evictions++;
            // Estimates only grow past the floor, so the dropped estimate is the largest yet.
            floor = min.estimate();
            e = new Entry<>(key, newValue.get(), min.estimate());
            e.tracked = 1;
            place(e, 0);
            down(0);
        }
        index.put(key, e);
        return e;
    }

    /**
     * Adds {@code other}'s counts to this table, which keeps its capacity; {@code mergeValue} adds the value
     * of a key in {@code other} to this table's value for it (a new one for a key this table lacked).
     * {@code other}, of the same capacity, is left as it was. See the class comment for what a merge guarantees.
     */
    void merge(SpaceSaving<K, V> other, BiConsumer<V, V> mergeValue) {
        if (other == this) throw new IllegalArgumentException("a table cannot be merged into itself");
        // The N / capacity bound on the floor holds for parts of one capacity.
        if (other.capacity != capacity) {
            throw new IllegalArgumentException("capacities differ: " + capacity + " and " + other.capacity);
        }
        List<Entry<K, V>> union = new ArrayList<>(size + other.size);
        for (int i = 0; i < size; i++) {
            Entry<K, V> e = heap[i];
            Entry<K, V> o = other.index.get(e.key);
            if (o == null) {
                e.error += other.floor;
            } else {
                e.tracked += o.tracked;
                e.error += o.error;
                mergeValue.accept(e.value, o.value);
            }
            union.add(e);
        }
        for (int i = 0; i < other.size; i++) {
            Entry<K, V> o = other.heap[i];
            if (index.containsKey(o.key)) continue;
            Entry<K, V> e = new Entry<>(o.key, newValue.get(), o.error + floor);
            e.tracked = o.tracked;
            mergeValue.accept(e.value, o.value);
            union.add(e);
        }
        // Largest estimates first, then by key, so that which entries are dropped does not depend on hashing.
        union.sort(Comparator.comparingLong((Entry<K, V> e) -> -e.estimate()).thenComparing(e -> e.key));
        int kept = Math.min(capacity, union.size());
        floor += other.floor;
        for (Entry<K, V> dropped : union.subList(kept, union.size())) floor = Math.max(floor, dropped.estimate());
        evictions += other.evictions + union.size() - kept;
        index.clear();
        Arrays.fill(heap, null);
        size = kept;
        // In ascending order of estimate the array is already a min-heap.
        for (int i = 0; i < kept; i++) {
            Entry<K, V> e = union.get(kept - 1 - i);
            place(e, i);
            index.put(e.key, e);
        }
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

    /**
     * Keys that entered the table, a key that came back after it was dropped counting again (and a key in
     * two merged tables once): an upper bound of the distinct keys.
     */
    long entered() {
        return size + evictions;
    }

    /** Most occurrences a key not in the table may have had: 0 while the table is exact. */
    long floor() {
        return floor;
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
