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
    void onTwoCoresWithTheTimeWaitStageTheDefaultIsTheRelayElseAWorkerPerCore() {
        assertEquals(ThreadPlan.relay(), ThreadPlan.byDefault(2, true), "the stage runs beside the tracker");
        assertEquals(ThreadPlan.of(2), ThreadPlan.byDefault(2, false), "rows only: two workers are faster by wall");
        assertEquals(ThreadPlan.of(1), ThreadPlan.byDefault(1, true));
        assertEquals(ThreadPlan.of(1), ThreadPlan.byDefault(1, false));
        assertEquals(ThreadPlan.of(4), ThreadPlan.byDefault(4, true), "not measured on more cores: a worker per core");
    }
}
