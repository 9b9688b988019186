package dev.teardown.capture;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Breaks a live capture's dispatch that has run for its read timeout, so that dispatch returns on a quiet interface.
 *
 * <p>libpcap 1.10 on Linux does not return from {@code pcap_dispatch} when the read timeout passes without packets:
 * it polls again (TPACKET_V2, immediate mode) or waits for the kernel to fill a block (TPACKET_V3). The documented
 * way out is {@code pcap_breakloop}, which since 1.10 also wakes the poll. One daemon thread per capture checks
 * twice per timeout, so a dispatch returns within one and a half timeouts.
 */
final class DispatchWatchdog implements AutoCloseable {
    private final Runnable breakLoop;
    private final long timeoutNanos;
    private final Thread thread;
    /** {@link System#nanoTime()} when the running dispatch started; 0 when none runs or it was broken already. */
    private final AtomicLong dispatchStarted = new AtomicLong();
    private volatile boolean closed;

    /** Starts the watchdog thread; {@code breakLoop} must be safe to call from it at any time. */
    DispatchWatchdog(String name, long timeoutNanos, Runnable breakLoop) {
        this.breakLoop = breakLoop;
        this.timeoutNanos = timeoutNanos;
        this.thread = new Thread(this::watch, "teardown-dispatch-watchdog-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Marks the start of a dispatch; the watchdog breaks it once it has run for the timeout. */
    void started() {
        // nanoTime can be 0 in principle; 1 ns later changes nothing.
        long now = System.nanoTime();
        dispatchStarted.set(now == 0 ? 1 : now);
    }

    /** Marks the end of a dispatch. */
    void ended() {
        dispatchStarted.set(0);
    }

    private void watch() {
        long period = Math.max(timeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(1));
        while (!closed) {
            LockSupport.parkNanos(this, period);
            long started = dispatchStarted.get();
            // Clearing breaks one long dispatch once, not on every check; the compare leaves a newer one alone.
            if (started != 0 && System.nanoTime() - started >= timeoutNanos && !closed
                    && dispatchStarted.compareAndSet(started, 0)) {
                breakLoop.run();
            }
        }
    }

    /** Stops the thread and waits for it, so that it calls {@code breakLoop} no more. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
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
