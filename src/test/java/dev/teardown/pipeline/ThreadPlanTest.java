package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The threads a run uses: what a number given means, and the default for each machine and output. */
class ThreadPlanTest {
    @Test
    void aNumberGivenIsOneThreadForOneAndThatManyWorkersAboveUpToTheMost() {
        assertEquals(new ThreadPlan(ThreadPlan.Kind.ONE, 1), ThreadPlan.of(1));
        assertEquals(new ThreadPlan(ThreadPlan.Kind.WORKERS, 2), ThreadPlan.of(2));
        assertEquals(new ThreadPlan(ThreadPlan.Kind.WORKERS, Analysis.MAX_THREADS), ThreadPlan.of(1000));
        assertThrows(IllegalArgumentException.class, () -> ThreadPlan.of(0));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPlan(ThreadPlan.Kind.RELAY, 2));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPlan(ThreadPlan.Kind.WORKERS, 1));
    }

    @Test
    void onTwoCoresTheDefaultIsTheRelayElseAWorkerPerCore() {
        assertEquals(ThreadPlan.relay(), ThreadPlan.byDefault(2), "faster by wall than two workers, for less CPU");
        assertEquals(ThreadPlan.of(1), ThreadPlan.byDefault(1));
        assertEquals(ThreadPlan.of(3), ThreadPlan.byDefault(3), "not measured on more cores: a worker per core");
        assertEquals(ThreadPlan.of(4), ThreadPlan.byDefault(4));
    }
}
