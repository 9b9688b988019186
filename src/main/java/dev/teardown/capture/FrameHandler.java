package dev.teardown.capture;

/** Receives frames from a live capture; the frame is valid only during the call. */
@FunctionalInterface
public interface FrameHandler {

    /**
     * Handles one frame; copy anything needed later, since the frame and its bytes are reused or dropped after the
     * call returns. An exception thrown here stops the current {@link LiveCapture#dispatch} and is rethrown by it.
     */
    void onFrame(Frame frame);
}
