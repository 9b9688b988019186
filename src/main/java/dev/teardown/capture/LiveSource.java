package dev.teardown.capture;

/**
 * A live packet source as the live loop drives it: {@link LiveCapture} on an interface, or a scripted source in
 * tests.
 *
 * <p>Threads: {@link #dispatch} from one thread; {@link #breakLoop} from any thread (a signal handler, a shutdown
 * hook, or the handler itself).
 */
public interface LiveSource {

    /**
     * Delivers the packets that have arrived, returning after about one read timeout on a quiet interface, or
     * as soon as {@link #breakLoop} is called (then after the frame being handled: the rest stay for the next call).
     *
     * @return how many packets were delivered
     * @throws LiveCaptureException when the capture fails, for instance because the interface went down
     */
    int dispatch(FrameHandler handler) throws LiveCaptureException;

    /** Makes a running {@link #dispatch} return promptly, or the next one at once; safe from any thread. */
    void breakLoop();

    /** The capture's own counters so far (libpcap's received and dropped packets). */
    LiveCapture.Stats stats();
}
