package dev.teardown.bench;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the TIME_WAIT stage adds to a whole analysis (one thread, or {@code threads} as {@code --threads} gives):
 * {@link Analysis#run} over the captures' frames held in memory, rows to a CSV sink that drops them, with the stage off ({@link TimeWaitStage#none()}, as {@code -q}
 * runs) or on with Linux's defaults and its figures taken at the end (as the summary needs them). The ratio of the
 * two scores is the stage's share without the process's start-up, the disk or the host's other work.
 */
public class StageBench extends CaptureBench {
    /** {@code off}: no stage; {@code on}: the stage as the summary runs it. */
    @Param({"off", "on"})
    public String stage;

    /** Threads besides the reading one, as {@code --threads}: 1 runs the one-thread pipeline, more the parallel one. */
    @Param({"1"})
    public int threads = 1;

    @Setup
    public void load() {
        loadCaptures();
    }

    /** One pass over every frame of every capture; items = frames. */
    @Benchmark
    public void analyze(Items items, Blackhole bh) {
        long n = 0;
        for (Captures.Capture c : captures) {
            AnalyzeOptions options = AnalyzeOptions.defaults();
            TimeWaitStage timeWait = stage.equals("on")
                ? new TimeWaitStage(TimeWaitOptions.defaults(options.timeWaitNanos(), options.idleTimeoutNanos()), null)
                : TimeWaitStage.none();
            try (CsvSink sink = new CsvSink(Writer.nullWriter(), false)) {
                Analysis.Result r = Analysis.run(new Frames(c), options, List.of(sink), timeWait, () -> false,
                    dev.teardown.pipeline.ReadProgress.NONE, threads);
                if (r.failure() != null) {
                    throw new UncheckedIOException(c.name(), r.failure());
                }
                bh.consume(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (stage.equals("on")) {
                bh.consume(timeWait.figures());
                bh.consume(timeWait.whatIf());
                bh.consume(timeWait.clocks());
            }
            n += c.frames();
        }
        items.items += n;
    }

    /** A capture's frames, handed out again from memory. */
    private static final class Frames implements PacketSource {
        private final Captures.Capture capture;
        private int next;

        Frames(Captures.Capture capture) {
            this.capture = capture;
        }

        @Override
        public boolean next(Frame frame) {
            if (next == capture.frames()) return false;
            capture.frame(next++, frame);
            return true;
        }

        @Override
        public String name() {
            return capture.name();
        }

        @Override
        public List<String> warnings() {
            return List.of();
        }

        @Override
        public void close() {}
    }
}
