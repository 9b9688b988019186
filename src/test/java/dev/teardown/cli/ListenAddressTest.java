package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --metrics ADDR:PORT}: the forms it takes, and one usage line for anything else. */
class ListenAddressTest {
    private static final CommandLine CMD = TeardownCommand.commandLine();

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:9464, 127.0.0.1, 9464",
        "'[::1]:0', 0:0:0:0:0:0:0:1, 0",
        ":9464, 0.0.0.0, 9464",
        "localhost:65535, 127.0.0.1, 65535",
    })
    void takesAnAddressOrNameAndAPort(String text, String address, int port) {
        InetSocketAddress a = ListenAddress.parse(CMD, "--metrics", text);
        assertEquals(address, a.getAddress().getHostAddress());
        assertEquals(port, a.getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9464", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "::1:9464", "127.0.0.1:-1", "a:b"})
    void anythingElseIsAUsageErrorNamingTheOption(String text) {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
            () -> ListenAddress.parse(CMD, "--metrics", text));
        assertTrue(e.getMessage().startsWith("--metrics must be ADDR:PORT"), e.getMessage());
    }
}
