package dev.teardown.bench;

import dev.teardown.capture.Frame;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The decoder alone: {@link PacketDecoder#decode} over every frame of the captures, read into memory once. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBench {
    /** {@code auto}, {@code samples} or the path of one capture: see {@link Captures}. */
    @Param(Settings.CAPTURE)
    public String capture;

    private List<Captures.Capture> captures;
    private final Frame frame = new Frame();
    private final TcpSegment segment = new TcpSegment();
    private final PacketDecoder decoder = new PacketDecoder(new DecodeStats());

    @Setup
    public void load() {
        captures = Captures.load(capture, Settings.MAX_FRAMES);
        System.out.println(Captures.describe(captures));
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
