package dev.teardown.capture;

import dev.teardown.capture.LiveCaptureException.Kind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LiveCaptureExceptionTest {

    /** Each failure a user meets, the kind the command line maps to an exit code, and the one line they read. */
    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(LiveCaptureException.noLibpcap("Unable to load library 'pcap'"), Kind.NO_LIBPCAP,
                        "cannot load libpcap (Unable to load library 'pcap'): install it (Debian/Ubuntu: sudo apt-get"
                                + " install libpcap0.8; Fedora/RHEL: sudo dnf install libpcap)"),
                Arguments.of(LiveCaptureException.permission("eth0", "socket: Operation not permitted"),
                        Kind.PERMISSION,
                        "no permission to capture on eth0 (socket: Operation not permitted): run as root, or allow"
                                + " java to capture with: sudo setcap cap_net_raw,cap_net_admin=eip"
                                + " $(readlink -f $(which java)) (if java then cannot load libjli.so, add its lib"
                                + " directory to /etc/ld.so.conf.d and run sudo ldconfig)"),
                Arguments.of(LiveCaptureException.noSuchDevice("eth9", List.of("eth0", "any", "lo", "ifb0 (down)")),
                        Kind.NO_SUCH_DEVICE, "no interface named \"eth9\"; available: eth0, any, lo, ifb0 (down)"),
                Arguments.of(LiveCaptureException.noSuchDevice("eth9", List.of()),
                        Kind.NO_SUCH_DEVICE, "no interface named \"eth9\"; libpcap lists none"),
                Arguments.of(LiveCaptureException.deviceDown("ifb0"), Kind.DEVICE_DOWN,
                        "interface ifb0 is down: bring it up (sudo ip link set ifb0 up) or capture on another"
                                + " interface"),
                Arguments.of(LiveCaptureException.badFilter("tcp port", "can't parse filter expression: syntax error"),
                        Kind.BAD_FILTER, "bad capture filter \"tcp port\": can't parse filter expression: syntax error"
                                + " (syntax: man 7 pcap-filter)"),
                Arguments.of(LiveCaptureException.other("eth0", "something odd"), Kind.OTHER,
                        "capture on eth0 failed: something odd"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("messages")
    void eachFailureIsOneLineThatNamesTheFix(LiveCaptureException e, Kind kind, String message) {
        assertEquals(kind, e.kind());
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
