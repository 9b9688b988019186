package dev.teardown.decode;

/**
 * The encapsulations the decoder takes apart, with their names in the {@code tunnel} column and the summary.
 *
 * <p>Which context keys a connection besides its innermost 4-tuple (so that two tunnels carrying the same inner
 * 4-tuple stay two connections), chosen so that both directions of a connection share it:
 * <ul>
 *   <li>VXLAN and Geneve: the VNI (RFC 7348 section 5, RFC 8926 section 3.4), the same both ways; shown as
 *       {@code vxlan:VNI}, {@code geneve:VNI}.</li>
 *   <li>GRE with a key (RFC 2890 section 2.1): the key, configured per tunnel and the same both ways; shown as
 *       {@code gre:KEY}.</li>
 *   <li>GRE without a key, IP-in-IP and GTP-U: the unordered pair of outer IP addresses (the tunnel's two ends).
 *       GTP-U's TEID is not used: each end chooses the TEID it receives on (TS 29.281 section 5.1), so the two
 *       directions of one connection carry different TEIDs. Not shown (the addresses are the underlay's).</li>
 *   <li>MPLS, PPPoE and ERSPAN: nothing. MPLS labels are swapped hop by hop and chosen per direction (RFC 3031
 *       section 3.1), and ERSPAN copies a port's two directions through sessions that may differ: keying on
 *       either would split a connection.</li>
 * </ul>
 * Several keyed layers fold into one 64-bit {@link TcpSegment#tunnelId}; a single VNI or GRE key is kept exactly
 * (tagged with its kind), nested or address-pair keys are mixed, where two different contexts could collide with
 * probability about 2^-64.
 */
public enum Tunnel {
    MPLS("mpls"),
    PPPOE("pppoe"),
    GRE("gre"),
    ERSPAN1("erspan1"),
    ERSPAN2("erspan2"),
    ERSPAN3("erspan3"),
    VXLAN("vxlan"),
    GENEVE("geneve"),
    GTPU("gtpu"),
    IP4IN4("4in4"),
    IP6IN4("6in4"),
    IP4IN6("4in6"),
    IP6IN6("6in6");

    /** The most encapsulation layers decoded in one packet; a deeper one is skipped as {@link SkipReason#TUNNEL_TOO_DEEP}. */
    public static final int MAX_DEPTH = 8;
    private static final Tunnel[] ALL = values();
    private static final long SHOWN = 1L << 55;
    private static final long ODD = 0x9e3779b97f4a7c15L;

    private final String label;

    Tunnel(String label) {
        this.label = label;
    }

    /** The name in the {@code tunnel} column and the summary. */
    public String label() {
        return label;
    }

    /** A layer as {@link TcpSegment#tunnelLayers} holds it: the kind, and the 32-bit id the column shows, if any. */
    static long layer(Tunnel kind, boolean shown, long id) {
        return (long) kind.ordinal() << 56 | (shown ? SHOWN : 0) | (id & 0xffff_ffffL);
    }

    /** {@code tunnelId} after a layer of {@code kind} keyed by {@code key} (a 32-bit id, or a mixed address pair). */
    static long key(long tunnelId, Tunnel kind, long key) {
        long tagged = (long) (kind.ordinal() + 1) << 56 ^ key;
        return tunnelId == 0 ? tagged : FlowHash.mix(tunnelId * ODD + tagged);
    }

    /** The unordered pair of two IPv4 addresses, exactly: the lower in the high half. */
    static long pair4(long a, long b) {
        return Math.min(a, b) << 32 | Math.max(a, b);
    }

    /** The unordered pair of two IPv6 addresses, mixed to 64 bits (the same whichever comes first). */
    static long pair6(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        if (c > 0 || c == 0 && Long.compareUnsigned(aLo, bLo) > 0) {
            long t = aHi; aHi = bHi; bHi = t;
            t = aLo; aLo = bLo; bLo = t;
        }
        return FlowHash.mix(FlowHash.mix(FlowHash.mix(aHi) + aLo) * ODD + FlowHash.mix(bHi) + bLo);
    }

    /**
     * The {@code tunnel} column of a segment: its layers outermost first, joined by {@code >}, each its name and,
     * where the connection is keyed on one, {@code :id} in decimal ({@code mpls>gre:7>vxlan:42}); empty when none.
     * At most {@link #MAX_DEPTH} layers of at most 18 characters, so the text is bounded. Allocates: once per
     * connection.
     */
    public static String describe(TcpSegment s) {
        return describe(s.tunnelLayers, 0, s.tunnelDepth);
    }

    /** The same for {@code depth} layers stored in {@code layers} from {@code from}. */
    public static String describe(long[] layers, int from, int depth) {
        if (depth == 0) return "";
        StringBuilder b = new StringBuilder(16 * depth);
        for (int i = 0; i < depth; i++) {
            long l = layers[from + i];
            if (i > 0) b.append('>');
            b.append(ALL[(int) (l >>> 56)].label);
            if ((l & SHOWN) != 0) b.append(':').append(l & 0xffff_ffffL);
        }
        return b.toString();
    }

    /** The kind of a packed layer. */
    public static Tunnel kindOf(long layer) {
        return ALL[(int) (layer >>> 56)];
    }
}
