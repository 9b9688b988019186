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
 *
 * <p>Parts are meant to follow each other in time. A part with packets older than the newest packet of the
 * parts before it (the same file given twice, files out of order, captures of two interfaces) would be
 * analysed as retransmissions and reused tuples: it gets one warning with its count, so the numbers that
 * follow are not trusted blindly.
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
    /** The newest packet time of the parts before the current one; UNSET before the second part. */
    private long earlierPartsNewest = PacketTime.UNSET;
    /** The newest packet time of the current part. */
    private long currentNewest = PacketTime.UNSET;
    /** Packets of the current part older than {@link #earlierPartsNewest}, and the first of them. */
    private long currentOlder;
    private long firstOlderNanos;
    /** Bytes read from the parts before the current one. */
    private long earlierPartsBytes;

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
                long t = frame.timeNanos();
                if (t > currentNewest) currentNewest = t;
                if (t < earlierPartsNewest && currentOlder++ == 0) firstOlderNanos = t;
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
        String overlap = overlapWarning(finished);
        if (overlap != null) earlierWarnings.add(overlap);
        if (currentNewest > earlierPartsNewest) earlierPartsNewest = currentNewest;
        earlierPartsBytes += finished.bytesRead();
        currentNewest = PacketTime.UNSET;
        currentOlder = 0;
        finished.close();
    }

    /** ISO-8601 UTC, for a warning (java.time: once per warning, never per packet). */
    private static String iso(long nanos) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
            .toString();
    }

    /** The warning for a part whose packets go back in time, or null. */
    private String overlapWarning(PacketSource part) {
        if (currentOlder == 0) return null;
        return overlapWarning(part.name(), currentOlder, firstOlderNanos, earlierPartsNewest);
    }

    /**
     * The warning for part {@code name}, {@code older} of whose packets (the first at {@code firstOlderNanos}) are
     * older than {@code earlierNewest}, the newest packet of the parts before it: also for a reader of the parts in
     * other processes (a sharded run), which must say the same.
     */
    public static String overlapWarning(String name, long older, long firstOlderNanos, long earlierNewest) {
        return String.format(java.util.Locale.ROOT,
            "%s: %,d packets are older than the files before it (from %s; they end at %s): the files overlap or are "
                + "out of order, so closes and tuple reuse across them are suspect; --separate reads each on its own",
            name, older, iso(firstOlderNanos), iso(earlierNewest));
    }

    private static void addPrefixed(PacketSource source, List<String> into) {
        for (String warning : source.warnings()) {
            into.add(source.name() + ": " + warning);
        }
    }

    /** Bytes read from every part so far, summed. */
    @Override
    public long bytesRead() {
        return earlierPartsBytes + (current != null ? current.bytesRead() : 0);
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
            String overlap = overlapWarning(current);
            if (overlap != null) all.add(overlap);
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
