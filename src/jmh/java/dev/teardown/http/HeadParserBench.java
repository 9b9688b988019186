package dev.teardown.http;

import dev.teardown.bench.CaptureBench;
import dev.teardown.bench.Captures;
import dev.teardown.bench.Items;
import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The HTTP head parser: {@link MessageDecoder} (and so {@link HeadParser}) fed the real request and response
 * heads found at the start of the captures' TCP payloads, one whole head per call, with bodies left out.
 * Kept in this package because the decoder is package-private; the listener answers "no body" so that
 * the next head starts a new message.
 */
public class HeadParserBench extends CaptureBench {
    private static final byte[] END = {'\r', '\n', '\r', '\n'};

    private byte[][] requests;
    private byte[][] responses;

    @Setup
    public void load() {
        byte[][][] found = heads(capture);
        if (found[0].length == 0 || found[1].length == 0) {
            // A short snapshot length (the bench capture's 128 bytes) cuts response heads: take the samples'.
            byte[][][] samples = heads("samples");
            for (int i = 0; i < 2; i++) {
                if (found[i].length == 0) found[i] = samples[i];
            }
            System.out.println("heads missing from " + capture + " taken from the samples");
        }
        requests = found[0];
        responses = found[1];
        System.out.println(requests.length + " request heads, " + responses.length + " response heads");
    }

    /** The request heads and the response heads found whole at the start of the captures' payloads. */
    private static byte[][][] heads(String capture) {
        List<byte[]> req = new ArrayList<>();
        List<byte[]> resp = new ArrayList<>();
        for (Captures.Capture c : Captures.load(capture, CaptureBench.MAX_FRAMES)) {
            for (TcpSegment s : c.segments()) {
                byte[] head = head(s);
                if (head == null) continue;
                if (startsWith(head, "HTTP/1.")) resp.add(head);
                else if (head[0] >= 'A' && head[0] <= 'Z') req.add(head);
            }
        }
        return new byte[][][] {req.toArray(new byte[0][]), resp.toArray(new byte[0][])};
    }

    /** The payload up to and including its first empty line, when the segment holds a whole head. */
    private static byte[] head(TcpSegment s) {
        int len = s.capturedPayloadLength;
        for (int i = 0; i + END.length <= len; i++) {
            if (Arrays.equals(s.data, s.payloadOffset + i, s.payloadOffset + i + END.length, END, 0, END.length)) {
                return Arrays.copyOfRange(s.data, s.payloadOffset, s.payloadOffset + i + END.length);
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] b, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return b.length >= p.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
    }

    /** Counts what the decoder reports, so that nothing it does is dead code. */
    private static final class Listener implements MessageListener {
        final Blackhole bh;

        Listener(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public Body onHead(Side from, Head head, long timeNanos) {
            bh.consume(head);
            return Body.NONE;
        }

        @Override
        public void onMessageEnd(Side from, long timeNanos) { }

        @Override
        public void onAnomaly(Side from, HttpAnomaly anomaly) {
            bh.consume(anomaly);
        }

        @Override
        public void onLostSync(Side from) { }

        @Override
        public void onNotHttp(Side from, boolean tlsLike) {
            throw new IllegalStateException("a captured head was taken for not HTTP");
        }
    }

    /** Every request head through one client-side decoder; items = heads. */
    @Benchmark
    public void requestHeads(Items items, Blackhole bh) {
        feed(Side.CLIENT, requests, bh);
        items.items += requests.length;
    }

    /** Every response head through one server-side decoder; items = heads. */
    @Benchmark
    public void responseHeads(Items items, Blackhole bh) {
        feed(Side.SERVER, responses, bh);
        items.items += responses.length;
    }

    private static void feed(Side side, byte[][] heads, Blackhole bh) {
        MessageDecoder d = new MessageDecoder(side, HttpLimits.defaults(), new Listener(bh));
        d.begin(true);
        long t = 0;
        for (byte[] h : heads) {
            d.data(h, 0, h.length, t++);
        }
    }
}
