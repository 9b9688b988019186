package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.ConnectionSnapshot;
import dev.teardown.teardown.Side;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * A worker walks every segment of every batch but applies only its own: its connections, its records with their
 * keys, with a TIME_WAIT stage the events it is to be told with their snapshots, and no allocation per packet.
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
        return allocatedBy(inbox, seen, TimeWaitStage.none());
    }

    /** The same, recording what {@code timeWait} is to be told. */
    private static long allocatedBy(BlockingQueue<Batch> inbox, Batch[] seen, TimeWaitStage timeWait) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        seen[0] = inbox.stream().findFirst().orElseThrow();
        seen[1] = inbox.stream().reduce((a, b) -> b).orElseThrow();
        Worker w = new Worker(0, inbox, AnalyzeOptions.defaults(), 1_000, new RunState(), timeWait);
        long before = mx.getCurrentThreadAllocatedBytes();
        w.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aWorkerAppliesOnlyItsOwnSegmentsAndFinishesItsConnectionsAtTheEnd() {
        Batch[] seen = new Batch[2];
        allocatedBy(batches(2), seen);
        WorkerOutput out = seen[1].outputs[0];
        assertEquals(1, out.recordCount, "its one connection, written at the end");
        assertEquals(2 * Batch.SEGMENTS / 2, out.records[0].packetsC2s() + out.records[0].packetsS2c(),
            "every segment of its own, none of the other's");
        assertEquals(1, out.records[0].flowId(), "numbered by the global index of its first packet");
        assertEquals(Long.MAX_VALUE, out.keys[0], "the end of the input sorts last");
        assertEquals(-1, out.figuresAt[0], "no TIME_WAIT stage: no snapshot");
        assertEquals(0, seen[0].outputs[0].count, "nor any other event");
    }

    @Test
    void withATimeWaitStageAWorkerRecordsItsEventsWithSnapshotsAndTellsTheStageNothing() {
        Batch[] seen = new Batch[2];
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND), null);
        allocatedBy(batches(2), seen, stage);
        WorkerOutput first = seen[0].outputs[0];
        // Its connection's SYN (packet 1) and the server's first ACK (packet 3): each side's first segment.
        assertEquals(2, first.count, "the segments the stage does more with than let time pass");
        for (int e = 0; e < 2; e++) {
            assertEquals(WorkerOutput.SEGMENT, first.kinds[e]);
            assertEquals(4 * (1 + 2 * e) + 2, first.keys[2 * e], "placed at its packet");
            assertEquals(e * ConnectionSnapshot.LONGS, first.figuresAt[e]);
            assertEquals(1, new ConnectionSnapshot().of(first.subjects[e], first.figures, first.figuresAt[e])
                .packets(e == 0 ? Side.CLIENT : Side.SERVER), "the connection as it was then");
        }
        WorkerOutput last = seen[1].outputs[0];
        assertEquals(WorkerOutput.FINISHED, last.kinds[0]);
        assertEquals(Batch.SEGMENTS, new ConnectionSnapshot().of(last.subjects[0], last.figures, last.figuresAt[0])
            .packets(Side.CLIENT) + new ConnectionSnapshot().of(last.subjects[0], last.figures, last.figuresAt[0])
            .packets(Side.SERVER), "its final snapshot");
        assertEquals(PacketTime.UNSET, stage.figures().orElseThrow().firstNanos(), "the stage was told nothing");
    }

    /**
     * One batch (then the last) of a handshake and three segments with payload: client, server, client, a millisecond
     * apart, but the last {@code idleNanos} after the server's.
     */
    private static BlockingQueue<Batch> exchange(long idleNanos) {
        int psh = TcpSegment.ACK | TcpSegment.PSH;
        return conversation("csccsc",
            new int[] {TcpSegment.SYN, TcpSegment.SYN | TcpSegment.ACK, TcpSegment.ACK, psh, psh, psh},
            new int[] {0, 0, 0, 18, 40, 18}, new long[] {0, 0, 0, 0, 0, idleNanos});
    }

    /** A flag of {@link #conversation}'s: the segment repeats its sender's last one (a retransmission). */
    private static final int AGAIN = 1 << 16;

    /**
     * One batch (then the last) of one connection's segments, each from the client ('c') or the server ('s') with
     * its flags and payload length, a millisecond apart plus its {@code extraNanos}, numbered as a real sender would
     * ({@link #AGAIN}: a retransmission).
     */
    private static BlockingQueue<Batch> conversation(String from, int[] flags, int[] payload, long[] extraNanos) {
        BlockingQueue<Batch> inbox = new ArrayBlockingQueue<>(2);
        Batch batch = new Batch(1);
        long clientSeq = 1_000;
        long serverSeq = 5_000;
        for (int i = 0; i < from.length(); i++) {
            boolean fromClient = from.charAt(i) == 'c';
            TcpSegment s = new TcpSegment();
            s.ipVersion = 4;
            s.data = new byte[payload[i]];
            s.payloadLength = payload[i];
            s.capturedPayloadLength = payload[i];
            s.timeNanos = 1_700_000_000L * SECOND + i * 1_000_000L + extraNanos[i];
            s.srcLo = fromClient ? 0x0a000001L : 0x0a0000ffL;
            s.dstLo = fromClient ? 0x0a0000ffL : 0x0a000001L;
            s.srcPort = fromClient ? 40_000 : 80;
            s.dstPort = fromClient ? 80 : 40_000;
            s.seq = (int) (fromClient ? clientSeq : serverSeq);
            s.ack = (int) (fromClient ? serverSeq : clientSeq);
            s.flags = flags[i] & ~AGAIN;
            long used = payload[i] + ((flags[i] & (TcpSegment.SYN | TcpSegment.FIN)) != 0 ? 1 : 0);
            if ((flags[i] & AGAIN) != 0) { // a retransmission: the sender's last sequence number again
                s.seq -= (int) used;
            } else if (fromClient) {
                clientSeq += used;
            } else {
                serverSeq += used;
            }
            batch.add(s, i + 1, 0);
        }
        inbox.add(batch);
        Batch last = new Batch(1);
        last.last = true;
        inbox.add(last);
        return inbox;
    }

    private static final int FIN_ACK = TcpSegment.FIN | TcpSegment.ACK;
    private static final int ACK = TcpSegment.ACK;

    /**
     * What worker 0 records, with the whole TIME_WAIT stage, of one connection's segments without payload (as
     * {@link #conversation}): the packets (numbered from 1) of its events of {@code kind}.
     */
    private static java.util.List<Long> recorded(byte kind, String from, int... flags) {
        Batch[] seen = new Batch[2];
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND), null);
        allocatedBy(conversation(from, flags, new int[flags.length], new long[flags.length]), seen, stage);
        WorkerOutput out = seen[0].outputs[0];
        java.util.List<Long> packets = new java.util.ArrayList<>();
        for (int e = 0; e < out.count; e++) if (out.kinds[e] == kind) packets.add(out.keys[2 * e] >>> 2);
        return packets;
    }

    @Test
    void ofAClosedConnectionOnlyTheSegmentsTheStageActsOnAreRecorded() {
        // SYN, its retransmission, SYN-ACK, ACK, client FIN, server FIN, client ACK, the client's FIN again.
        java.util.List<Long> segments = recorded(WorkerOutput.SEGMENT, "ccsccscc", TcpSegment.SYN,
            TcpSegment.SYN | AGAIN, TcpSegment.SYN | ACK, ACK, FIN_ACK, FIN_ACK, ACK, FIN_ACK | AGAIN);
        // The client's SYNs (the timestamp clocks), the SYN-ACK (the timeline counts the connection open, the what-if
        // follows it), the first FIN (the timeline's close); not the ACKs, the second FIN or a repeated one.
        assertEquals(java.util.List.of(1L, 2L, 3L, 5L), segments);
    }

    @Test
    void aTimeWaitRestartedByTheServersFinAgainIsNotRecordedItsStartIs() {
        // The client closes first and enters TIME_WAIT at the server's FIN; the server's FIN comes again (its ACK
        // lost), which restarts the client's TIME_WAIT (RFC 9293, section 3.10.7.4) and changes nothing the stage
        // counts: the timeline waits for the earliest start, and without timestamps the clocks remember nothing.
        java.util.List<Long> starts = recorded(WorkerOutput.TIME_WAIT_STARTED, "csccscsc", TcpSegment.SYN,
            TcpSegment.SYN | ACK, ACK, FIN_ACK, FIN_ACK, ACK, FIN_ACK | AGAIN, ACK);
        assertEquals(java.util.List.of(5L), starts,
            "the start at the server's FIN (packet 5) only, not again at the ACK, the FIN again and its ACK");
    }

    @Test
    void aSegmentWithPayloadThatIsNotItsSidesFirstIsNotRecorded() {
        Batch[] seen = new Batch[2];
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND), null);
        allocatedBy(exchange(0), seen, stage);
        WorkerOutput out = seen[0].outputs[0];
        // Packets 1 (SYN) and 2 (SYN-ACK) are each side's first; 3 is a bare ACK; 4 to 6 carry payload, with no
        // idle gap between them: all the stage does with them is let time pass, which the merger tells.
        assertEquals(2, out.count, "the two first segments only");
        assertEquals(WorkerOutput.SEGMENT, out.kinds[0]);
        assertEquals(WorkerOutput.SEGMENT, out.kinds[1]);
    }

    @Test
    void anIdleGapLongerThanTheShortestTimeoutTriedIsRecordedAtTheSegmentThatEndsItWithoutACopy() {
        Batch[] seen = new Batch[2];
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND), null);
        // The client speaks again 20 s after the server's answer: longer than 15 s, the shortest standard timeout.
        allocatedBy(exchange(20 * SECOND), seen, stage);
        WorkerOutput out = seen[0].outputs[0];
        assertEquals(3, out.count, "the two first segments and the gap");
        assertEquals(WorkerOutput.GAP, out.kinds[2]);
        assertEquals(-1, out.figuresAt[2], "no copy: the stage needs only the state and the two times");
        assertEquals(4 * 6L + 2, out.keys[2 * 2], "placed at the packet that ends it");
        assertEquals(1_700_000_000L * SECOND + 4_000_000L, out.nanos[2], "from the server's payload");
        assertEquals(5, out.details[2], "to the segment's place in the batch");
        assertEquals(1_700_000_000L * SECOND + 5_000_000L + 20 * SECOND, seen[0].time[out.details[2]]);
    }

    @Test
    void anIdleGapNoLongerThanTheShortestTimeoutTriedIsNotRecorded() {
        Batch[] seen = new Batch[2];
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND), null);
        allocatedBy(exchange(15 * SECOND - 1_000_000L), seen, stage); // exactly 15 s: no timeout tried splits it
        assertEquals(2, seen[0].outputs[0].count);
    }

    @Test
    void walkingMoreBatchesAllocatesNothingPerPacket() {
        Batch[] seen = new Batch[2];
        allocatedBy(batches(4), seen); // warm up
        long few = allocatedBy(batches(4), seen);
        long many = allocatedBy(batches(16), seen);
        double perSegment = (many - few) / (12.0 * Batch.SEGMENTS);
        assertTrue(perSegment < 1, "bytes per segment: " + perSegment);
    }

    @Test
    void recordingForTheTimeWaitStageAllocatesNothingPerBareAck() {
        Batch[] seen = new Batch[2];
        TimeWaitOptions options = TimeWaitOptions.defaults(60 * SECOND, 3600 * SECOND);
        allocatedBy(batches(4), seen, new TimeWaitStage(options, null)); // warm up
        long few = allocatedBy(batches(4), seen, new TimeWaitStage(options, null));
        long many = allocatedBy(batches(16), seen, new TimeWaitStage(options, null));
        double perSegment = (many - few) / (12.0 * Batch.SEGMENTS);
        assertTrue(perSegment < 1, "bytes per segment: " + perSegment);
    }
}
