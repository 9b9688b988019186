package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.PcapRing;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code -C}, {@code -G} and {@code -W} as the ring's policy: tcpdump's units, and the values passed on as given. */
class RingOptionsTest {
    private static final CommandLine CMD = TeardownCommand.commandLine();

    @ParameterizedTest
    @CsvSource({
        "1, 1000000",
        "250, 250000000",
        "2k, 2048",
        "3M, 3145728",
        "1g, 1073741824",
    })
    void sizesAreMillionsOfBytesOrPowersOf1024WithASuffix(String size, long bytes) {
        assertEquals(bytes, RingOptions.bytes(CMD, size));
    }

    @ParameterizedTest
    @CsvSource({
        "t.pcap, 100, , 5, 100000000, 0, 5",
        "t-%H.pcap, , 3600, 24, 0, 3600, 24",
        "t.pcap, , , , 0, 0, 0",
    })
    void thePolicyCarriesSizeSpanAndCount(String file, String size, Long seconds, Integer files, long bytes, long span,
                                         int count) {
        assertEquals(new PcapRing.Policy(bytes, span, count), RingOptions.policy(CMD, Path.of(file), size, seconds, files));
    }
}
