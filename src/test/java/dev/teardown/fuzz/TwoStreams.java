package dev.teardown.fuzz;

import dev.teardown.stream.StreamSink;
import dev.teardown.teardown.Side;
import java.util.function.Function;

/**
 * A fuzz input that holds both directions of one connection, {@code [mode][client length, 2 bytes big-endian][client
 * bytes][server bytes]}, fed to the two directions' sinks chunk by chunk as in-order TCP data reaches them. The bits
 * of mode under the target's chunk mask are the chunk size (0: 1460; all of them set: also a one-byte hole in the
 * capture after each side's first chunk); bit 7 interleaves the two directions chunk by chunk instead of sending all
 * of the client's bytes first. The bits left over are the target's own.
 */
final class TwoStreams {
    private static final int HEADER = 3;
    private final byte[] input;
    private final int chunk;
    private final boolean interleave;
    private final boolean holes;
    private final int clientEnd;

    private TwoStreams(byte[] input, int chunkMask) {
        this.input = input;
        int mode = input[0] & 0xff;
        this.chunk = (mode & chunkMask) == 0 ? 1460 : mode & chunkMask;
        this.interleave = (mode & 0x80) != 0;
        this.holes = (mode & chunkMask) == chunkMask;
        this.clientEnd = HEADER + Math.min(input.length - HEADER, (input[1] & 0xff) << 8 | (input[2] & 0xff));
    }

    /** The streams in {@code input}, chunk sizes under {@code chunkMask}; null when it is too short for its header. */
    static TwoStreams of(byte[] input, int chunkMask) {
        return input.length < HEADER ? null : new TwoStreams(input, chunkMask);
    }

    int clientLength() {
        return clientEnd - HEADER;
    }

    int serverLength() {
        return input.length - clientEnd;
    }

    /**
     * Tells each direction that its stream starts, then feeds it its bytes, chunk k at time k; returns the last chunk's
     * time (0 when there were no bytes).
     */
    long feed(Function<Side, StreamSink> directions) {
        StreamSink client = directions.apply(Side.CLIENT);
        StreamSink server = directions.apply(Side.SERVER);
        client.begin(true);
        server.begin(true);
        int c = HEADER;
        int v = clientEnd;
        long t = 0;
        int chunks = 0;
        while (c < clientEnd || v < input.length) {
            boolean clientTurn = interleave ? c < clientEnd && (c - HEADER <= v - clientEnd || v >= input.length)
                : c < clientEnd;
            StreamSink sink = clientTurn ? client : server;
            int from = clientTurn ? c : v;
            int n = Math.min(chunk, (clientTurn ? clientEnd : input.length) - from);
            sink.data(input, from, n, ++t);
            if (holes && chunks++ < 2) sink.gap(1, t);
            if (clientTurn) c += n;
            else v += n;
        }
        return t;
    }
}
