package dev.teardown.cli;

import dev.teardown.pipeline.ReadProgress;
import dev.teardown.report.Safe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on standard error while files are read, redrawn in place with a carriage
 * return and cleared before anything else is written there.
 *
 * <p>The wall clock paces redraws only (at most one per {@link #REDRAW_NANOS}, looked at once per
 * {@link #PACKETS_PER_LOOK} packets); it never reaches an output file. Memory: one line.
 */
final class Progress implements ReadProgress {
    static final int PACKETS_PER_LOOK = 1 << 16;
    static final long REDRAW_NANOS = 250_000_000L;
    /** Where Linux shows what file descriptor 2 is open on. */
    static final Path STDERR_LINK = Path.of("/proc/self/fd/2");
    private static final int DEFAULT_WIDTH = 80;
    /** The fewest characters of a file name kept when the line is too wide. */
    static final int MIN_NAME = 24;
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private final PrintWriter err;
    private final LongSupplier clock;
    private final int packetsPerLook;
    private final long redrawNanos;
    private final List<String> files;
    private final int firstIndex;
    private final int fileCount;
    private final long total;
    private final int width;
    private final long start;
    private long lastDraw;
    private int shown;
    private String lastFile;
    private int fileIndex;

    /**
     * A display for reading {@code files} (numbered from {@code firstIndex} of {@code fileCount} given on
     * the command line), whose sizes sum to {@code total} (negative: unknown).
     */
    Progress(PrintWriter err, LongSupplier clock, int packetsPerLook, long redrawNanos, List<String> files,
             int firstIndex, int fileCount, long total, int width) {
        this.err = err;
        this.clock = clock;
        this.packetsPerLook = packetsPerLook;
        this.redrawNanos = redrawNanos;
        this.files = List.copyOf(files);
        this.firstIndex = firstIndex;
        this.fileCount = fileCount;
        this.total = total;
        this.width = width;
        this.start = clock.getAsLong();
        this.lastDraw = start;
    }

    /** Whether to show progress: never with -q; else as forced by --progress/--no-progress; else if a terminal. */
    static boolean enabled(Boolean forced, boolean quiet, boolean stderrIsTerminal) {
        if (quiet) return false;
        return forced != null ? forced : stderrIsTerminal;
    }

    /** Whether standard error is a terminal that redraws ({@code TERM=dumb} says it does not). */
    static boolean stderrIsTerminal() {
        return !"dumb".equals(System.getenv("TERM")) && isTerminal(STDERR_LINK);
    }

    /**
     * Whether {@code fdLink} (normally {@link #STDERR_LINK}) leads to a terminal device. System.console()
     * cannot tell: it looks at standard input and output, not error. Anywhere /proc is missing (not Linux)
     * the answer is no, and --progress forces it.
     */
    static boolean isTerminal(Path fdLink) {
        try {
            String target = Files.readSymbolicLink(fdLink).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The terminal's width from $COLUMNS when the shell exports it, else 80. */
    static int width(String columns) {
        try {
            int w = columns == null ? DEFAULT_WIDTH : Integer.parseInt(columns.trim());
            return w >= 20 ? w : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    @Override
    public int packetsBetweenCalls() { return packetsPerLook; }

    @Override
    public void reached(long bytesRead, long packets, int connectionsHeld, long connectionsWritten, String file) {
        long now = clock.getAsLong();
        if (now - lastDraw < redrawNanos) return;
        lastDraw = now;
        if (file != lastFile) {
            lastFile = file;
            int i = files.indexOf(file);
            fileIndex = i < 0 ? 0 : i;
        }
        String text = line(bytesRead, total, packets, now - start, connectionsHeld, connectionsWritten,
            firstIndex + fileIndex + 1, fileCount, file, width - 1);
        // Spaces over what is left of a longer line before: no terminal escape needed.
        err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        err.flush();
        shown = text.length();
    }

    /** Wipes the line, so that what is printed next starts at the left of an empty line. */
    void clear() {
        if (shown == 0) return;
        err.print("\r" + " ".repeat(shown) + "\r");
        err.flush();
        shown = 0;
    }

    /**
     * The line shown, most telling first so that a cut at the terminal's width loses the least: which file
     * (cut from the left, at least {@link #MIN_NAME} characters kept), percent and bytes of the total (bytes
     * alone when the total is unknown), time left at the rate so far, time elapsed, packets per second,
     * connections held and written; at most {@code maxLength} characters.
     */
    static String line(long bytes, long total, long packets, long elapsedNanos, int held, long written,
                       int fileIndex, int fileCount, String file, int maxLength) {
        StringBuilder b = new StringBuilder(120);
        boolean known = total > 0;
        if (known) {
            double percent = Math.min(100.0, bytes * 100.0 / total);
            b.append(String.format(Locale.ROOT, "%.1f%% %s/%s", percent, size(bytes), size(total)));
            if (bytes > 0) {
                double left = bytes >= total ? 0 : (double) elapsedNanos * (total - bytes) / bytes;
                b.append(" ETA ").append(duration((long) Math.min(left, Long.MAX_VALUE)));
            }
        } else {
            b.append(size(bytes));
        }
        long rate = elapsedNanos > 0 ? (long) (packets * 1e9 / elapsedNanos) : 0;
        b.append(String.format(Locale.ROOT, " elapsed %s, %,d packets/s, %,d held, %,d written",
            duration(elapsedNanos), rate, held, written));
        String prefix = fileCount > 1 ? fileIndex + "/" + fileCount + " " : "";
        String name = Safe.text(file == null ? "" : file);
        int room = Math.max(MIN_NAME, maxLength - prefix.length() - b.length() - 2);
        if (name.length() > room) name = "..." + name.substring(name.length() - (room - 3));
        String line = prefix + name + ": " + b;
        return line.length() > maxLength ? line.substring(0, Math.max(0, maxLength)) : line;
    }

    /** Bytes in binary units, one decimal past bytes. */
    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        int unit = 0;
        double v = bytes;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String duration(long nanos) {
        long s = Math.max(0, nanos) / 1_000_000_000L;
        long h = s / 3600;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, s / 60 % 60, s % 60)
            : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
