package dev.teardown.capture;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog's decision on a stepped clock (no thread, no sleeps), and once with its thread, which is the only
 * part that needs real time: it must run the checks by itself, and stop when closed.
 */
class DispatchWatchdogTest {
    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(100);

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final AtomicInteger breaks = new AtomicInteger();
    private final DispatchWatchdog watchdog = new DispatchWatchdog(TIMEOUT, breaks::incrementAndGet, clock::get);

    @Test
    void aDispatchIsBrokenByTheFirstCheckAtItsTimeoutAndOnlyOnce() {
        watchdog.started();
        clock.addAndGet(TIMEOUT - 1);
        assertFalse(watchdog.check(), "one nanosecond before the timeout");
        assertEquals(0, breaks.get());

        clock.addAndGet(1);
        assertTrue(watchdog.check());
        clock.addAndGet(10 * TIMEOUT);
        assertFalse(watchdog.check(), "a dispatch that goes on after its break is not broken again");
        assertEquals(1, breaks.get());
    }

    @Test
    void dispatchesThatEndBeforeTheTimeoutAreLeftAlone() {
        for (int i = 0; i < 20; i++) {
            watchdog.started();
            clock.addAndGet(TIMEOUT - 1);
            watchdog.check();
            watchdog.ended();
            clock.addAndGet(10 * TIMEOUT);
            watchdog.check();
        }

        assertEquals(0, breaks.get());
    }

    @Test
    void theTimeoutRunsFromTheStartOfTheCurrentDispatchNotAnEarlierOne() {
        watchdog.started();
        clock.addAndGet(TIMEOUT / 2);
        watchdog.ended();
        watchdog.started();
        clock.addAndGet(TIMEOUT / 2);
        assertFalse(watchdog.check(), "a timeout since the first start, half of one since the second");
        clock.addAndGet(TIMEOUT / 2);
        assertTrue(watchdog.check());
    }

    @Test
    void aDispatchStartedWhenTheClockReadsZeroIsStillWatched() {
        clock.set(0); // 0 marks "no dispatch running": the start must not be taken for it
        watchdog.started();
        clock.set(TIMEOUT + 1);
        assertTrue(watchdog.check());
    }

    @Test
    void noDispatchRunningMeansNothingToBreak() {
        clock.addAndGet(100 * TIMEOUT);
        assertFalse(watchdog.check());
        assertEquals(0, breaks.get());
    }

    @Test
    void afterCloseNoCheckBreaks() {
        watchdog.started();
        watchdog.close();
        clock.addAndGet(10 * TIMEOUT);
        assertFalse(watchdog.check());
        assertEquals(0, breaks.get());
    }

    @Test
    void checksComeEveryHalfTimeoutSoABreakFollowsTheTimeoutByHalfATimeoutAtMost() {
        assertEquals(TIMEOUT / 2, watchdog.checkPeriodNanos());
        // A timeout of a microsecond would have the thread spin: it checks every millisecond at most.
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1),
            new DispatchWatchdog(1_000, () -> { }, clock::get).checkPeriodNanos());
    }

    @Test
    void theThreadChecksByItselfAndCloseStopsIt() throws InterruptedException {
        CountDownLatch broken = new CountDownLatch(1);
        DispatchWatchdog threaded = new DispatchWatchdog(TimeUnit.MILLISECONDS.toNanos(2), () -> {
            breaks.incrementAndGet();
            broken.countDown();
        }, clock::get);
        threaded.started();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(1)); // long past the timeout: the thread's first check breaks
        threaded.start("test");
        // A generous bound on a check that comes every millisecond: only a thread that never checks reaches it.
        assertTrue(broken.await(30, TimeUnit.SECONDS), "the thread broke the dispatch without being asked");

        threaded.close();
        assertFalse(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("teardown-dispatch-watchdog-test") && t.isAlive()));
    }
}
