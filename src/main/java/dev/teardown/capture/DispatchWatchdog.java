package dev.teardown.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Breaks a live capture's dispatch that has run for its read timeout, so that dispatch returns on a quiet interface.
 *
 * <p>libpcap 1.10 on Linux does not return from {@code pcap_dispatch} when the read timeout passes without packets:
 * it polls again (TPACKET_V2, immediate mode) or waits for the kernel to fill a block (TPACKET_V3). The documented
 * way out is {@code pcap_breakloop}, which since 1.10 also wakes the poll. One daemon thread per capture
 * {@linkplain #check() checks} every half timeout, so a dispatch returns within one and a half timeouts.
 *
 * <p>The decision reads an injected monotonic clock; only the thread's pace is real time.
 */
final class DispatchWatchdog implements AutoCloseable {
    private final Runnable breakLoop;
    private final long timeoutNanos;
    private final LongSupplier clock;
    /** The clock's reading when the running dispatch started; 0 when none runs or it was broken already. */
    private final AtomicLong dispatchStarted = new AtomicLong();
    private volatile boolean closed;
    private volatile Thread thread;

    /** Starts the watchdog thread on {@link System#nanoTime()}; {@code breakLoop} must be safe to call from it. */
    DispatchWatchdog(String name, long timeoutNanos, Runnable breakLoop) {
        this(timeoutNanos, breakLoop, System::nanoTime);
        start(name);
    }

    /** A watchdog reading {@code clock}, whose checks run only through {@link #check()} until {@link #start}. */
    DispatchWatchdog(long timeoutNanos, Runnable breakLoop, LongSupplier clock) {
        this.breakLoop = breakLoop;
        this.timeoutNanos = timeoutNanos;
        this.clock = clock;
    }

    /** Starts the thread that calls {@link #check()} every {@link #checkPeriodNanos()} of real time. */
    void start(String name) {
        if (thread != null) {
            throw new IllegalStateException("watchdog already started");
        }
        thread = new Thread(this::watch, "teardown-dispatch-watchdog-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** How often the thread checks: half the timeout, so a check falls within half a timeout of the deadline. */
    long checkPeriodNanos() {
        return Math.max(timeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(1));
    }

    /** Marks the start of a dispatch; a {@link #check()} breaks it once it has run for the timeout. */
    void started() {
        // The clock can read 0 in principle; 1 ns later changes nothing.
        long now = clock.getAsLong();
        dispatchStarted.set(now == 0 ? 1 : now);
    }

    /** Marks the end of a dispatch. */
    void ended() {
        dispatchStarted.set(0);
    }

    /** Breaks the running dispatch if it has run for the timeout and was not broken yet; returns whether it did. */
    boolean check() {
        long started = dispatchStarted.get();
        // Clearing breaks one long dispatch once, not on every check; the compare leaves a newer one alone.
        if (started != 0 && clock.getAsLong() - started >= timeoutNanos && !closed
                && dispatchStarted.compareAndSet(started, 0)) {
            breakLoop.run();
            return true;
        }
        return false;
    }

    private void watch() {
        long period = checkPeriodNanos();
        while (!closed) {
            LockSupport.parkNanos(this, period);
            check();
        }
    }

    /** Stops the thread and waits for it, so that it calls {@code breakLoop} no more. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        LockSupport.unpark(t);
        if (Thread.currentThread() != t) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
