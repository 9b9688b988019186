package dev.teardown.bench;

import dev.teardown.capture.Frame;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/** The decoder alone: {@link PacketDecoder#decode} over every frame of the captures, read into memory once. */
public class DecodeBench extends CaptureBench {
    private final Frame frame = new Frame();
    private final TcpSegment segment = new TcpSegment();
    private final PacketDecoder decoder = new PacketDecoder(new DecodeStats());

    @Setup
    public void load() {
        loadCaptures();
    }

    /** One pass over every frame; items = frames. */
    @Benchmark
    public void decode(Items items, Blackhole bh) {
        int n = 0;
        for (Captures.Capture c : captures) {
            for (int i = 0, frames = c.frames(); i < frames; i++) {
                c.frame(i, frame);
                bh.consume(decoder.decode(frame, segment));
                bh.consume(segment.srcPort);
            }
            n += c.frames();
        }
        items.items += n;
    }
}
