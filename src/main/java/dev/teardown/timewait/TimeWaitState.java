package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.ConnectionView;
import dev.teardown.teardown.ServerEndpoint;

/**
 * What the TIME_WAIT stage keeps of one connection, carried on the connection (as the HTTP stage carries its own):
 * made by {@link TimeWaitStage#open()} when the tracker opens the connection, handed back with every call about
 * it, so no part looks a connection up in a table of its own on every packet.
 */
public final class TimeWaitState {
    /** The timeline: whether the connection is counted as open (both sides spoke, no FIN or RST yet). */
    boolean open;
    /** The timeline: the earliest TIME_WAIT start of the connection while it is held, else UNSET. */
    long waitingSince = PacketTime.UNSET;
    /**
     * The idle-timeout what-if's view of the connection, as fields rather than an object of its own (the state is
     * touched anyway; one object per connection fewer): whether it follows the connection now (both sides have
     * spoken, not yet handed on); its endpoint ({@link #client} too), first packet and place in arrival order (kept
     * while its start waits, also after the connection is handed on); the server's last payload, whether the server
     * spoke last, and whether the close completed.
     */
    boolean whatIfOpen;
    EndpointWhatIf whatIfEndpoint;
    long whatIfStart;
    long whatIfSeq;
    long lastServerPayload = PacketTime.UNSET;
    boolean serverSpokeLast;
    boolean closedSeen;
    /** The timestamp clocks: whether the client's ts_recent was remembered for the server's TIME_WAIT. */
    boolean recentRemembered;
    /** The timestamp clocks: the connection's client and server address pair, once its SYN looked it up (pairs are never dropped). */
    PeerClocks peerClocks;

    /** The connection's server endpoint, made once for every part that needs it. */
    private ServerEndpoint server;
    /**
     * The client's address once a part asked for it ({@link #client(ConnectionView)}), made once for every part
     * that keys a table by it; the what-if reads it after the connection is handed on.
     */
    Host client;

    TimeWaitState() {}

    /** The server endpoint of {@code c}, whose state this is. */
    ServerEndpoint server(ConnectionView c) {
        ServerEndpoint e = server;
        if (e == null) server = e = ServerEndpoint.of(c);
        return e;
    }

    /** The client address of {@code c}, whose state this is. */
    Host client(ConnectionView c) {
        Host h = client;
        if (h == null) client = h = new Host(c.ipVersion(), c.clientHi(), c.clientLo());
        return h;
    }
}
