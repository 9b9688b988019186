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
}
