package dev.teardown.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark shares (JMH reads these annotations, the parameter and the set-up from the superclass):
 * throughput, short runs (the whole suite in about a minute), and the captures read into memory once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class CaptureBench {
    /** The captures read by default: bench/work/capture.pcap when present, else every sample. */
    static final String CAPTURE = "auto";
    /** Frames read from each capture at most, so that a large capture still fits in the heap. */
    public static final int MAX_FRAMES = 4_000_000;

    /** {@code auto}, {@code samples} or the path of one capture: see {@link Captures}. */
    @Param(CAPTURE)
    public String capture;

    /** The captures, decoded; loaded by {@link #loadCaptures()} where a benchmark needs them. */
    protected List<Captures.Capture> captures;

    /** Reads {@link #capture} into memory and says what it read. */
    protected final void loadCaptures() {
        captures = Captures.load(capture, MAX_FRAMES);
        System.out.println(Captures.describe(captures));
    }
}
