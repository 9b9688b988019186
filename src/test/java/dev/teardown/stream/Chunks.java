package dev.teardown.stream;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/** Feeds a {@link StreamSink} the way TCP delivers a stream: in pieces cut anywhere, for the stream readers' tests. */
public final class Chunks {
    private Chunks() {}

    /** Feeds {@code bytes} in pieces ending at {@code cuts} and the rest, piece k at time k, each from its own copy. */
    public static void feed(StreamSink sink, byte[] bytes, int... cuts) {
        int from = 0;
        int k = 0;
        int[] all = Arrays.copyOf(cuts, cuts.length + 1);
        all[cuts.length] = bytes.length;
        for (int cut : all) {
            byte[] piece = Arrays.copyOfRange(bytes, from, cut);
            sink.data(piece, 0, piece.length, k++);
            from = cut;
        }
    }

    /** Hands {@code sink} the {@code parts} joined as one chunk, at time {@code t}. */
    public static void send(StreamSink sink, long t, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        byte[] b = out.toByteArray();
        sink.data(b, 0, b.length, t);
    }

    /** The cuts that feed {@code length} bytes one at a time. */
    public static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(0, length - 1)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return cuts;
    }

    /** Events written {@code "... @time"}, times dropped: where the cuts fall changes only when things end. */
    public static List<String> untimed(List<String> events) {
        return events.stream().map(e -> e.replaceAll(" @\\d+$", "")).toList();
    }
}
