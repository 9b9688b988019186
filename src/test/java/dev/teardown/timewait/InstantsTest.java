package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The instants: multiples of the step from the first at or after the first packet, before 1970 too. */
class InstantsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void instantsStartAtOrAfterTheFirstPacketAndEndAtOrAfterTheLast() {
        Instants at = new Instants(S);
        at.start(-S / 2);   // before 1970: the first instant is 0
        at.start(7 * S);    // once only
        assertEquals(0, at.firstIndex());
        at.advanceHorizon(3 * S + 1);
        assertEquals(4, at.horizonIndex());
        at.advanceHorizon(S);
        assertEquals(4, at.horizonIndex(), "never moves back");
        at.finishAt(9 * S + 1);
        assertEquals(11, at.horizonIndex(), "instants 0..10");
        assertEquals(-1, at.indexAtOrAfter(-3 * S / 2), "a ceiling before 1970 too");
    }

    @Test
    void aChangeIsLateOnlyWhenAnInstantItCountsAtIsFinal() {
        Instants at = new Instants(S);
        at.start(S / 2);                     // first instant 1
        assertFalse(at.isFinal(S / 4), "before the first instant, nothing is final yet");
        at.advanceHorizon(3 * S);            // instants 1, 2 final
        assertTrue(at.isFinal(2 * S));
        assertFalse(at.isFinal(2 * S + 1));
    }
}
