package dev.teardown.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowKey;
import dev.teardown.flow.HashKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Flow keys an attacker can choose (any address in one /64, any source port) must not pile up under one hash:
 * a Java HashMap bin of keys with equal hashes that are not Comparable is searched linearly, so n such flows
 * cost n^2.
 */
@Tag("hostile")
class FlowKeyCollisionTest {
    private static final int FLOWS = 1000;
    /** The key a real run draws: random, unknown to the attacker. */
    private static final HashKey KEY = HashKey.random();

    /** The canonical key of a client's flow to the collision server, through FlowKey's public API. */
    private static FlowKey key(long clientHi, long clientLo, int clientPort) {
        TcpSegment s = new TcpSegment();
        s.ipVersion = 6;
        s.srcHi = clientHi;
        s.srcLo = clientLo;
        s.srcPort = clientPort;
        s.dstHi = ShippedFlowHash.SERVER_HI;
        s.dstLo = ShippedFlowHash.SERVER_LO;
        s.dstPort = ShippedFlowHash.SERVER_PORT;
        FlowKey k = new FlowKey();
        k.setFrom(s, KEY);
        return k;
    }

    @Test
    void theGeneratedClientsAllCollideUnderTheShippedHash() {
        Set<Long> clients = new HashSet<>();
        for (int k = 0; k < FLOWS; k++) {
            long lo = ShippedFlowHash.clientLo(k);
            clients.add(lo);
            assertEquals(ShippedFlowHash.TARGET, ShippedFlowHash.of(6, ShippedFlowHash.SERVER_HI, ShippedFlowHash.SERVER_LO,
                ShippedFlowHash.SERVER_PORT, ShippedFlowHash.CLIENT_HI, lo, ShippedFlowHash.CLIENT_PORT), "client " + k);
        }
        assertEquals(FLOWS, clients.size(), "distinct clients");
        assertTrue(Long.compareUnsigned(ShippedFlowHash.SERVER_HI, ShippedFlowHash.CLIENT_HI) < 0,
            "the server is the lower endpoint of every key");
    }

    @Test
    void clientsPrecomputedAgainstTheShippedHashSpreadOverDistinctHashCodes() {
        Set<Integer> hashes = new HashSet<>();
        for (int k = 0; k < FLOWS; k++) {
            hashes.add(key(ShippedFlowHash.CLIENT_HI, ShippedFlowHash.clientLo(k), ShippedFlowHash.CLIENT_PORT).hashCode());
        }
        // A keyed hash makes offline precomputation useless: 1000 keys then hardly share any hash code.
        assertTrue(hashes.size() > FLOWS * 9 / 10, FLOWS + " precomputed keys share only " + hashes.size()
            + " hash codes: the flow hash is the shipped, unkeyed one");
    }

    /**
     * The black-box attack on whatever hash FlowKey has now: hash 2^20 flows that an attacker controls (low 12
     * bits of the address, 256 source ports) and look for the hash code most of them share. Without the
     * structure of the function this finds pairs at best, which is why {@link ShippedFlowHash} solves for
     * collisions instead; a hash that ignored the low bits or the ports would fail here.
     */
    @Test
    void noHashCodeIsSharedByManyOfAMillionAttackerChosenFlows() {
        Map<Integer, Integer> counts = new HashMap<>(1 << 21);
        int most = 0;
        for (int low = 0; low < 1 << 12; low++) {
            for (int port = 0; port < 256; port++) {
                int h = key(ShippedFlowHash.CLIENT_HI, low, 40_000 + port).hashCode();
                most = Math.max(most, counts.merge(h, 1, Integer::sum));
            }
        }
        System.out.println("brute force over 2^20 flows: at most " + most + " share one hash code");
        assertTrue(most <= 8, most + " of 2^20 attacker-chosen flows share one hash code");
    }
}
