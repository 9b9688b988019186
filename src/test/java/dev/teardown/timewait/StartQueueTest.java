package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The what-if's queue of starts hands them back first in, first out, across wrap-around and growth. */
class StartQueueTest {

    @Test
    void startsComeBackInArrivalOrderWithTheirFieldsAcrossBlocks() {
        StartQueue q = new StartQueue();
        ArrayDeque<long[]> model = new ArrayDeque<>();
        Host[] hosts = {new Host(4, 0, 1), new Host(4, 0, 2), new Host(6, 3, 4)};
        SplittableRandom r = new SplittableRandom(11);
        long time = 0;
        long seq = 0;
        // Adds and removals mixed, so the queue spans one to four blocks and often empties, with blocks reused.
        for (int step = 0; step < 200_000; step++) {
            boolean add = model.isEmpty() || r.nextInt(100) < (step < 100_000 ? 55 : 45);
            if (add && model.size() < 4000) {
                time += r.nextInt(1000);
                int h = r.nextInt(hosts.length);
                q.add(time, seq, null, hosts[h]);
                model.addLast(new long[] {time, seq++, h});
                assertEquals(time, q.lastTime());
            } else if (!model.isEmpty()) {
                long[] m = model.pollFirst();
                assertEquals(m[0], q.firstTime());
                assertEquals(m[1], q.firstSeq());
                assertSame(hosts[(int) m[2]], q.firstClient());
                q.removeFirst();
            }
            assertEquals(model.size(), q.size());
            assertEquals(model.isEmpty(), q.isEmpty());
        }
        assertArrayEquals(model.stream().mapToLong(m -> m[0]).toArray(), q.times());
        assertTrue(seq > 50_000, "enough starts went through: " + seq);
    }
}
