package dev.teardown.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.teardown.Sides;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The goaway column's text. */
class H2OutcomeTest {
    private static H2Outcome goaway(Sides from, int last, long error) {
        return new H2Outcome(1, 0, 1, 0, from, last, error, 0, Set.of());
    }

    @Test
    void theFirstGoawayReadsSideLastStreamAndErrorName() {
        assertEquals("server:3:NO_ERROR", goaway(Sides.SERVER, 3, 0).goaway());
        assertEquals("client:0:PROTOCOL_ERROR", goaway(Sides.CLIENT, 0, 1).goaway());
        assertEquals("server:2147483647:HTTP_1_1_REQUIRED", goaway(Sides.SERVER, Integer.MAX_VALUE, 0xd).goaway());
        assertEquals("server:5:0xe", goaway(Sides.SERVER, 5, 0xe).goaway(), "a code the RFC does not define");
        assertEquals("server:?:?", goaway(Sides.SERVER, -1, -1).goaway(), "fields the capture lost");
        assertEquals("", goaway(Sides.NONE, -1, -1).goaway());
    }
}
