package dev.teardown.cli;

/** Routes SIGINT and SIGTERM to an action instead of the JVM's default exit, where the JVM allows it. */
final class Signals {
    private Signals() {}

    /** Runs {@code action} on SIGINT or SIGTERM; returns false where signals cannot be handled (then the JVM exits). */
    @SuppressWarnings("removal")
    static boolean onInterruptAndTerminate(Runnable action) {
        try {
            for (String name : new String[] {"INT", "TERM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
            }
            return true;
        } catch (IllegalArgumentException | LinkageError e) {
            return false;
        }
    }
}
