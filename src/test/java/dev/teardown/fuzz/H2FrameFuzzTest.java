package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.PacketTime;
import dev.teardown.h2.H2Outcome;
import dev.teardown.h2.H2Session;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;

/**
 * The HTTP/2 frame layer on any bytes: both directions of one connection fed to an {@link H2Session} in chunks, as
 * in-order TCP data reaches it. An input is {@code [mode][client length, 2 bytes big-endian][client bytes][server
 * bytes]}, as for {@link TlsRecordFuzzTest}: the low six bits of mode are the chunk size (0: 1460), bit 7 interleaves
 * the two directions chunk by chunk, bit 6 starts the session as after {@code Upgrade: h2c}; a chunk size of 0x3f
 * also puts a one-byte hole in the capture after each side's first chunk. Seeds are the streams of the h2c samples
 * ({@code H2FrameFuzzTestInputs}).
 */
class H2FrameFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyBytesOnBothSidesGiveASaneOutcome(byte[] input) {
        if (input.length < 3) return;
        int mode = input[0] & 0xff;
        int chunk = (mode & 0x3f) == 0 ? 1460 : mode & 0x3f;
        boolean interleave = (mode & 0x80) != 0;
        boolean upgraded = (mode & 0x40) != 0;
        boolean holes = (mode & 0x3f) == 0x3f;
        int clientLength = Math.min(input.length - 3, (input[1] & 0xff) << 8 | (input[2] & 0xff));
        int clientEnd = 3 + clientLength;
        H2Session s = new H2Session();
        if (upgraded) s.upgraded();
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
        H2Outcome o = s.outcome();
        // Every request and response takes a 9-byte frame header at least.
        check(o.requests() >= 0 && o.requests() <= clientLength / 9 + 1, "requests " + o.requests() + " for "
            + clientLength + " client bytes");
        check(o.responses() >= 0 && o.responses() <= (input.length - clientEnd) / 9 + 1, "responses " + o.responses());
        check(o.openStreams() >= 0 && o.openStreams() <= H2Session.MAX_TRACKED
            && o.openStreams() <= o.requests() + (upgraded ? 1 : 0), "open streams " + o.openStreams());
        check((o.goawayFrom() == Sides.NONE) == o.goaway().isEmpty(), "goaway " + o.goaway());
        check(o.goaway().isEmpty() || o.goaway().matches("(client|server):(\\d+|\\?):([A-Z_0-9]+|0x[0-9a-f]+|\\?)"),
            "goaway " + o.goaway());
        check(!PacketTime.isSet(o.lastStreamNanos()) || (o.lastStreamNanos() >= 1 && o.lastStreamNanos() <= t),
            "last stream frame at " + o.lastStreamNanos());
        check(s.status() == H2Session.Status.ACTIVE || o.requests() >= 0, "status " + s.status());
    }
}
