package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import dev.teardown.tls.TlsOutcome;
import dev.teardown.tls.TlsSession;
import java.util.Set;

/**
 * The TLS record layer and hello parser on any bytes: both directions of one connection fed to a
 * {@link TlsSession} in chunks, as in-order TCP data reaches it. An input is {@code [mode][client length, 2 bytes
 * big-endian][client bytes][server bytes]}, as for {@link HttpHeadFuzzTest}: the low seven bits of mode are the
 * chunk size (0: 1460), its high bit interleaves the two directions chunk by chunk; a mode of 0x7f also puts a
 * one-byte hole in the capture after each side's first chunk. Seeds are the streams of the HTTPS samples
 * ({@code TlsRecordFuzzTestInputs}).
 */
class TlsRecordFuzzTest {
    private static final Set<String> VERSION_WORDS = Set.of("", "ssl3", "1.0", "1.1", "1.2", "1.3");

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyBytesOnBothSidesGiveASaneOutcome(byte[] input) {
        if (input.length < 3) return;
        int mode = input[0] & 0xff;
        int chunk = (mode & 0x7f) == 0 ? 1460 : mode & 0x7f;
        boolean interleave = (mode & 0x80) != 0;
        boolean holes = (mode & 0x7f) == 0x7f;
        int clientLength = Math.min(input.length - 3, (input[1] & 0xff) << 8 | (input[2] & 0xff));
        int clientEnd = 3 + clientLength;
        TlsSession s = new TlsSession();
        s.begin(Side.CLIENT, true);
        s.begin(Side.SERVER, true);
        int c = 3;
        int v = clientEnd;
        long t = 0;
        int chunks = 0;
        while (c < clientEnd || v < input.length) {
            boolean clientTurn = interleave ? c < clientEnd && (c - 3 <= v - clientEnd || v >= input.length)
                : c < clientEnd;
            Side side = clientTurn ? Side.CLIENT : Side.SERVER;
            int from = clientTurn ? c : v;
            int n = Math.min(chunk, (clientTurn ? clientEnd : input.length) - from);
            s.data(side, input, from, n, ++t);
            if (holes && chunks++ < 2) s.gap(side, 1, t);
            if (clientTurn) c += n;
            else v += n;
        }
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
