package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;

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
     * spoken, not yet handed on); its endpoint ({@link #client} too); and whether the close completed. Its start
     * waits in the what-if's own queue ({@link StartQueue}), not here.
     */
    boolean whatIfOpen;
    EndpointWhatIf whatIfEndpoint;
    boolean closedSeen;
    /**
     * What runs beside the tracker ({@link TimeWaitStage#follow}, {@link TimeWaitStage#needsTelling}), so only on the
     * thread that moves the connection (a parallel run's worker, which then records just what the rest of the stage
     * needs): whether the connection was opened (from the packet at which the timeline counts it open and the what-if
     * follows it), whether the FIN or RST that ends the timeline's "open" went by, the earliest TIME_WAIT start told
     * and whether the server side's that the clocks remember was, and for the what-if's idle gaps the server's last
     * payload and whether the server spoke last.
     */
    boolean followed;
    boolean closeTold;
    long earliestTold = PacketTime.UNSET;
    boolean rememberTold;
    long lastServerPayload = PacketTime.UNSET;
    boolean serverSpokeLast;
    /** The timestamp clocks: whether the client's ts_recent was remembered for the server's TIME_WAIT. */
    boolean recentRemembered;
    /** The timestamp clocks: the connection's client and server address pair, once its SYN looked it up (pairs are never dropped). */
    PeerClocks peerClocks;

    /**
     * The connection's keys, looked up once ({@link Interned#server(dev.teardown.teardown.ConnectionView, TimeWaitState)}):
     * the client's host (which the what-if reads after the connection is handed on), the server endpoint and host.
     */
    Host client;
    dev.teardown.teardown.ServerEndpoint server;
    Host serverHost;

    TimeWaitState() {}


}
