package dev.teardown.cli;

import dev.teardown.capture.Frame;
import dev.teardown.capture.PcapRing;
import dev.teardown.pipeline.LiveRun;
import java.io.IOException;

/** The {@code --write} files: a failed write stops the capture, and is named in the one-line error. */
final class PcapTee implements LiveRun.Tee {
    private final String name;
    private final PcapRing ring;
    private String failure;

    PcapTee(String name, PcapRing ring) {
        this.name = name;
        this.ring = ring;
    }

    @Override
    public void write(Frame frame) {
        if (failure != null) return;
        try {
            ring.write(frame);
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void flush() {
        if (failure != null) return;
        try {
            ring.flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    /** The first failure as a one-line message, or null. */
    String failure() {
        return failure;
    }

    void close() {
        try {
            ring.close();
        } catch (IOException e) {
            if (failure == null) failed(e);
        }
    }

    private void failed(IOException e) {
        failure = "writing " + Outputs.describe(ring.current() == null ? name : ring.current().toString(), e);
    }
}
