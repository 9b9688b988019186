package dev.teardown.cli;

import dev.teardown.report.Safe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/**
 * The address {@code --metrics ADDR:PORT} listens on: {@code 127.0.0.1:9464}, {@code [::1]:9464}, {@code
 * localhost:9464}, or {@code :9464} for every address of the host; port 0 takes any free port.
 */
final class ListenAddress {
    private ListenAddress() {}

    /** {@code text} as an address to bind; a usage error (exit 2) naming {@code option} when it is not one. */
    static InetSocketAddress parse(CommandLine cmd, String option, String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? null : text.substring(0, colon);
        String port = colon < 0 ? "" : text.substring(colon + 1);
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host != null && host.contains(":")) {
            host = null; // an IPv6 address without brackets: its last colon is not the port's
        }
        if (host == null || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65_535) {
            throw new CommandLine.ParameterException(cmd, option + " must be ADDR:PORT (127.0.0.1:9464, [::1]:9464, or "
                + ":9464 for every address), not " + Safe.text(text));
        }
        try {
            InetAddress address = host.isEmpty() ? new InetSocketAddress(0).getAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(address, Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(cmd, option + " " + Safe.text(text) + ": no such host");
        }
    }
}
