package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * A worker walks every segment of every batch but applies only its own: its connections, its records with their
 * keys, and no allocation per packet.
 */
class WorkerTest {
    private static final long SECOND = 1_000_000_000L;

    /** {@code batches} batches of two interleaved connections' ACKs, the first owned by worker 0, the second by 1. */
    private static BlockingQueue<Batch> batches(int batches) {
        BlockingQueue<Batch> inbox = new ArrayBlockingQueue<>(batches + 1);
        TcpSegment s = new TcpSegment();
        s.ipVersion = 4;
        s.data = new byte[0];
        long index = 1;
        for (int b = 0; b <= batches; b++) {
            Batch batch = new Batch(2);
            batch.last = b == batches;
            for (int i = 0; i < (batch.last ? 0 : Batch.SEGMENTS); i++, index++) {
                int connection = i % 2;
                boolean fromClient = (i / 2) % 2 == 0;
                s.timeNanos = 1_700_000_000L * SECOND + index * 1_000L;
                s.srcLo = fromClient ? 0x0a000001L + connection : 0x0a0000ffL;
                s.dstLo = fromClient ? 0x0a0000ffL : 0x0a000001L + connection;
                s.srcPort = fromClient ? 40_000 : 80;
                s.dstPort = fromClient ? 80 : 40_000;
                s.flags = index <= 2 ? TcpSegment.SYN : TcpSegment.ACK;
                s.seq = 1_000;
                s.ack = 2_000;
                batch.add(s, index, connection);
            }
            inbox.add(batch);
        }
        return inbox;
    }

    /** Runs worker 0 over {@code inbox} on this thread; returns the bytes it allocated. */
    private static long allocatedBy(BlockingQueue<Batch> inbox, Batch[] seen) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        seen[0] = inbox.stream().reduce((a, b) -> b).orElseThrow();
        Worker w = new Worker(0, inbox, AnalyzeOptions.defaults(), 1_000, new RunState(),
            dev.teardown.timewait.TimeWaitStage.none());
        long before = mx.getCurrentThreadAllocatedBytes();
        w.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aWorkerAppliesOnlyItsOwnSegmentsAndFinishesItsConnectionsAtTheEnd() {
        Batch[] last = new Batch[1];
        allocatedBy(batches(2), last);
        WorkerOutput out = last[0].outputs[0];
        assertEquals(1, out.recordCount, "its one connection, written at the end");
        assertEquals(2 * Batch.SEGMENTS / 2, out.records[0].packetsC2s() + out.records[0].packetsS2c(),
            "every segment of its own, none of the other's");
        assertEquals(1, out.records[0].flowId(), "numbered by the global index of its first packet");
        assertEquals(Long.MAX_VALUE, out.keys[0], "the end of the input sorts last");
    }

    @Test
    void walkingMoreBatchesAllocatesNothingPerPacket() {
        Batch[] last = new Batch[1];
        allocatedBy(batches(4), last); // warm up
        long few = allocatedBy(batches(4), last);
        long many = allocatedBy(batches(16), last);
        double perSegment = (many - few) / (12.0 * Batch.SEGMENTS);
        assertTrue(perSegment < 1, "bytes per segment: " + perSegment);
    }
}
