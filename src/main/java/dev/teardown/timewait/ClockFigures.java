package dev.teardown.timewait;

import java.util.List;

/**
 * The TCP timestamp clocks seen per (client address, server address) pair, and the SYNs Linux's removed
 * {@code tcp_tw_recycle} would have dropped (docs/output.md, "TCP timestamp clocks"): the busiest pairs as rows,
 * the whole capture as totals.
 *
 * @param rows at most {@link #MAX_ROWS} pairs: most clocks first, then most drops, most SYNs, then by address
 * @param pairs every pair that sent a SYN
 * @param pairsWithSeveralClocks pairs whose SYNs fit two or more clocks
 * @param syns SYNs without ACK, retransmissions included
 * @param timestampSyns of those, the ones with the timestamps option
 * @param recycleDrops SYNs {@code tcp_tw_recycle} would have dropped
 * @param untrackedSyns of {@code syns}, those of pairs not tracked because {@link TimestampClocks#MAX_PAIRS} pairs
 *     already were (a flood from many addresses): counted here only
 */
public record ClockFigures(List<Row> rows, long pairs, long pairsWithSeveralClocks, long syns, long timestampSyns,
                           long recycleDrops, long untrackedSyns) {
    /** Rows kept for output. */
    public static final int MAX_ROWS = 20;
    /** No SYN seen, or no accounting run. */
    public static final ClockFigures EMPTY = new ClockFigures(List.of(), 0, 0, 0, 0, 0, 0);

    public ClockFigures {
        rows = List.copyOf(rows);
    }

    /**
     * One pair.
     *
     * @param client the client's address (from its bytes: no text from the network)
     * @param server the server's address
     * @param syns SYNs without ACK from the client, retransmissions included
     * @param timestampSyns of those, the ones with the timestamps option
     * @param connections first SYNs of connections with timestamps: the ones placed on clocks
     * @param clocks the clocks those fit, at most {@link PeerClocks#MAX_CLOCKS}
     * @param unplaced first SYNs that fit none of {@link PeerClocks#MAX_CLOCKS} clocks already held
     * @param recycleDrops SYNs {@code tcp_tw_recycle} would have dropped
     * @param firstNanos the first SYN's packet time
     * @param lastNanos the last SYN's packet time
     */
    public record Row(String client, String server, long syns, long timestampSyns, long connections, int clocks,
                      long unplaced, long recycleDrops, long firstNanos, long lastNanos) {

        /**
         * Whether nearly no two connections shared a clock among three or more (nine in ten or more on a clock of
         * their own): the sender randomises its timestamp offset
         * per connection (Linux 4.10, and again since commit 165573e41f2f in 2026; FreeBSD by default), so the clock
         * count says nothing about how many hosts share the address.
         */
        public boolean clockPerConnection() {
            // Nine in ten on a clock of their own: a tuple reused on such a sender repeats its offset (the hash
            // covers the ports), so a few connections do share one.
            return connections >= 3 && 10 * (clocks + unplaced) >= 9 * connections;
        }
    }
}
