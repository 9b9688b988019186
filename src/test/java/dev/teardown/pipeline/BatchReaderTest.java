package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.FlowHash;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** The reading thread's batches: each frame decoded in its slot, owned by the worker the flow hash names. */
class BatchReaderTest {
    @Test
    void eachSegmentIsDecodedInItsSlotAndOwnedByTheWorkerItsFlowHashNamesSoBothWorkersGetConnections() {
        FlowHash hash = FlowHash.keyed(5);
        BlockingQueue<Batch> free = new ArrayBlockingQueue<>(2);
        free.add(new Batch(2, true));
        free.add(new Batch(2, true));
        BlockingQueue<Batch> ordered = new ArrayBlockingQueue<>(2);
        @SuppressWarnings("unchecked")
        BlockingQueue<Batch>[] inboxes = new BlockingQueue[] {new ArrayBlockingQueue<Batch>(2),
            new ArrayBlockingQueue<Batch>(2)};
        BatchReader reader = new BatchReader(2, hash, free, ordered, inboxes, new RunState(), false);

        Traffic.generate(Traffic.Kind.SYN, 200, reader::frame);
        reader.end();

        Batch b = ordered.remove();
        assertSame(b, inboxes[0].remove(), "every worker is handed the same batch");
        assertSame(b, inboxes[1].remove());
        assertEquals(200, b.count);
        int[] owned = new int[2];
        for (int i = 0; i < b.count; i++) {
            assertEquals(hash.worker(b.decoded[i], 2), b.owner[i], "slot " + i);
            assertEquals(i + 1, b.index[i], "global packet index, slot " + i);
            assertEquals(b.decoded[i].timeNanos, b.time[i], "slot " + i);
            owned[b.owner[i]]++;
        }
        assertTrue(owned[0] > 50 && owned[1] > 50, "both workers own connections: " + owned[0] + " / " + owned[1]);
    }
}
