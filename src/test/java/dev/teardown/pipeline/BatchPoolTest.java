package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Batches are made when the reading thread first needs them, never more than the bound, and reused after. */
class BatchPoolTest {
    @Test
    void noBatchIsMadeBeforeOneIsTakenAndOneGivenBackIsReusedInsteadOfMakingAnother() {
        BatchPool pool = new BatchPool(8, () -> new Batch(0, true));
        assertEquals(0, pool.made(), "nothing made up front");
        Batch first = pool.take();
        assertEquals(1, pool.made());
        pool.free.add(first);
        assertSame(first, pool.take(), "the batch given back");
        assertEquals(1, pool.made(), "a small capture needs no more");
        Batch second = pool.take();
        assertNotSame(first, second, "none free: a new one");
        assertEquals(2, pool.made());
    }

    @Test
    void atTheBoundTheReaderWaitsForABatchGivenBackAndMakesNoMore() throws Exception {
        BatchPool pool = new BatchPool(2, () -> new Batch(0, true));
        Batch a = pool.take();
        pool.take();
        CompletableFuture<Batch> waiting = CompletableFuture.supplyAsync(pool::take);
        try {
            waiting.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("took a third batch beyond the bound");
        } catch (TimeoutException expected) {
            // still waiting, as it should
        }
        pool.free.add(a);
        assertSame(a, waiting.get(10, TimeUnit.SECONDS));
        assertEquals(2, pool.made());
        assertTrue(pool.free.isEmpty());
    }
}
