package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Sides;
import dev.teardown.tls.TlsOutcome;
import dev.teardown.tls.TlsSession;
import java.util.Set;

/**
 * The TLS record layer and hello parser on any bytes: both directions of one connection fed to a
 * {@link TlsSession} in chunks, as in-order TCP data reaches it ({@link TwoStreams}, the input format of
 * {@link HttpHeadFuzzTest}): the low seven bits of mode are the chunk size, 0x7f also puts a one-byte hole in the
 * capture after each side's first chunk. Seeds are the streams of the HTTPS samples ({@code TlsRecordFuzzTestInputs}).
 */
class TlsRecordFuzzTest {
    private static final Set<String> VERSION_WORDS = Set.of("", "ssl3", "1.0", "1.1", "1.2", "1.3");

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyBytesOnBothSidesGiveASaneOutcome(byte[] input) {
        TwoStreams streams = TwoStreams.of(input, 0x7f);
        if (streams == null) return;
        TlsSession s = new TlsSession();
        long t = streams.feed(s::direction);
        TlsOutcome o = s.outcome();
        check(o.exchanges() >= 0 && o.exchanges() <= input.length / (TlsSession.SMALL_RECORD + 5) + 1,
            "exchanges " + o.exchanges() + " for " + input.length + " bytes");
        for (String version : new String[] {o.version(), o.offered()}) {
            check(VERSION_WORDS.contains(version) || version.matches("0x[0-9a-f]{4}"), "version " + version);
        }
        for (String text : new String[] {o.serverName(), o.alpn(), o.alpnSelected()}) {
            check(text.length() <= 256, "wire text kept past its bound: " + text.length());
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                check(ch > 0x20 && ch < 0x7f, "wire text holds 0x" + Integer.toHexString(ch) + ": " + text);
            }
        }
        check((o.alertFrom() == Sides.NONE) == o.alert().isEmpty(), "alert " + o.alert());
        check(o.alert().isEmpty() || o.alert().matches("(client|server):[a-z_0-9-]+"), "alert " + o.alert());
        check(!PacketTime.isSet(o.lastDataNanos()) || (o.lastDataNanos() >= 1 && o.lastDataNanos() <= t),
            "last data at " + o.lastDataNanos());
        check(s.status() == TlsSession.Status.ACTIVE || o.exchanges() >= 0, "status " + s.status());
    }
}
