package dev.teardown.teardown;

import java.util.regex.Pattern;

/**
 * Zeek's conn_state label (S0, SF, REJ, RSTO, ...), computed from the two sides exactly as Zeek's
 * {@code conn_state()} in base/protocols/conn/main.zeek computes it from its endpoint states.
 */
public final class ConnState {
    private ConnState() {}

    /** Zeek's per-endpoint TCP states: what that endpoint has sent. */
    enum ZeekEndpoint { INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET }

    private static final Pattern RSTOS0 = Pattern.compile("\\^?S[^HAFGIQ]*R.*");

    /** The conn_state of {@code c}. */
    public static String of(Connection<?> c) {
        Endpoint client = c.endpoint(Side.CLIENT);
        Endpoint server = c.endpoint(Side.SERVER);
        boolean established = client.synSeen && server.synSeen && c.handshakeAcked();
        ZeekEndpoint os = zeek(client, established);
        ZeekEndpoint rs = zeek(server, established);
        boolean oInactive = os == ZeekEndpoint.INACTIVE || os == ZeekEndpoint.PARTIAL;
        boolean rInactive = rs == ZeekEndpoint.INACTIVE || rs == ZeekEndpoint.PARTIAL;
        if (rs == ZeekEndpoint.RESET) {
            if (os == ZeekEndpoint.SYN_SENT || os == ZeekEndpoint.SYN_ACK_SENT
                || (os == ZeekEndpoint.RESET && client.bytes == 0 && server.bytes == 0)) return "REJ";
            return oInactive ? "RSTRH" : "RSTR";
        }
        if (os == ZeekEndpoint.RESET) {
            if (rInactive) return RSTOS0.matcher(c.historyText()).matches() ? "RSTOS0" : "OTH";
            return "RSTO";
        }
        if (rs == ZeekEndpoint.CLOSED && os == ZeekEndpoint.CLOSED) return "SF";
        if (os == ZeekEndpoint.CLOSED) return rInactive ? "SH" : "S2";
        if (rs == ZeekEndpoint.CLOSED) return oInactive ? "SHR" : "S3";
        if (os == ZeekEndpoint.SYN_SENT && rs == ZeekEndpoint.INACTIVE) return "S0";
        if (os == ZeekEndpoint.ESTABLISHED && rs == ZeekEndpoint.ESTABLISHED) return "S1";
        return "OTH";
    }

    private static ZeekEndpoint zeek(Endpoint e, boolean established) {
        if (e.rstSeen) return ZeekEndpoint.RESET;
        if (e.finSeen) return ZeekEndpoint.CLOSED;
        if (established) return ZeekEndpoint.ESTABLISHED;
        if (e.synSeen) return e.side == Side.CLIENT ? ZeekEndpoint.SYN_SENT : ZeekEndpoint.SYN_ACK_SENT;
        return e.packets > 0 ? ZeekEndpoint.PARTIAL : ZeekEndpoint.INACTIVE;
    }
}
