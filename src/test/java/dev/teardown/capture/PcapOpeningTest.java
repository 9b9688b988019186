package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teardown.capture.LiveCaptureException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Opening an interface (root): what failed is named as the user can act on it: an interface that does not exist
 * (with the ones that do), a filter libpcap cannot parse (with libpcap's reason), an interface that is down.
 */
class PcapOpeningTest {

    @Tag("root")
    @Test
    void anUnknownInterfaceIsNoSuchDeviceAndListsTheOnesThatExist() {
        LiveCaptureTest.assumeCanCapture();
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.open(LiveCapture.Options.defaults("no-such-if0")));

        assertEquals(Kind.NO_SUCH_DEVICE, e.kind());
        assertTrue(e.getMessage().startsWith("no interface named \"no-such-if0\"; available: "), e.getMessage());
        assertTrue(e.getMessage().contains(" lo"), e.getMessage());
    }

    @Tag("root")
    @Test
    void aFilterLibpcapCannotParseIsBadFilterWithLibpcapsReason() {
        LiveCaptureTest.assumeCanCapture();
        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter("tcp port")));

        assertEquals(Kind.BAD_FILTER, e.kind());
        assertTrue(e.getMessage().startsWith("bad capture filter \"tcp port\": "), e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    }

    @Tag("root")
    @Test
    void anInterfaceThatIsDownIsDeviceDown() throws LiveCaptureException {
        LiveCaptureTest.assumeCanCapture();
        // Pseudo-devices (nflog, dbus-system...) are listed down too but fail differently; a real netdev is needed.
        Optional<LiveCapture.Device> down = LiveCapture.devices().stream()
                .filter(d -> !d.up() && Files.isDirectory(Path.of("/sys/class/net", d.name())))
                .findFirst();
        assumeTrue(down.isPresent(), "no interface is down here");

        LiveCaptureException e = assertThrows(LiveCaptureException.class,
                () -> LiveCapture.open(LiveCapture.Options.defaults(down.get().name())));
        assertEquals(Kind.DEVICE_DOWN, e.kind(), e.getMessage());
    }
}
