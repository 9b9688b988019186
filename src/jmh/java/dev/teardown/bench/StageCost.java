package dev.teardown.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The TIME_WAIT stage's share of a one-thread analysis, measured pass by pass in one warm process: each round runs
 * {@link StageBench}'s pass with the stage off, then on (the order swapped every other round), and takes the
 * process's CPU time of each (collections and compilation included), so that the host's drift, which moves
 * whole-process pairs by ±30% here, falls on both halves of a pair alike. Prints each pair's on/off ratio and their
 * median.
 *
 * <p>{@code java -cp target/benchmarks.jar dev.teardown.bench.StageCost [ROUNDS [CAPTURE [THREADS]]]} (default 12
 * rounds, the capture as {@link Captures#paths}, one thread); run it pinned to one core with the launcher's JVM
 * options, as bench/README.md says, or with THREADS 2 on both cores for the parallel path (the merger's replay).
 */
public final class StageCost {
    private StageCost() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        StageBench off = bench("off", args);
        StageBench on = bench("on", args);
        on.captures = off.captures;
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Items items = new Items();
        // Warm-up: two passes each, compiled before anything is timed.
        for (int i = 0; i < 2; i++) {
            off.analyze(items, bh);
            on.analyze(items, bh);
        }
        double[] ratios = new double[rounds];
        double offSum = 0;
        double onSum = 0;
        long offMin = Long.MAX_VALUE;
        long onMin = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long a;
            long b;
            if (r % 2 == 0) {
                a = cpu(off, items, bh);
                b = cpu(on, items, bh);
            } else {
                b = cpu(on, items, bh);
                a = cpu(off, items, bh);
            }
            ratios[r] = (double) b / a;
            offMin = Math.min(offMin, a);
            onMin = Math.min(onMin, b);
            offSum += a / 1e9;
            onSum += b / 1e9;
            System.out.printf(Locale.ROOT, "round %2d: off %.3f CPU-s, on %.3f CPU-s, on/off %.3f%n", r + 1, a / 1e9,
                b / 1e9, ratios[r]);
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
        System.out.printf(Locale.ROOT, "median on/off %.3f (min %.3f, max %.3f) over %d rounds; mean off %.3f, on %.3f CPU-s;"
            + " fastest off %.3f, on %.3f CPU-s (%.3f)%n", median, sorted[0], sorted[rounds - 1], rounds, offSum / rounds,
            onSum / rounds, offMin / 1e9, onMin / 1e9, (double) onMin / offMin);
    }

    private static StageBench bench(String stage, String[] args) {
        StageBench b = new StageBench();
        b.stage = stage;
        b.capture = args.length > 1 && !args[1].equals("-") ? args[1] : CaptureBench.CAPTURE;
        b.threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (stage.equals("off")) b.load();
        return b;
    }

    private static long cpu(StageBench b, Items items, Blackhole bh) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long t0 = os.getProcessCpuTime();
        b.analyze(items, bh);
        return os.getProcessCpuTime() - t0;
    }
}
