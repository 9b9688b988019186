package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A shape keeps the highest value per bucket and halves its resolution when the capture outgrows its buckets. */
class ShapeTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aShortCaptureKeepsOneBucketPerStepWithEachInstantsValue() {
        Shape.Builder b = new Shape.Builder(10 * S, S);
        b.at(10 * S, 1);
        b.at(12 * S, 5);
        Series s = b.build(13 * S);
        assertEquals(S, s.bucketNanos());
        assertArrayEquals(new long[] {1, 0, 5, 0}, s.values());
    }

    @Test
    void aLongCaptureHalvesTheResolutionKeepingEachPairsHighestValue() {
        Shape.Builder b = new Shape.Builder(0, S);
        for (int i = 0; i < Shape.BUCKETS; i++) b.at(i * S, i);
        b.at(Shape.BUCKETS * S, 1000); // one past the buckets: pairs merge, the width doubles
        Series s = b.build(Shape.BUCKETS * S);
        assertEquals(2 * S, s.bucketNanos());
        assertEquals(Shape.BUCKETS / 2 + 1, s.values().length);
        assertEquals(1, s.values()[0], "max(0, 1)");
        assertEquals(Shape.BUCKETS - 1, s.values()[Shape.BUCKETS / 2 - 1]);
        assertEquals(1000, s.values()[Shape.BUCKETS / 2]);
    }

    @Test
    void aDayAtOneSecondStaysWithinTheBuckets() {
        Shape.Builder b = new Shape.Builder(0, S);
        for (long t = 0; t < 86_400; t += 7) b.at(t * S, t);
        Series s = b.build(86_400 * S);
        assertEquals(true, s.values().length <= Shape.BUCKETS, "buckets: " + s.values().length);
        assertEquals(86_394, java.util.Arrays.stream(s.values()).max().getAsLong(), "the highest value survives merging");
    }
}
