package dev.teardown.capture;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A live source that plays a script instead of an interface, as libpcap behaves: each {@link #dispatch} runs the
 * next step (which moves a test clock, lets frames arrive, fails, or stops the run), then delivers the frames
 * waiting, one at a time; a {@link #breakLoop} ends the dispatch after the frame being handled, leaving the rest
 * waiting, or makes the next dispatch return at once. A dispatch past the end of the script fails the test.
 */
public final class ScriptedLiveSource implements LiveSource {
    /** What happens while one dispatch waits for packets. */
    @FunctionalInterface
    public interface Step {
        void run(ScriptedLiveSource source) throws LiveCaptureException;
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final Deque<Frame> waiting = new ArrayDeque<>();
    private volatile boolean broken;
    private int dispatches;
    private long arrived;

    /** Adds steps to the script, one per dispatch. */
    public ScriptedLiveSource then(Step... more) {
        steps.addAll(Arrays.asList(more));
        return this;
    }

    /** Copies of {@code frames} arrive, to be delivered by this dispatch and the next ones. */
    public void arrive(Frame... frames) {
        for (Frame f : frames) {
            byte[] data = Arrays.copyOfRange(f.data(), f.offset(), f.offset() + f.capturedLength());
            Frame copy = new Frame();
            copy.set(data, 0, data.length, f.originalLength(), f.timeNanos(), f.linkType(), arrived++);
            waiting.add(copy);
        }
    }

    /** The failure libpcap reports when the interface goes down. */
    public static LiveCaptureException interfaceWentDown(String device) {
        return LiveCaptureException.deviceDown(device);
    }

    @Override
    public int dispatch(FrameHandler handler) throws LiveCaptureException {
        if (steps.isEmpty()) {
            throw new AssertionError("dispatch " + (dispatches + 1) + " is past the end of the script");
        }
        dispatches++;
        steps.poll().run(this);
        int delivered = 0;
        while (!broken && !waiting.isEmpty()) {
            handler.onFrame(waiting.poll());
            delivered++;
        }
        broken = false; // pcap_dispatch clears the flag as it returns
        return delivered;
    }

    @Override
    public void breakLoop() {
        broken = true;
    }

    /** Every frame that arrived counts as received, as libpcap counts those the filter passed. */
    @Override
    public LiveCapture.Stats stats() {
        return new LiveCapture.Stats(arrived, 0, 0);
    }

    /** Dispatches so far. */
    public int dispatches() {
        return dispatches;
    }

    /** Frames that arrived but were not delivered. */
    public int waiting() {
        return waiting.size();
    }

    /** Steps not played yet. */
    public List<Step> unplayed() {
        return new ArrayList<>(steps);
    }
}
