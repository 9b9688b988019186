package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tunnel column's text and the tunnel context's keys. */
class TunnelTest {

    @Test
    void theChainIsOutermostFirstWithKeyedIdsOnly() {
        TcpSegment s = new TcpSegment();
        assertEquals("", Tunnel.describe(s));
        s.tunnelLayers[0] = Tunnel.layer(Tunnel.MPLS, false, 0);
        s.tunnelLayers[1] = Tunnel.layer(Tunnel.GRE, true, 7);
        s.tunnelLayers[2] = Tunnel.layer(Tunnel.VXLAN, true, 0xff_ffff);
        s.tunnelDepth = 3;
        assertEquals("mpls>gre:7>vxlan:16777215", Tunnel.describe(s));
        assertEquals(Tunnel.GRE, Tunnel.kindOf(s.tunnelLayers[1]));
    }

    @Test
    void theLongestChainIsBounded() {
        TcpSegment s = new TcpSegment();
        for (int i = 0; i < Tunnel.MAX_DEPTH; i++) s.tunnelLayers[i] = Tunnel.layer(Tunnel.GENEVE, true, 0xffff_ffffL);
        s.tunnelDepth = Tunnel.MAX_DEPTH;
        assertTrue(Tunnel.describe(s).length() <= Tunnel.MAX_DEPTH * 18, Tunnel.describe(s));
    }

    @Test
    void oneKeyIsKeptExactlyAndKindsAndNestingAreTold() {
        long vxlan42 = Tunnel.key(0, Tunnel.VXLAN, 42);
        assertEquals(vxlan42, Tunnel.key(0, Tunnel.VXLAN, 42));
        assertNotEquals(vxlan42, Tunnel.key(0, Tunnel.GENEVE, 42), "a VNI of another kind is another context");
        assertNotEquals(vxlan42, Tunnel.key(0, Tunnel.VXLAN, 43));
        assertNotEquals(Tunnel.key(Tunnel.key(0, Tunnel.GRE, 1), Tunnel.VXLAN, 42),
            Tunnel.key(Tunnel.key(0, Tunnel.GRE, 2), Tunnel.VXLAN, 42), "the outer key counts too");
    }

    @Test
    void addressPairsAreUnordered() {
        assertEquals(Tunnel.pair4(1, 2), Tunnel.pair4(2, 1));
        assertNotEquals(Tunnel.pair4(1, 2), Tunnel.pair4(1, 3));
        assertEquals(Tunnel.pair6(1, 2, 3, 4), Tunnel.pair6(3, 4, 1, 2));
        assertNotEquals(Tunnel.pair6(1, 2, 3, 4), Tunnel.pair6(1, 2, 3, 5));
    }
}
