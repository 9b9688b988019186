package dev.teardown.h2;

import dev.teardown.teardown.Sides;
import java.util.Set;

/**
 * What the HTTP/2 frame layer said about one cleartext connection, without decoding any header (HPACK).
 *
 * @param requests streams the client opened: a HEADERS frame on a client stream id above every earlier one (RFC
 *     9113 section 5.1.1); after {@code Upgrade: h2c} stream 1 is the HTTP/1.1 request's and not counted here
 * @param refused of those (and of stream 1 after an upgrade), the ones the server refused and so never processed
 *     (RFC 9113 section 8.7): above the last stream id of its GOAWAY (section 6.8), also when the request crossed
 *     it, or reset by the server with REFUSED_STREAM; of the streams waited for ({@link H2Session#MAX_TRACKED})
 * @param responses client streams the server ended: its HEADERS or DATA frame with END_STREAM
 * @param openStreams client streams still waiting for the server's END_STREAM at the end (neither reset nor above a
 *     GOAWAY's last stream id), at most {@link H2Session#MAX_TRACKED}
 * @param goawayFrom the side whose GOAWAY came first, {@link Sides#NONE} when none was seen
 * @param goawayLastStream that GOAWAY's last stream id, -1 when lost
 * @param goawayError that GOAWAY's error code, -1 when lost
 * @param lastStreamNanos the end of the last frame of a stream (HEADERS, DATA, CONTINUATION, PUSH_PROMISE), either
 *     direction, or {@link dev.teardown.capture.PacketTime#UNSET}
 * @param problems the frame layer's problems met on this connection, in declaration order
 */
public record H2Outcome(long requests, long refused, long responses, int openStreams, Sides goawayFrom,
                        int goawayLastStream, long goawayError, long lastStreamNanos, Set<H2Problem> problems) {

    /** The first GOAWAY as the outputs print it, {@code side:last_stream_id:error}, or empty when none. */
    public String goaway() {
        if (goawayFrom == Sides.NONE) return "";
        return goawayFrom.label() + ":" + (goawayLastStream < 0 ? "?" : Integer.toString(goawayLastStream)) + ":"
            + (goawayError < 0 ? "?" : ErrorCodes.name(goawayError));
    }
}
