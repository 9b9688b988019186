package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Courses keep the busiest keys within their capacity, and a key forgotten starts again when it comes back. */
class CoursesTest {
    private static final long S = 1_000_000_000L;

    private static long[] serverHeld(long n) {
        long[] v = new long[Count.values().length];
        v[Count.TIME_WAIT_SERVER.ordinal()] = n;
        return v;
    }

    private static Map<String, Long> entered(Courses<String> c) {
        return c.ranked().stream().collect(Collectors.toMap(e -> e.key, e -> e.tally(Courses.Tally.ENTERED_SERVER)));
    }

    @Test
    void aKeyForgottenRightAfterItsLastTallyStartsAgainWhenItComesBack() {
        Courses<String> c = new Courses<>(1, false, S);
        c.start(0);
        c.tally("b", Courses.Tally.ENTERED_SERVER, 1);
        c.row(S, "b", serverHeld(3), false);
        c.row(S, "a", serverHeld(1), false);
        c.tally("a", Courses.Tally.ENTERED_SERVER, 1);
        c.retired("a"); // idle, lowest peak, over capacity: forgotten
        assertEquals(1, c.forgotten());
        c.tally("a", Courses.Tally.ENTERED_SERVER, 5);
        assertEquals(Map.of("a", 5L, "b", 1L), entered(c));
    }
}
