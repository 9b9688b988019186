package dev.teardown.timewait;

import java.util.List;

/**
 * The timeline's courses over the capture, downsampled for charts ({@link TimelineSeries}): closes by who closed
 * first, over every server endpoint, and the TIME_WAIT population of each side of the busiest server endpoints.
 *
 * @param closesClient closes completed with the client's FIN first, summed per bucket
 * @param closesServer closes completed with the server's FIN first
 * @param closesBoth closes completed with crossed FINs
 * @param resets connections a RST aborted
 * @param endpoints server endpoints by peak TIME_WAIT (both sides at one instant), highest first, at most
 *     {@link TimelineSeries#ENDPOINTS}
 */
public record SeriesFigures(Series closesClient, Series closesServer, Series closesBoth, Series resets,
                            List<EndpointSeries> endpoints) {
    /** Nothing counted. */
    public static final SeriesFigures EMPTY = new SeriesFigures(Series.EMPTY, Series.EMPTY, Series.EMPTY, Series.EMPTY,
        List.of());

    public SeriesFigures {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * One server endpoint's TIME_WAIT populations, the highest value at an instant per bucket.
     *
     * @param ip the server's address
     * @param port the server's port
     * @param server connections whose server side is in TIME_WAIT
     * @param client connections whose client side is in TIME_WAIT
     * @param complete whether the series holds the whole capture: false for an endpoint taken in after another
     *     was dropped to make room (it may have held TIME_WAIT before; its {@link Shape} is exact)
     */
    public record EndpointSeries(String ip, int port, Series server, Series client, boolean complete) {}

    /** The series of the endpoint {@code ip}, {@code port}, if held. */
    public java.util.Optional<EndpointSeries> endpoint(String ip, int port) {
        return endpoints.stream().filter(e -> e.ip().equals(ip) && e.port() == port).findFirst();
    }
}
