package dev.teardown.teardown;

/**
 * How many connections of one server endpoint each side holds in TIME-WAIT at a moment.
 *
 * @param key the server address and port
 * @param client connections whose client side holds TIME-WAIT
 * @param server connections whose server side holds TIME-WAIT
 */
public record ServerTimeWait(ServerEndpoint key, long client, long server) {

    /** Sockets held in TIME-WAIT by either side (a simultaneous close counts twice, as the kernels do). */
    public long total() {
        return client + server;
    }

    /** The endpoint as {@code ip:port}, or {@code [ip]:port} for IPv6. */
    public String endpoint() {
        return key.text();
    }
}
