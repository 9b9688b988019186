package dev.teardown.timewait;

import java.util.Arrays;

/**
 * The connections held with a side in TIME_WAIT, by their earliest TIME_WAIT start: a binary min-heap of primitive
 * times whose entries know their place ({@link TimeWaitState#heapIndex}), so a connection's start is added, lowered
 * or removed in O(log n) without a map and without boxing. The timeline asks it for the earliest start, which rows
 * must wait for.
 */
final class WaitingHeap {
    private long[] since = new long[64];
    private TimeWaitState[] states = new TimeWaitState[64];
    private int size;

    /** Sets {@code s}'s start to {@code nanos}: adds it, or moves it where it now belongs. */
    void set(TimeWaitState s, long nanos) {
        int i = s.heapIndex;
        if (i < 0) {
            if (size == since.length) {
                since = Arrays.copyOf(since, size * 2);
                states = Arrays.copyOf(states, size * 2);
            }
            i = size++;
            states[i] = s;
            s.heapIndex = i;
            since[i] = nanos;
            up(i);
        } else {
            long old = since[i];
            since[i] = nanos;
            if (nanos < old) up(i);
            else down(i);
        }
    }

    /** Removes {@code s}, if it is held. */
    void remove(TimeWaitState s) {
        int i = s.heapIndex;
        if (i < 0) return;
        s.heapIndex = -1;
        size--;
        if (i == size) {
            states[size] = null;
            return;
        }
        since[i] = since[size];
        states[i] = states[size];
        states[i].heapIndex = i;
        states[size] = null;
        up(i);
        down(states[i].heapIndex);
    }

    /** The earliest start held, or {@link Long#MAX_VALUE} when none. */
    long min() {
        return size == 0 ? Long.MAX_VALUE : since[0];
    }

    int size() {
        return size;
    }

    /** Forgets every entry (their states are dropped with their connections). */
    void clear() {
        Arrays.fill(states, 0, size, null);
        size = 0;
    }

    private void up(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (since[parent] <= since[i]) return;
            swap(i, parent);
            i = parent;
        }
    }

    private void down(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) return;
            int least = left + 1 < size && since[left + 1] < since[left] ? left + 1 : left;
            if (since[i] <= since[least]) return;
            swap(i, least);
            i = least;
        }
    }

    private void swap(int a, int b) {
        long t = since[a];
        since[a] = since[b];
        since[b] = t;
        TimeWaitState s = states[a];
        states[a] = states[b];
        states[b] = s;
        states[a].heapIndex = a;
        states[b].heapIndex = b;
    }
}
