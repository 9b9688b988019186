package dev.teardown.fuzz;

import static dev.teardown.fuzz.CaptureInvariants.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.teardown.capture.PacketTime;
import dev.teardown.h2.H2Outcome;
import dev.teardown.h2.H2Session;
import dev.teardown.teardown.Sides;

/**
 * The HTTP/2 frame layer on any bytes: both directions of one connection fed to an {@link H2Session} in chunks, as
 * in-order TCP data reaches it ({@link TwoStreams}): the low six bits of mode are the chunk size, 0x3f also puts a
 * one-byte hole in the capture after each side's first chunk, bit 6 starts the session as after {@code Upgrade: h2c}.
 * Seeds are the streams of the h2c samples ({@code H2FrameFuzzTestInputs}).
 */
class H2FrameFuzzTest {

    @FuzzTest(maxDuration = FuzzDurations.CI)
    void anyBytesOnBothSidesGiveASaneOutcome(byte[] input) {
        TwoStreams streams = TwoStreams.of(input, 0x3f);
        if (streams == null) return;
        boolean upgraded = (input[0] & 0x40) != 0;
        H2Session s = new H2Session();
        if (upgraded) s.upgraded(-1);
        long t = streams.feed(s::direction);
        H2Outcome o = s.outcome();
        // Every request and response takes a 9-byte frame header at least.
        check(o.requests() >= 0 && o.requests() <= streams.clientLength() / 9 + 1, "requests " + o.requests() + " for "
            + streams.clientLength() + " client bytes");
        check(o.responses() >= 0 && o.responses() <= streams.serverLength() / 9 + 1, "responses " + o.responses());
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
