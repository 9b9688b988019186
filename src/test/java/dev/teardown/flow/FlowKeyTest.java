package dev.teardown.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
    private static final int BUCKETS = 1 << 14;

    private static TcpSegment v6(long srcLo, int srcPort, long dstLo, int dstPort) {
        TcpSegment s = new TcpSegment();
        s.ipVersion = 6;
        s.srcHi = 0x2001_0db8_0000_0000L; // every address in one /64, as an attacker on one LAN has them
        s.srcLo = srcLo;
        s.srcPort = srcPort;
        s.dstHi = 0x2001_0db8_0000_0000L;
        s.dstLo = dstLo;
        s.dstPort = dstPort;
        return s;
    }

    private static FlowKey key(TcpSegment s, HashKey hashKey) {
        FlowKey k = new FlowKey();
        k.setFrom(s, hashKey);
        return k;
    }

    /** The bucket java.util.HashMap puts a hash in, at {@link #BUCKETS} buckets. */
    private static int bucket(int h) {
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }

    /**
     * Tuples an attacker who knew the hash key could send: all in one HashMap bucket under {@code known}.
     * Found by brute force over source addresses, as a real attacker would.
     */
    private static List<TcpSegment> collidingUnder(HashKey known, int count) {
        List<TcpSegment> out = new ArrayList<>();
        int target = bucket(key(v6(0, 40000, 1, 80), known).hashCode());
        for (long lo = 0; out.size() < count; lo++) {
            TcpSegment s = v6(lo + 0x100, 40000, 1, 80);
            if (bucket(key(s, known).hashCode()) == target) out.add(s);
        }
        return out;
    }

    @Test
    void theSameTupleInTwoTunnelContextsIsTwoKeysAndEachKeepsBothDirections() {
        HashKey h = HashKey.seeded(7);
        TcpSegment a = v6(5, 40000, 9, 80);
        a.tunnelId = 42;
        TcpSegment back = v6(9, 80, 5, 40000);
        back.tunnelId = 42;
        TcpSegment other = v6(5, 40000, 9, 80);
        other.tunnelId = 43;
        assertEquals(key(a, h), key(back, h));
        assertEquals(key(a, h).hashCode(), key(back, h).hashCode());
        assertNotEquals(key(a, h), key(other, h));
        assertNotEquals(key(a, h), key(v6(5, 40000, 9, 80), h), "a tunnelled tuple is not the untunnelled one");
        assertTrue(key(a, h).compareTo(key(other, h)) < 0);
        assertEquals(key(a, h), key(a, h).copy());
    }

    @Test
    void bothDirectionsOfATupleHashAndCompareEqual() {
        HashKey h = HashKey.seeded(7);
        FlowKey ab = key(v6(5, 40000, 9, 80), h);
        FlowKey ba = key(v6(9, 80, 5, 40000), h);
        assertEquals(ab, ba);
        assertEquals(ab.hashCode(), ba.hashCode());
        assertEquals(0, ab.compareTo(ba));
    }

    @Test
    void tuplesChosenToCollideUnderOneKeySpreadUnderAnother() {
        List<TcpSegment> attack = collidingUnder(HashKey.seeded(1), 200);
        Map<Integer, Integer> perBucket = new HashMap<>();
        HashKey secret = HashKey.seeded(2);
        for (TcpSegment s : attack) perBucket.merge(bucket(key(s, secret).hashCode()), 1, Integer::sum);
        int worst = perBucket.values().stream().max(Integer::compare).orElseThrow();
        // 200 keys over 16,384 buckets: a fair hash puts at most a handful in one; the attack needed all 200.
        assertTrue(worst <= 4, "largest bucket under a second key: " + worst);
    }

    @Test
    void randomKeysDifferBetweenTables() {
        TcpSegment s = v6(5, 40000, 9, 80);
        int distinct = (int) java.util.stream.IntStream.range(0, 8)
            .map(i -> key(s, HashKey.random()).hashCode()).distinct().count();
        assertTrue(distinct >= 7, "8 random keys gave only " + distinct + " distinct hashes");
    }

    @Test
    void theOrderIsTotalAndAgreesWithEquals() {
        SplittableRandom r = new SplittableRandom(3);
        HashKey h = HashKey.seeded(3);
        for (int i = 0; i < 10_000; i++) {
            FlowKey a = key(v6(r.nextInt(4), r.nextInt(3), r.nextInt(4), r.nextInt(3)), h);
            FlowKey b = key(v6(r.nextInt(4), r.nextInt(3), r.nextInt(4), r.nextInt(3)), h);
            assertEquals(a.equals(b), a.compareTo(b) == 0);
            assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
        }
        FlowKey v4 = new FlowKey();
        TcpSegment s = v6(5, 40000, 9, 80);
        s.ipVersion = 4;
        v4.setFrom(s, h);
        assertNotEquals(0, v4.compareTo(key(v6(5, 40000, 9, 80), h)));
    }

    @Test
    void aTableStillFindsEveryFlowWhenAllOfThemShareOneBucket() {
        // The table's own key is the one the attacker knows: the worst case. Lookups stay correct, and the
        // keys' order makes HashMap keep the bucket as a tree (O(log n)); HostileInput tests measure the time.
        HashKey known = HashKey.seeded(1);
        FlowTable<FlowTableTest.TestFlow> table = new FlowTable<>(60, 3600, known);
        List<TcpSegment> attack = collidingUnder(known, 300);
        List<FlowTableTest.TestFlow> flows = new ArrayList<>();
        for (int i = 0; i < attack.size(); i++) {
            table.probe(attack.get(i));
            FlowTableTest.TestFlow f = new FlowTableTest.TestFlow(table.newKey(), i);
            table.put(f, 0);
            flows.add(f);
        }
        for (int i = 0; i < attack.size(); i++) {
            table.probe(attack.get(i));
            assertEquals(flows.get(i), table.get());
        }
        assertEquals(300, table.size());
    }
}
