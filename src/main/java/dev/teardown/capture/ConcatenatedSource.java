package dev.teardown.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Several captures read one after another as one stream, such as the ring files {@code tcpdump -C} writes.
 *
 * <p>Each part is opened only when the previous one ends, so a long list of files holds one open at a time.
 */
public final class ConcatenatedSource implements PacketSource {

    /** Opens one part when its turn comes. */
    @FunctionalInterface
    public interface Opener {
        PacketSource open() throws IOException;
    }

    private final Iterator<Opener> pending;
    private final List<String> earlierWarnings = new ArrayList<>();
    private PacketSource current;
    private String currentName;
    private boolean closed;

    /** Opens the first part at once, so that an unreadable first file fails before any reading starts. */
    public ConcatenatedSource(List<Opener> parts) throws IOException {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no captures to read");
        }
        pending = List.copyOf(parts).iterator();
        current = pending.next().open();
        currentName = current.name();
    }

    /** Reads the files in the order given. */
    public static ConcatenatedSource ofFiles(List<Path> paths) throws IOException {
        List<Opener> parts = new ArrayList<>(paths.size());
        for (Path path : paths) {
            parts.add(() -> CaptureFiles.open(path));
        }
        return new ConcatenatedSource(parts);
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        while (current != null) {
            if (current.next(frame)) {
                return true;
            }
            if (!pending.hasNext()) {
                return false;
            }
            retireCurrent();
            current = pending.next().open();
            currentName = current.name();
        }
        return false;
    }

    private void retireCurrent() throws IOException {
        PacketSource finished = current;
        current = null;
        addPrefixed(finished, earlierWarnings);
        finished.close();
    }

    private static void addPrefixed(PacketSource source, List<String> into) {
        for (String warning : source.warnings()) {
            into.add(source.name() + ": " + warning);
        }
    }

    /** The file being read now (the last one once all have been read). */
    @Override
    public String name() { return currentName; }

    /** The warnings of every file read so far, each prefixed with its file name. */
    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>(earlierWarnings);
        if (current != null) {
            addPrefixed(current, all);
        }
        return List.copyOf(all);
    }

    @Override
    public void close() throws IOException {
        // The last part stays referenced after closing, because callers print warnings after close.
        if (current != null && !closed) {
            closed = true;
            current.close();
        }
    }
}
