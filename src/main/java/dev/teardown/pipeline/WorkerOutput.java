package dev.teardown.pipeline;

import dev.teardown.report.FlowRecord;
import java.util.Arrays;

/**
 * What one worker of a parallel analysis made of one {@link Batch}, in the order it happened: the records it
 * finished, each with the sort key that places it where one thread would have written it; the connections it
 * began (global index of the first packet, and its table's size right after that connection went in); and the
 * changes of its table's size, per packet. The merger orders the records, numbers the connections and finds the
 * peak of the sum of all tables from these.
 *
 * <p>Sort key (two longs, compared in turn): while time advanced before packet {@code i} was applied (expiry),
 * {@code 4i} for a connection that was closing and {@code 4i + 1} for an open one (the tracker expires its
 * closing list first), then the global index of the expired connection's last packet (each list is in order of
 * last packet); while packet {@code i} itself was applied, {@code 4i + 2} and 0; at the end of the input,
 * {@link Long#MAX_VALUE} and the connection's global first packet (its id). A record written because another
 * one expired (the tuple's earlier lifetime) takes that one's key and comes before it: equal keys keep the
 * worker's order. Arrays grow to the busiest batch and are reused.
 */
final class WorkerOutput {
    FlowRecord[] records = new FlowRecord[64];
    long[] keys = new long[128];
    int recordCount;
    long[] begun = new long[64];
    int[] sizeWhenBegun = new int[64];
    int begunCount;
    long[] sizeChangedAt = new long[64];
    int[] size = new int[64];
    int sizeChanges;

    /** Empties the output for the next batch, letting go of the records. */
    void clear() {
        Arrays.fill(records, 0, recordCount, null);
        recordCount = 0;
        begunCount = 0;
        sizeChanges = 0;
    }

    void record(FlowRecord r, long key, long tieBreak) {
        if (recordCount == records.length) {
            records = Arrays.copyOf(records, 2 * recordCount);
            keys = Arrays.copyOf(keys, 4 * recordCount);
        }
        records[recordCount] = r;
        keys[2 * recordCount] = key;
        keys[2 * recordCount + 1] = tieBreak;
        recordCount++;
    }

    void begun(long at, int tableSize) {
        if (begunCount == begun.length) {
            begun = Arrays.copyOf(begun, 2 * begunCount);
            sizeWhenBegun = Arrays.copyOf(sizeWhenBegun, 2 * begunCount);
        }
        begun[begunCount] = at;
        sizeWhenBegun[begunCount++] = tableSize;
    }

    void sizeChanged(long at, int tableSize) {
        if (sizeChanges == sizeChangedAt.length) {
            sizeChangedAt = Arrays.copyOf(sizeChangedAt, 2 * sizeChanges);
            size = Arrays.copyOf(size, 2 * sizeChanges);
        }
        sizeChangedAt[sizeChanges] = at;
        size[sizeChanges++] = tableSize;
    }

    /** Whether record {@code a} of this output sorts before record {@code b} of {@code other}. */
    boolean before(int a, WorkerOutput other, int b) {
        long x = keys[2 * a];
        long y = other.keys[2 * b];
        if (x != y) return x < y;
        return keys[2 * a + 1] < other.keys[2 * b + 1];
    }
}
