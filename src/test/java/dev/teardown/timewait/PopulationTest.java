package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A population sampled at instants: counted where {@code from <= t < to}, summed only once final. */
class PopulationTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anIntervalCountsAtTheInstantsFromItsStartToJustBeforeItsEnd() {
        Instants at = new Instants(S);
        at.start(0);
        Population p = new Population(at);
        p.add(S / 2, 3 * S);         // instants 1, 2
        p.add(2 * S, 5 * S + 1);     // instants 2, 3, 4, 5
        p.add(6 * S + 1, 6 * S + 9); // between two instants: never counted
        at.finishAt(10 * S);          // instants 0..10
        p.sweep();
        assertEquals(2, p.peak());
        assertEquals(6, p.sum());
        assertTrue(p.empty());
    }

    @Test
    void onlyFinalInstantsAreSummedAndALateStartMovesToTheHorizon() {
        Instants at = new Instants(S);
        at.start(0);
        Population p = new Population(at);
        p.add(S, 4 * S);
        at.advanceHorizon(3 * S);  // instants 0, 1, 2 final
        p.sweep();
        assertEquals(2, p.sum());
        assertFalse(p.empty());
        p.add(0, 4 * S);            // too late for 0..2: counted from 3 on
        at.finishAt(5 * S);
        p.sweep();
        assertEquals(2 + 2, p.sum());
        assertEquals(2, p.peak());
    }

    @Test
    void intervalsReachingPastTheRingAtAFineStepWaitAndCountAsAtACoarseOne() {
        // A millisecond step: a 60 s interval spans 60,000 instants, a 200 s one more than the ring's 65,536.
        long ms = 1_000_000L;
        Instants at = new Instants(ms);
        at.start(0);
        Population p = new Population(at);
        p.add(0, 60 * S);
        p.add(10 * S, 210 * S);
        p.add(100 * S, 101 * S);
        at.finishAt(300 * S);
        p.sweep();
        assertEquals(2, p.peak(), "the first two overlap from 10 s to 60 s, the last two at 100 s");
        assertEquals(60_000 + 200_000 + 1_000, p.sum());
        assertTrue(p.empty());
    }

    @Test
    void theRingGrowsWithTheChangesWaitingAndKeepsThemInPlace() {
        Instants at = new Instants(S);
        at.start(0);
        Population p = new Population(at);
        for (int i = 0; i < 100; i++) p.add(i * S, (i + 60) * S); // starts 0..99, each 60 instants
        at.advanceHorizon(50 * S);
        p.sweep();
        for (int i = 100; i < 200; i++) p.add(i * S, (i + 60) * S);
        at.finishAt(400 * S);
        p.sweep();
        assertEquals(60, p.peak());
        assertEquals(200 * 60, p.sum());
    }
}
