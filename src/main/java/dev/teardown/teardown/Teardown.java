package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;

/**
 * How a connection ended, computed from its two sides: who closed, how, and who holds TIME-WAIT when.
 *
 * @param initiator the side whose FIN came first by the ACK rule, BOTH for crossed FINs, else the RST
 *     sender when a RST ended it before any FIN, else NONE
 * @param type the close pattern
 * @param timeWaitSide the sides that hold (or, for an unfinished close, are expected to hold) TIME-WAIT
 * @param timeWaitStartNanos earliest TIME-WAIT start of the holders, or {@link PacketTime#UNSET} when none was entered
 * @param timeWaitEndNanos latest TIME-WAIT end of the holders (cut short by a RST or an accepted SYN), or
 *     {@link PacketTime#UNSET}
 */
public record Teardown(Sides initiator, CloseType type, Sides timeWaitSide,
                       long timeWaitStartNanos, long timeWaitEndNanos) {

    /** Classifies {@code c}, with TIME-WAIT lasting {@code timeWaitNanos}. */
    public static Teardown of(Connection<?> c, long timeWaitNanos) {
        Endpoint client = c.endpoint(Side.CLIENT);
        Endpoint server = c.endpoint(Side.SERVER);
        boolean reset = c.wasReset();
        Sides initiator = initiator(client, server);
        Sides holders = Sides.of(client.holdsTimeWait(reset), server.holdsTimeWait(reset));
        long start = PacketTime.UNSET;
        long end = PacketTime.UNSET; // the smallest long, so the first set end wins the max
        for (Side side : Side.BOTH) {
            Endpoint e = c.endpoint(side);
            if (holders.includes(side) && PacketTime.isSet(e.timeWaitStartNanos)) {
                start = PacketTime.earlier(start, e.timeWaitStartNanos);
                end = Math.max(end, e.timeWaitEndNanos(timeWaitNanos));
            }
        }
        return new Teardown(initiator, type(c, client, server, reset, initiator), holders, start, end);
    }

    /** Who closed {@code c} first (the {@code initiator} of {@link #of}), without the rest. */
    public static Sides initiator(Connection<?> c) {
        return initiator(c.endpoint(Side.CLIENT), c.endpoint(Side.SERVER));
    }

    /** RFC 9293 section 3.6: the active closer is the side whose FIN the other side's FIN acknowledges. */
    static Sides initiator(Endpoint client, Endpoint server) {
        if (client.finSeen && server.finSeen) {
            boolean serverAckedClient = server.finCarriedAck && client.finAckedBy(server.finAck);
            boolean clientAckedServer = client.finCarriedAck && server.finAckedBy(client.finAck);
            if (serverAckedClient == clientAckedServer) {
                // Neither acknowledged the other: the FINs crossed. (Both cannot happen in one lifetime.)
                return serverAckedClient ? earlier(client, server, client.finNanos, server.finNanos) : Sides.BOTH;
            }
            return serverAckedClient ? Sides.CLIENT : Sides.SERVER;
        }
        if (client.finSeen || server.finSeen) return Sides.of(client.finSeen, server.finSeen);
        if (client.rstSeen || server.rstSeen) {
            if (client.rstSeen && server.rstSeen) return earlier(client, server, client.rstNanos, server.rstNanos);
            return Sides.of(client.rstSeen, server.rstSeen);
        }
        return Sides.NONE;
    }

    private static Sides earlier(Endpoint client, Endpoint server, long clientNanos, long serverNanos) {
        return clientNanos <= serverNanos ? Sides.CLIENT : Sides.SERVER;
    }

    private static CloseType type(Connection<?> c, Endpoint client, Endpoint server, boolean reset, Sides initiator) {
        boolean anyFin = client.finSeen || server.finSeen;
        if (reset) return anyFin ? CloseType.FIN_RST : CloseType.RST;
        if (!anyFin) return CloseType.NONE;
        if (!complete(client) || !complete(server)) return CloseType.FIN_INCOMPLETE;
        if (initiator == Sides.BOTH) return CloseType.SIMULTANEOUS;
        Endpoint passive = initiator == Sides.CLIENT ? server : client;
        return passive.dataAfterPeerFin ? CloseType.HALF_CLOSE : CloseType.FIN;
    }

    /** A side finished its close: passive and acknowledged, or in TIME-WAIT with its ACK seen. */
    private static boolean complete(Endpoint e) {
        return PacketTime.isSet(e.timeWaitStartNanos) ? e.timeWaitConfirmed : e.state == TcpState.CLOSED;
    }

    /** How much of the handshake was seen. */
    public static Handshake handshake(Connection<?> c) {
        boolean syn = c.endpoint(Side.CLIENT).synSeen;
        boolean synAck = c.endpoint(Side.SERVER).synSeen;
        if (syn && synAck) return c.handshakeAcked() ? Handshake.FULL : Handshake.SYN_SYNACK;
        if (syn) return Handshake.SYN;
        return synAck ? Handshake.SYNACK : Handshake.MIDSTREAM;
    }
}
