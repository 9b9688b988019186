package dev.teardown.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes SIGINT and SIGTERM to an action instead of the JVM's default exit, where the JVM allows it: the
 * first one runs the action (stop and write everything); a second one exits at once, as users expect of a
 * second Ctrl-C when the first is taking too long.
 */
final class Signals implements AutoCloseable {
    /** Exit status after a second signal: 128 + SIGINT, the shell's convention. */
    static final int SECOND_SIGNAL_EXIT = 130;

    private record Installed(sun.misc.Signal signal, sun.misc.SignalHandler previous) {}

    private final List<Installed> installed = new ArrayList<>();

    private Signals() {}

    /**
     * Runs {@code action} on the first SIGINT or SIGTERM and halts on the second; {@link #close()} puts the
     * previous handlers back. Where signals cannot be handled (a JVM without sun.misc.Signal, or a signal
     * ignored since start, as for a background job's SIGINT) nothing changes for that signal.
     */
    static Signals onInterruptAndTerminate(Runnable action, Runnable onSecond) {
        Signals s = new Signals();
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, sig -> {
                    if (received.incrementAndGet() == 1) {
                        action.run();
                    } else {
                        onSecond.run();
                        Runtime.getRuntime().halt(SECOND_SIGNAL_EXIT);
                    }
                });
                s.installed.add(new Installed(signal, old));
            } catch (IllegalArgumentException | LinkageError e) {
                // This signal stays as it was.
            }
        }
        return s;
    }

    /** Puts the handlers that were there before back. */
    @Override
    public void close() {
        for (Installed i : installed) {
            try {
                sun.misc.Signal.handle(i.signal(), i.previous());
            } catch (IllegalArgumentException e) {
                // Cannot happen for a signal handled before; nothing to restore then.
            }
        }
        installed.clear();
    }
}
