package dev.teardown.spark;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.Partitioner;

/**
 * The shuffle key of a decoded segment: the shard its connection belongs to ({@link dev.teardown.decode.FlowHash},
 * the multi-core pipeline's symmetric hash, under one key for the whole job) and its position in the capture, by
 * which each shard's segments arrive sorted.
 */
final class SegmentKey implements Serializable {
    private static final long serialVersionUID = 1L;
    final int shard;
    final long position;

    SegmentKey(int shard, long position) {
        this.shard = shard;
        this.position = position;
    }

    /** Sends each segment to its shard's partition. */
    static final class Shards extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int shards;

        Shards(int shards) {
            this.shards = shards;
        }

        @Override
        public int numPartitions() {
            return shards;
        }

        @Override
        public int getPartition(Object key) {
            return ((SegmentKey) key).shard;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shards s && s.shards == shards;
        }

        @Override
        public int hashCode() {
            return shards;
        }
    }

    /** Capture order within a shard. */
    static final class ByPosition implements Comparator<SegmentKey>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(SegmentKey a, SegmentKey b) {
            return Long.compare(a.position, b.position);
        }
    }
}
