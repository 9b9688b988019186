package dev.teardown.timewait;

import dev.teardown.teardown.ServerEndpoint;

/**
 * A client address and the server endpoint it connects to: the unit of ephemeral-port pressure, since a client
 * needs a distinct local port per connection to one server endpoint while the old ones wait out TIME_WAIT
 * (Linux picks the port so that the whole 4-tuple is unique). Ordered by client, then server.
 *
 * @param client the client's address
 * @param server the server endpoint
 */
public record ClientServer(Host client, ServerEndpoint server) implements Comparable<ClientServer> {

    @Override
    public int compareTo(ClientServer o) {
        int c = client.compareTo(o.client);
        return c != 0 ? c : server.compareTo(o.server);
    }

    @Override
    public int hashCode() {
        // By hand: looked up per connection, and the record's default is slow under the launcher's C1.
        return client.hashCode() * 31 + server.hashCode();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientServer k && k.client.equals(client) && k.server.equals(server);
    }
}
