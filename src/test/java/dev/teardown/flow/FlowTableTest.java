package dev.teardown.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    static final class TestFlow extends FlowEntry {
        final int id;
        boolean closing;

        TestFlow(FlowKey key, int id) {
            super(key);
            this.id = id;
        }

        @Override
        protected boolean closing() {
            return closing;
        }
    }

    private static TcpSegment seg(int srcPort, int dstPort, boolean reversed) {
        TcpSegment s = new TcpSegment();
        s.ipVersion = 4;
        s.srcLo = reversed ? 2 : 1;
        s.dstLo = reversed ? 1 : 2;
        s.srcPort = reversed ? dstPort : srcPort;
        s.dstPort = reversed ? srcPort : dstPort;
        return s;
    }

    private final FlowTable<TestFlow> table = new FlowTable<>(60, 3600);
    private final List<TestFlow> expired = new ArrayList<>();

    private TestFlow add(int port, long now) {
        table.probe(seg(port, 80, false));
        TestFlow f = new TestFlow(table.newKey(), port);
        table.put(f, now);
        return f;
    }

    @Test
    void bothDirectionsOfATupleFindTheSameFlow() {
        TestFlow f = add(40000, 0);
        table.probe(seg(40000, 80, true));
        assertSame(f, table.get());
        table.probe(seg(40001, 80, true));
        assertNull(table.get());
    }

    @Test
    void closingFlowsExpireOneTimeWaitAfterTheirLastPacketOpenOnesAfterTheIdleTimeout() {
        TestFlow open = add(40000, 0);
        TestFlow closing = add(40001, 0);
        closing.closing = true;
        table.touch(closing, 10);
        table.expire(69, expired::add);
        assertEquals(List.of(), expired);
        table.expire(70, expired::add);
        assertEquals(List.of(closing), expired);
        table.expire(3599, expired::add);
        assertEquals(1, expired.size());
        table.expire(3600, expired::add);
        assertEquals(List.of(closing, open), expired);
        assertEquals(0, table.size());
    }

    @Test
    void activityMovesAFlowBehindQuieterOnes() {
        TestFlow a = add(40000, 0);
        TestFlow b = add(40001, 1);
        table.touch(a, 2);
        table.expire(3601, expired::add);
        assertEquals(List.of(b), expired);
    }

    @Test
    void aReplacedFlowStaysUntilItExpiresAndDrainReturnsEveryFlowInOrder() {
        TestFlow old = add(40000, 0);
        old.closing = true;
        table.touch(old, 0);
        table.probe(seg(40000, 80, false));
        TestFlow fresh = new TestFlow(table.newKey(), 2);
        table.put(fresh, 5);
        assertSame(fresh, table.get());
        List<TestFlow> all = table.drain(Comparator.comparingInt(f -> f.id));
        assertEquals(List.of(fresh, old), all);
        assertEquals(0, table.size());
    }

    @Test
    void aHeadThatLeavesItsListLetsTheNextExpireAtItsOwnTimeEvenWhenItIsOlder() {
        // A packet stamped earlier than the one before it (capture order is not time order) puts a flow behind a
        // newer one: when the head goes, the next head's older time must count at once, not the head's before it.
        TestFlow newer = add(40000, 3_000);
        TestFlow older = add(40001, 1_000);
        table.expire(3_000 + 3599, expired::add);
        assertEquals(List.of(), expired, "the head is not due; the walk stops there");
        table.remove(newer);
        table.expire(1_000 + 3600, expired::add);
        assertEquals(List.of(older), expired, "due since its own last packet");
        TestFlow again = add(40002, 10_000);
        table.expire(10_000 + 3599, expired::add);
        assertEquals(List.of(older), expired, "an empty list's first flow is due at its own time, not before");
        table.expire(10_000 + 3600, expired::add);
        assertEquals(List.of(older, again), expired);
    }

    /** A segment from client address {@code client} (IPv4, as a number), port {@code port}, to server port 80. */
    private static TcpSegment from(long client, int port, boolean reversed) {
        TcpSegment s = seg(port, 80, reversed);
        if (reversed) s.dstLo = client;
        else s.srcLo = client;
        return s;
    }

    @Test
    void aFlowFoundBehindNewerOnesInItsBucketMovesToTheFrontAndEveryFlowIsStillFoundAndRemoved() {
        FlowTable<TestFlow> t = new FlowTable<>(60, 3600, HashKey.seeded(7));
        java.util.Random random = new java.util.Random(11);
        List<TestFlow> flows = new ArrayList<>();
        List<Long> clients = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long client = 0x0a000000L + random.nextInt(1 << 20);
            int port = 32768 + random.nextInt(28232);
            t.probe(from(client, port, false));
            if (t.get() != null) continue; // the same tuple drawn twice
            TestFlow f = new TestFlow(t.newKey(), port);
            t.put(f, i);
            flows.add(f);
            clients.add(client);
        }
        // Flows that share a bucket: all but the front one sit behind another. Look each up and find it in front.
        int behind = 0;
        for (int i = 0; i < flows.size(); i++) {
            TestFlow f = flows.get(i);
            if (t.bucketPosition(f) > 0) behind++;
            t.probe(from(clients.get(i), f.id, (i & 1) == 0));
            assertSame(f, t.get());
            assertEquals(0, t.bucketPosition(f), "found, so moved to the front of its bucket");
        }
        assertTrue(behind > 100, "about 1000 flows in 2048 buckets: a fifth share one; " + behind + " were behind");
        // Moving entries breaks nothing: every flow is still found, and removed from wherever it now is.
        for (int i = 0; i < flows.size(); i += 2) t.remove(flows.get(i));
        for (int i = 0; i < flows.size(); i++) {
            TestFlow f = flows.get(i);
            t.probe(from(clients.get(i), f.id, false));
            if (i % 2 == 0) {
                assertNull(t.get());
                assertEquals(-1, t.bucketPosition(f));
            } else {
                assertSame(f, t.get());
            }
        }
        assertEquals(flows.size() / 2, t.size());
    }
}
