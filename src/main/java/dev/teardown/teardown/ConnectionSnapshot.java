package dev.teardown.teardown;

/**
 * A connection as it stood at one moment, for a thread other than the one that moves it: {@link #copy} writes
 * what changes (times, packets, TIME-WAIT, timestamps) into a long array on the moving thread; {@link #of} points
 * this {@link ConnectionView} at such a copy, reading the rest (id, addresses, ports, first packet) from the
 * connection's final fields, which any thread may read.
 *
 * <p>One instance is pointed at copy after copy, so reading allocates nothing: it is valid until pointed
 * elsewhere, and whoever is handed it keeps figures, never the view (a parallel run's merger replays the TIME_WAIT
 * stage's events through two of them).
 */
public final class ConnectionSnapshot implements ConnectionView {
    /** Longs one copy takes. */
    public static final int LONGS = 12;
    private static final int LAST = 0;
    private static final int FIRST_CLOSE = 1;
    /** Whether a RST aborted it (bit 0), and who closed first (the {@link Sides} ordinal, from bit 1). */
    private static final int LABELS = 2;
    /** Then per side (client, server): packets, TIME-WAIT start, TIME-WAIT cut, ts_recent's time; ts_recent both. */
    private static final int PACKETS = 3;
    private static final int TIME_WAIT_START = 5;
    private static final int TIME_WAIT_CUT = 7;
    private static final int TS_RECENT_NANOS = 9;
    private static final int TS_RECENT = 11;
    private static final Sides[] INITIATORS = Sides.values();

    /** Where the fields that never change come from: the connection itself, or a copy of them made elsewhere. */
    private ConnectionView connection;
    private long[] figures;
    private int at;

    /** Copies what changes of {@code c} into {@code to} from {@code at} on ({@link #LONGS} longs). */
    public static void copy(Connection<?> c, long[] to, int at) {
        to[at + LAST] = c.lastNanos();
        to[at + FIRST_CLOSE] = c.firstCloseNanos();
        to[at + LABELS] = (c.wasReset() ? 1 : 0) | (long) c.initiator().ordinal() << 1;
        Endpoint client = c.endpoint(Side.CLIENT);
        Endpoint server = c.endpoint(Side.SERVER);
        to[at + PACKETS] = client.packets;
        to[at + PACKETS + 1] = server.packets;
        to[at + TIME_WAIT_START] = client.timeWaitStartNanos;
        to[at + TIME_WAIT_START + 1] = server.timeWaitStartNanos;
        to[at + TIME_WAIT_CUT] = client.timeWaitCutNanos;
        to[at + TIME_WAIT_CUT + 1] = server.timeWaitCutNanos;
        to[at + TS_RECENT_NANOS] = client.tsRecentNanos;
        to[at + TS_RECENT_NANOS + 1] = server.tsRecentNanos;
        to[at + TS_RECENT] = (long) client.tsRecent << 32 | (server.tsRecent & 0xffff_ffffL);
    }

    /**
     * This view, now of {@code c} as copied into {@code figures} at {@code at}. Of {@code c} only what never changes
     * is read (id, addresses, ports, first packet): a connection, or a copy of those fields from another process.
     */
    public ConnectionSnapshot of(ConnectionView c, long[] figures, int at) {
        this.connection = c;
        this.figures = figures;
        this.at = at;
        return this;
    }

    @Override
    public long id() { return connection.id(); }

    @Override
    public int ipVersion() { return connection.ipVersion(); }

    @Override
    public long clientHi() { return connection.clientHi(); }

    @Override
    public long clientLo() { return connection.clientLo(); }

    @Override
    public int clientPort() { return connection.clientPort(); }

    @Override
    public long serverHi() { return connection.serverHi(); }

    @Override
    public long serverLo() { return connection.serverLo(); }

    @Override
    public int serverPort() { return connection.serverPort(); }

    @Override
    public long firstNanos() { return connection.firstNanos(); }

    @Override
    public long lastNanos() { return figures[at + LAST]; }

    @Override
    public long firstCloseNanos() { return figures[at + FIRST_CLOSE]; }

    @Override
    public boolean wasReset() { return (figures[at + LABELS] & 1) != 0; }

    @Override
    public Sides initiator() { return INITIATORS[(int) (figures[at + LABELS] >>> 1)]; }

    @Override
    public long packets(Side side) { return figures[at + PACKETS + side.ordinal()]; }

    @Override
    public long timeWaitStartNanos(Side side) { return figures[at + TIME_WAIT_START + side.ordinal()]; }

    @Override
    public long timeWaitEndNanos(Side side, long timeWaitNanos) {
        return Endpoint.timeWaitEnd(timeWaitStartNanos(side), figures[at + TIME_WAIT_CUT + side.ordinal()], timeWaitNanos);
    }

    @Override
    public int tsRecent(Side side) {
        long both = figures[at + TS_RECENT];
        return side == Side.CLIENT ? (int) (both >>> 32) : (int) both;
    }

    @Override
    public long tsRecentNanos(Side side) { return figures[at + TS_RECENT_NANOS + side.ordinal()]; }
}
