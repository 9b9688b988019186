package dev.teardown.timewait;

import java.util.ArrayList;
import java.util.List;

/**
 * A host that is the server of its clients and the client of upstream endpoints (a reverse proxy: nginx in front of
 * an application), seen in the TIME_WAIT figures: the TIME_WAIT it holds on each side. The two sides differ in what
 * can lower them: {@code tcp_tw_reuse} lets outgoing connections ({@code connect()}) reuse a TIME_WAIT tuple, so it
 * acts on the outbound side only; the inbound TIME_WAIT a server holds comes from inbound connections.
 *
 * @param ip the host's address
 * @param inbound its server endpoints (where it held TIME_WAIT or its clients did)
 * @param asServer TIME_WAIT it held as a server (inbound)
 * @param asClient TIME_WAIT it held as a client (outbound)
 * @param enteredAsServer inbound TIME_WAITs entered over the capture
 * @param enteredAsClient outbound TIME_WAITs entered
 * @param upstreams each upstream endpoint it held client TIME_WAIT toward (or met a tuple in TIME_WAIT on), busiest
 *     first: one ephemeral port per TIME_WAIT
 */
public record ProxyRow(String ip, List<TimeWaitFigures.EndpointRow> inbound, Peak asServer, Peak asClient,
                       long enteredAsServer, long enteredAsClient, List<TimeWaitFigures.PortPressure> upstreams) {

    public ProxyRow {
        inbound = List.copyOf(inbound);
        upstreams = List.copyOf(upstreams);
    }

    /**
     * The hosts of {@code t} that are the server of some endpoint and the client of an endpoint on another address,
     * in the order of {@link TimeWaitFigures#hosts()} (by peak). Drawn from the figures' top rows, so bounded by them.
     */
    static List<ProxyRow> of(TimeWaitFigures t) {
        List<ProxyRow> out = new ArrayList<>();
        for (TimeWaitFigures.HostRow h : t.hosts()) {
            List<TimeWaitFigures.EndpointRow> inbound = t.endpoints().stream().filter(e -> e.ip().equals(h.ip())).toList();
            List<TimeWaitFigures.PortPressure> upstreams = t.ports().stream()
                .filter(p -> p.clientIp().equals(h.ip()) && !p.serverIp().equals(h.ip())).toList();
            if (inbound.isEmpty() || upstreams.isEmpty()) continue;
            out.add(new ProxyRow(h.ip(), inbound, h.asServer(), h.asClient(), h.enteredAsServer(), h.enteredAsClient(),
                upstreams));
        }
        return out;
    }
}
