package dev.teardown.h2;

import dev.teardown.capture.PacketTime;
import dev.teardown.stream.StreamSink;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The HTTP/2 view of one cleartext connection (prior knowledge or {@code Upgrade: h2c}): each direction's frame
 * layer ({@link FrameReader}), the client's streams as requests and the server's ends of them as responses, and the
 * first GOAWAY.
 *
 * <p>Streams (RFC 9113 section 5.1). A HEADERS frame from the client on an odd stream id above every earlier one
 * opens a request; the server's HEADERS or DATA frame with END_STREAM on an odd stream ends its response. A stream
 * reset by either side (RST_STREAM), or above the last stream id of the server's GOAWAY (section 6.8; also one the
 * client opened after the GOAWAY, its request crossing it), is no longer waited for. A stream the server refused
 * (above that last stream id, or reset with REFUSED_STREAM, section 8.7) was not processed and the client may send
 * its request again: it is counted apart ({@link H2Outcome#refused}). Server push (even stream ids) counts for
 * nothing.
 *
 * <p>Memory: the two readers, a few counters, and the ids of the client streams still open, at most
 * {@link #MAX_TRACKED} (servers usually allow 100 to 128 concurrent streams, SETTINGS_MAX_CONCURRENT_STREAMS);
 * streams beyond are counted but not waited for.
 */
public final class H2Session implements FrameListener {
    /** Client streams waited for at once, at most. */
    public static final int MAX_TRACKED = 256;
    /** RFC 9113 section 6.5.2: the identifier of SETTINGS_MAX_FRAME_SIZE, also in an {@code HTTP2-Settings} value. */
    public static final int SETTINGS_MAX_FRAME_SIZE = FrameReader.SETTINGS_MAX_FRAME_SIZE;

    /** Whether the connection is still taken for HTTP/2. */
    public enum Status { ACTIVE, NOT_H2 }

    private final FrameReader client = new FrameReader(Side.CLIENT, this);
    private final FrameReader server = new FrameReader(Side.SERVER, this);
    private Status status = Status.ACTIVE;
    /** The client's preface arrived whole, or the server switched by Upgrade: from then on bad bytes are anomalies. */
    private boolean confirmed;
    private Set<H2Problem> problems;

    private long requests;
    private long refused;
    private long responses;
    private int highestClientStream;
    private int[] open = new int[8];
    private int openCount;
    private long lastStreamNanos = PacketTime.UNSET;

    private Sides goawayFrom = Sides.NONE;
    private int goawayLastStream = -1;
    private long goawayError = -1;
    /**
     * The lowest last stream id of the server's GOAWAYs (RFC 9113 section 6.8: a later one may only lower it): a client
     * stream above it is refused, whether it opened before the GOAWAY or crossed it.
     */
    private int serverLastStream = Integer.MAX_VALUE;

    /**
     * The connection switched to HTTP/2 by {@code Upgrade: h2c} (RFC 7540 section 3.2; RFC 9113 section 3.1 deprecates
     * it but servers still answer it): HTTP/2 by the server's own 101, and stream 1 carries the response to the
     * HTTP/1.1 request that asked. {@code clientMaxFrame}: the SETTINGS_MAX_FRAME_SIZE of that request's
     * {@code HTTP2-Settings}, or -1 when it set none: those are the client's first settings (RFC 7540 section 3.2.1),
     * so the server may send frames that long from its first.
     */
    public void upgraded(long clientMaxFrame) {
        confirmed = true;
        highestClientStream = 1;
        track(1);
        if (clientMaxFrame >= 0) onSetting(Side.CLIENT, FrameReader.SETTINGS_MAX_FRAME_SIZE, clientMaxFrame);
    }

    /**
     * Where {@code side}'s HTTP/2 bytes go, in order: its frame reader, told at {@link StreamSink#begin} whether its
     * first byte to come is the side's first HTTP/2 byte. Once the connection proved not to be HTTP/2, or the session
     * was stopped, the readers take nothing more.
     */
    public StreamSink direction(Side side) {
        return reader(side);
    }

    /** Stops reading for good, dropping the stream table; the facts for the outcome stay. */
    public void stop() {
        client.stop();
        server.stop();
        open = null;
    }

    public Status status() {
        return status;
    }

    private FrameReader reader(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    // --- what the readers report -----------------------------------------------------------------

    @Override
    public void onPreface(Side side) {
        confirmed = true;
    }

    @Override
    public void onFrame(Side side, int type, int flags, int stream, int length, long t) {
        if (status != Status.ACTIVE) return;
        boolean clientStream = (stream & 1) == 1;
        switch (type) {
            case FrameReader.HEADERS -> {
                lastStreamNanos = t;
                if (side == Side.CLIENT && clientStream && stream > highestClientStream) {
                    requests++;
                    highestClientStream = stream;
                    if (stream <= serverLastStream) track(stream);
                    else refused++; // it crossed the server's GOAWAY
                } else if (side == Side.SERVER && clientStream && (flags & FrameReader.END_STREAM) != 0) {
                    ended(stream);
                }
            }
            case FrameReader.DATA -> {
                lastStreamNanos = t;
                if (side == Side.SERVER && clientStream && (flags & FrameReader.END_STREAM) != 0) ended(stream);
            }
            case FrameReader.CONTINUATION, FrameReader.PUSH_PROMISE -> lastStreamNanos = t;
            case FrameReader.RST_STREAM -> { } // onReset
            default -> { } // SETTINGS, PING, WINDOW_UPDATE, PRIORITY, GOAWAY, extensions: no stream's message
        }
    }

    @Override
    public void onReset(Side side, int stream, long errorCode) {
        if (status != Status.ACTIVE) return;
        boolean wasOpen = untrack(stream);
        // RFC 9113 section 8.7: REFUSED_STREAM says the stream was closed before any processing.
        if (wasOpen && side == Side.SERVER && errorCode == ErrorCodes.REFUSED_STREAM) refused++;
    }

    @Override
    public void onSetting(Side side, int id, long value) {
        // RFC 9113 section 6.5.2: a side's SETTINGS_MAX_FRAME_SIZE is the largest frame it accepts: the peer's limit.
        if (id == FrameReader.SETTINGS_MAX_FRAME_SIZE) reader(side.other()).allow(value);
    }

    @Override
    public void onGoaway(Side side, int lastStream, long errorCode, long t) {
        if (status != Status.ACTIVE) return;
        if (goawayFrom == Sides.NONE) {
            goawayFrom = Sides.of(side);
            goawayLastStream = lastStream;
            goawayError = errorCode;
        }
        // RFC 9113 section 6.8: streams above the server's last stream id were not processed: nothing will answer.
        if (side == Side.SERVER && lastStream >= 0) {
            serverLastStream = Math.min(serverLastStream, lastStream);
            if (open == null) return;
            int kept = 0;
            for (int i = 0; i < openCount; i++) if (open[i] <= serverLastStream) open[kept++] = open[i];
            refused += openCount - kept;
            openCount = kept;
        }
    }

    @Override
    public void onProblem(Side side, H2Problem problem) {
        if (!confirmed && problem == H2Problem.BAD_FRAME) {
            // The bytes that made the connection look like HTTP/2 were not: it is some other protocol.
            status = Status.NOT_H2;
            stop();
            return;
        }
        if (problems == null) problems = EnumSet.noneOf(H2Problem.class);
        problems.add(problem);
    }

    private void ended(int stream) {
        responses++;
        untrack(stream);
    }

    private void track(int stream) {
        if (open == null || openCount == MAX_TRACKED) return;
        if (openCount == open.length) open = Arrays.copyOf(open, Math.min(MAX_TRACKED, open.length * 2));
        open[openCount++] = stream;
    }

    /** Stops waiting for {@code stream}: whether it was waited for. */
    private boolean untrack(int stream) {
        if (open == null) return false;
        for (int i = 0; i < openCount; i++) {
            if (open[i] == stream) {
                open[i] = open[--openCount];
                return true;
            }
        }
        return false;
    }

    // --- the outcome -----------------------------------------------------------------------------

    /** What the connection said, as it stands; changes nothing. */
    public H2Outcome outcome() {
        return new H2Outcome(requests, refused, responses, openCount, goawayFrom, goawayLastStream, goawayError,
            lastStreamNanos, problems == null ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(problems)));
    }
}
