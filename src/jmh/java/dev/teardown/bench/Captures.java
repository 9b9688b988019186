package dev.teardown.bench;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Real captures read into memory once, before any measurement, with teardown's own readers and decoder.
 *
 * <p>{@code spec} is {@code auto} (the default: bench/work/capture.pcap when bench/make-capture.sh has made
 * it, else the samples), {@code samples} (every capture in the repository's samples/ directory, each kept
 * apart so that a stage sees one capture at a time, as {@code --separate} would) or the path of one capture. Paths are relative to the directory the
 * benchmarks are started from: the repository's top level. Memory: every frame's captured bytes, so at most
 * {@code maxFrames} frames are read from each file.
 */
public final class Captures {
    /** The large capture bench/make-capture.sh makes, read when present. */
    public static final String BENCH_CAPTURE = "bench/work/capture.pcap";

    private Captures() {}

    /** One capture's frames, each with its own copy of the bytes, and their TCP segments decoded once. */
    public record Capture(String name, byte[][] data, int[] originalLength, long[] timeNanos, int[] linkType,
                          TcpSegment[] segments) {

        /** Points {@code frame} at frame {@code i}. */
        public void frame(int i, Frame frame) {
            frame.set(data[i], 0, data[i].length, originalLength[i], timeNanos[i], linkType[i], 0);
        }

        /** How many frames. */
        public int frames() {
            return data.length;
        }
    }

    /** The captures {@code spec} names, read in full (up to {@code maxFrames} frames each). */
    public static List<Capture> load(String spec, int maxFrames) {
        List<Capture> out = new ArrayList<>();
        for (Path p : paths(spec)) {
            out.add(read(p, maxFrames));
        }
        return out;
    }

    /**
     * The files {@code spec} names: {@code auto} is {@value #BENCH_CAPTURE} when bench/make-capture.sh has
     * made it, else {@code samples}; {@code samples} is every capture in samples/; anything else is a path.
     */
    public static List<Path> paths(String spec) {
        if (spec.equals("auto")) {
            spec = Files.isRegularFile(Path.of(BENCH_CAPTURE)) ? BENCH_CAPTURE : "samples";
        }
        List<Path> paths = new ArrayList<>();
        if (spec.equals("samples")) {
            try (Stream<Path> s = Files.list(Path.of("samples"))) {
                s.filter(p -> p.getFileName().toString().matches(".*\\.pcap(ng)?")).sorted().forEach(paths::add);
            } catch (IOException e) {
                throw new UncheckedIOException("run the benchmarks from the repository's top level", e);
            }
        } else {
            paths.add(Path.of(spec));
        }
        return paths;
    }

    private static Capture read(Path path, int maxFrames) {
        List<byte[]> data = new ArrayList<>();
        List<long[]> meta = new ArrayList<>();
        Frame frame = new Frame();
        try (PacketSource source = CaptureFiles.open(path)) {
            while (data.size() < maxFrames && source.next(frame)) {
                data.add(Arrays.copyOfRange(frame.data(), frame.offset(), frame.offset() + frame.capturedLength()));
                meta.add(new long[] {frame.originalLength(), frame.timeNanos(), frame.linkType()});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(path.toString(), e);
        }
        int n = data.size();
        int[] orig = new int[n];
        long[] time = new long[n];
        int[] link = new int[n];
        for (int i = 0; i < n; i++) {
            orig[i] = (int) meta.get(i)[0];
            time[i] = meta.get(i)[1];
            link[i] = (int) meta.get(i)[2];
        }
        Capture c = new Capture(path.toString(), data.toArray(new byte[0][]), orig, time, link, new TcpSegment[0]);
        PacketDecoder decoder = new PacketDecoder(new DecodeStats());
        List<TcpSegment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.frame(i, frame);
            TcpSegment s = new TcpSegment();
            if (decoder.decode(frame, s) == PacketDecoder.Result.TCP) {
                segments.add(s);
            }
        }
        return new Capture(c.name(), c.data(), orig, time, link, segments.toArray(new TcpSegment[0]));
    }

    /** One line for the benchmark log: what was loaded. */
    public static String describe(List<Capture> captures) {
        long frames = 0;
        long segments = 0;
        for (Capture c : captures) {
            frames += c.frames();
            segments += c.segments().length;
        }
        return String.format(Locale.ROOT, "%d captures, %d frames, %d TCP segments", captures.size(), frames, segments);
    }
}
