package dev.teardown.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatchWatchdogTest {
    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(50);

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDispatchThatRunsPastTheTimeoutIsBrokenOnceWithinOneAndAHalfTimeouts() {
        AtomicInteger breaks = new AtomicInteger();
        long[] brokenAfter = new long[1];
        long start = System.nanoTime();
        try (DispatchWatchdog watchdog = new DispatchWatchdog("test", TIMEOUT, () -> {
            brokenAfter[0] = System.nanoTime() - start;
            breaks.incrementAndGet();
        })) {
            watchdog.started();
            sleep(400);
            watchdog.ended();
        }

        assertEquals(1, breaks.get(), "one long dispatch is broken once");
        // The bound allows a loaded test machine some scheduling slack beyond the 75 ms the design promises.
        assertTrue(brokenAfter[0] >= TIMEOUT && brokenAfter[0] < TimeUnit.MILLISECONDS.toNanos(300),
                "broken after " + brokenAfter[0] / 1_000_000 + " ms");
    }

    @Test
    void dispatchesThatEndBeforeTheTimeoutAreLeftAlone() {
        AtomicInteger breaks = new AtomicInteger();
        try (DispatchWatchdog watchdog = new DispatchWatchdog("test", TimeUnit.MILLISECONDS.toNanos(200),
                breaks::incrementAndGet)) {
            for (int i = 0; i < 20; i++) {
                watchdog.started();
                sleep(10);
                watchdog.ended();
            }
        }

        assertEquals(0, breaks.get());
    }

    @Test
    void noDispatchRunningMeansNothingToBreak() {
        AtomicInteger breaks = new AtomicInteger();
        DispatchWatchdog watchdog = new DispatchWatchdog("test", TIMEOUT, breaks::incrementAndGet);
        sleep(200);
        watchdog.close();

        assertEquals(0, breaks.get());
    }

    @Test
    void closeStopsTheThreadSoNoBreakComesAfterIt() {
        AtomicInteger breaks = new AtomicInteger();
        DispatchWatchdog watchdog = new DispatchWatchdog("test", TIMEOUT, breaks::incrementAndGet);
        watchdog.started();
        watchdog.close();
        sleep(200);

        assertEquals(0, breaks.get());
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("teardown-dispatch-watchdog-test") && t.isAlive()));
    }
}
