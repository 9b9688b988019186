package dev.teardown.capture;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Writes frames to one pcap file or, like tcpdump's {@code -w FILE -C MB -G SECONDS -W N}, to a series of them, so
 * that a capture can run for weeks; {@code teardown analyze} reads the series as one capture, in order.
 *
 * <ul>
 * <li>{@code -C}: before a frame is written, a file already larger than the size is closed and the next opened:
 *     {@code FILE}, {@code FILE1}, {@code FILE2} ... With {@code -W N} the names are {@code FILE0} to
 *     {@code FILE<N-1>}, zero-padded to one width, and the ring starts again at {@code FILE0}, overwriting it.
 * <li>{@code -G}: a new file for every {@code SECONDS} of packet time, at whole multiples of it since 1970 (files of
 *     {@code -G 3600} begin on the hour), named by FILE's strftime conversions ({@link Strftime}, UTC) at the start
 *     of its span; with {@code -C} too, a span's later files take {@code 1}, {@code 2} ... after the name. With
 *     {@code -W N} only the N newest files are kept: the oldest this writer made is deleted (tcpdump stops instead).
 * </ul>
 *
 * <p>Rotation follows packet time, never the wall clock, so the same frames give the same files. A frame stamped
 * earlier than its file's span (clocks of different CPUs) stays in the current file. Memory: the names of at most
 * {@code N} files kept, with {@code -G -W N}.
 */
public final class PcapRing implements Closeable {
    /**
     * When to start a new file.
     *
     * @param maxBytes a file larger than this gets no more frames ({@code -C}); 0 for no limit
     * @param seconds the span of packet time a file covers ({@code -G}); 0 for no limit
     * @param files how many files to keep ({@code -W}); 0 for no limit
     */
    public record Policy(long maxBytes, long seconds, int files) {
        /** One file, never rotated. */
        public static final Policy NONE = new Policy(0, 0, 0);

        public Policy {
            if (maxBytes < 0 || seconds < 0 || files < 0) {
                throw new IllegalArgumentException("negative rotation: " + maxBytes + " bytes, " + seconds + " s, " + files);
            }
        }
    }

    private final String name;
    private final int linkType;
    private final int snaplen;
    private final boolean nanosecond;
    private final Policy policy;
    /** Digits of the ring's numbers with -C -W (tcpdump pads them to the width of N - 1); 0 otherwise. */
    private final int width;
    private final Deque<Path> kept = new ArrayDeque<>();
    private PcapFileWriter writer;
    private Path current;
    private long bytes;
    /** Files opened so far with -C in this span (or in all, without -G). */
    private long count;
    /** The -G span of the current file: packet time divided by the span. */
    private long span = Long.MIN_VALUE;

    /**
     * A writer of frames of {@code linkType}, {@code snaplen} and time resolution to {@code name} as {@code policy}
     * says. Without {@code -G} the first file is created now; with it, at the first frame (its name needs a time).
     *
     * @throws IllegalArgumentException when {@code -G} is given and {@code name} has no time conversion (each file
     *     would overwrite the one before), or has one {@link Strftime} does not know
     */
    public PcapRing(String name, int linkType, int snaplen, boolean nanosecond, Policy policy) throws IOException {
        this.name = name;
        this.linkType = linkType;
        this.snaplen = snaplen;
        this.nanosecond = nanosecond;
        this.policy = policy;
        this.width = policy.files() > 0 && policy.seconds() == 0 && policy.maxBytes() > 0
            ? Long.toString(Math.max(1, policy.files() - 1)).length() : 0;
        if (policy.seconds() > 0) {
            if (!Strftime.hasTime(name)) {
                throw new IllegalArgumentException("-G needs a time in the file name (strftime, e.g. "
                    + "traffic-%Y%m%d-%H%M%S.pcap): else each file would overwrite the one before");
            }
            Strftime.format(name, 0); // rejects an unknown conversion before anything is captured
        } else {
            open(fileName(name));
        }
    }

    /** The file written now, or null before the first frame of a {@code -G} series. */
    public Path current() {
        return current;
    }

    /** Writes {@code frame}, first moving to the next file when the policy says so. */
    public void write(Frame frame) throws IOException {
        if (policy.seconds() > 0) {
            long s = Math.floorDiv(Math.floorDiv(frame.timeNanos(), TimestampResolution.NANOS_PER_SECOND), policy.seconds());
            if (s > span) {
                span = s;
                count = 0;
                open(fileName(Strftime.format(name, s * policy.seconds())));
            }
        }
        if (policy.maxBytes() > 0 && bytes > policy.maxBytes()) {
            count++;
            open(fileName(policy.seconds() > 0 ? Strftime.format(name, span * policy.seconds()) : name));
        }
        writer.write(frame);
        bytes += PcapReader.RECORD_HEADER_LENGTH + frame.capturedLength();
    }

    /** Pushes what was written to the current file. */
    public void flush() throws IOException {
        if (writer != null) writer.flush();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) writer.close();
    }

    /** The name of the file numbered {@link #count} after {@code base}, as tcpdump's MakeFilename makes it. */
    private String fileName(String base) {
        if (width > 0) return base + String.format(Locale.ROOT, "%0" + width + "d", count % policy.files());
        return count == 0 ? base : base + count;
    }

    private void open(String file) throws IOException {
        close();
        writer = null;
        Path path = Path.of(file);
        writer = new PcapFileWriter(path, linkType, snaplen, nanosecond);
        current = path;
        bytes = PcapReader.FILE_HEADER_LENGTH;
        if (policy.seconds() > 0 && policy.files() > 0) {
            kept.remove(path);
            kept.addLast(path);
            while (kept.size() > policy.files()) Files.deleteIfExists(kept.removeFirst());
        }
    }
}
