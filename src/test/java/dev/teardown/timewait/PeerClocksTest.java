package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The band test that spares the per-rate test rejects only steps that no rate fits. */
class PeerClocksTest {

    private static boolean anyRateFits(int ticks, double dt) {
        for (int rate : PeerClocks.RATES) if (PeerClocks.fit(ticks, dt, rate) <= 1) return true;
        return false;
    }

    @Test
    void aStepOutOfReachFitsNoRateWhateverTheStepAndTheWrap() {
        SplittableRandom r = new SplittableRandom(3);
        int rejected = 0;
        for (int i = 0; i < 2_000_000; i++) {
            // Seconds from -100 to 5000 (some past a 1 MHz clock's 2^31 ticks), ticks random or near a rate's line.
            double dt = r.nextInt(4) == 0 ? r.nextDouble(-100, 5000) : r.nextDouble(0, 3);
            int ticks = r.nextBoolean() ? r.nextInt()
                : (int) Math.round(PeerClocks.RATES[r.nextInt(PeerClocks.RATES.length)] * dt) + r.nextInt(-600_000, 600_000);
            if (PeerClocks.outOfReach(ticks, dt)) {
                rejected++;
                assertFalse(anyRateFits(ticks, dt), "ticks " + ticks + " dt " + dt);
            }
        }
        assertTrue(rejected > 500_000, "the band test rejects most random steps: " + rejected);
    }

    @Test
    void aStepOnAnyRatesLineIsNeverOutOfReach() {
        for (int rate : PeerClocks.RATES) {
            for (double dt : new double[] {0, 0.001, 0.5, 1, 30, 300, -2}) {
                int ticks = (int) Math.round(rate * dt);
                assertFalse(PeerClocks.outOfReach(ticks, dt), rate + " Hz, " + dt + " s");
                assertFalse(PeerClocks.outOfReach(ticks + 2, dt), rate + " Hz, " + dt + " s, 2 ticks off");
            }
        }
    }

    @Test
    void aSynTheLineScreenSkipsFitsNoRateOfThatClock() {
        SplittableRandom r = new SplittableRandom(5);
        int skipped = 0;
        for (int i = 0; i < 2_000_000; i++) {
            // Packet times around 2026 and far from it, steps from -100 s to 3000 s, TSvals random or near a rate's line.
            long last = r.nextBoolean() ? 1_764_000_000_000_000_000L + r.nextLong(1L << 40) : r.nextLong(-(1L << 62), 1L << 62);
            double dt = r.nextInt(4) == 0 ? r.nextDouble(-100, 3000) : r.nextDouble(0, 3);
            long nanos = last + (long) (dt * 1e9);
            int lastTs = r.nextInt();
            int ticks = r.nextBoolean() ? r.nextInt()
                : (int) Math.round(PeerClocks.RATES[r.nextInt(PeerClocks.RATES.length)] * dt) + r.nextInt(-600_000, 600_000);
            int ts = lastTs + ticks;
            double bound = PeerClocks.screenBound(Math.abs(nanos - last));
            if (bound < 1 << 30 && PeerClocks.beyond(PeerClocks.line(nanos, ts), PeerClocks.line(last, lastTs), bound)) {
                skipped++;
                assertFalse(anyRateFits(ticks, (nanos - last) / 1e9), "ticks " + ticks + " dt " + dt + " at " + last);
            }
        }
        assertTrue(skipped > 1_000_000, "the screen skips most random SYNs: " + skipped);
    }
}
