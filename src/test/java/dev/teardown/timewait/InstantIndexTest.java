package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The remembered instant index always equals the ceiling division, at the bounds of a step and far apart. */
class InstantIndexTest {

    @Test
    void everyAnswerIsTheFirstInstantAtOrAfterTheTimeWhateverCameBefore() {
        SplittableRandom r = new SplittableRandom(5);
        for (long step : new long[] {1, 3, 1_000_000L, 1_000_000_000L, 86_400_000_000_000L}) {
            InstantIndex index = new InstantIndex(step);
            long t = r.nextLong(-4_000_000_000_000_000_000L, 4_000_000_000_000_000_000L);
            for (int i = 0; i < 20_000; i++) {
                // Runs within one step, its exact bounds, and jumps (before 1970 included).
                t = switch (r.nextInt(4)) {
                    case 0 -> t + r.nextLong(-2, 3);
                    case 1 -> Math.floorDiv(t, step) * step + r.nextLong(-1, 2);
                    case 2 -> t + r.nextLong(-5 * step, 5 * step + 1);
                    default -> r.nextLong(-4_000_000_000_000_000_000L, 4_000_000_000_000_000_000L);
                };
                assertEquals(-Math.floorDiv(-t, step), index.of(t), "step " + step + ", t " + t);
            }
            assertEquals(-Math.floorDiv(-Long.MAX_VALUE, step), index.of(Long.MAX_VALUE), "no overflow at the top");
            assertEquals(-Math.floorDiv(-(Long.MIN_VALUE + 1), step), index.of(Long.MIN_VALUE + 1));
        }
        assertThrows(IllegalArgumentException.class, () -> new InstantIndex(0));
    }
}
