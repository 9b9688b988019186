package dev.teardown.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One file an output goes to, and how it is written: to a temporary file beside the target, renamed over
 * it once everything is written, so that the target never holds half a run; or straight to the target when
 * it cannot be replaced by a rename (a terminal, a pipe, {@code /dev/null}, {@code /dev/stdout}) or when
 * rows must appear in it as they are written ({@code live}, for {@code tail -f}).
 *
 * <p>Also the identity of paths: {@link #sameFile} tells whether two spellings reach one file, also through
 * symbolic and hard links, and for files that do not exist yet.
 */
final class OutputFile {
    /** Symbolic links followed before giving up, as Linux's MAXSYMLINKS. */
    private static final int MAX_LINKS = 40;

    private final String name;
    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private boolean done;

    private OutputFile(String name, Path target, Path temp, OutputStream stream) {
        this.name = name;
        this.target = target;
        this.temp = temp;
        this.stream = stream;
    }

    /**
     * Opens the output {@code name}. With {@code replaceAtEnd}, a regular file (or a file that does not exist
     * yet) is written to a temporary file in the same directory, which {@link #commit} renames over it;
     * anything else, and every file without {@code replaceAtEnd}, is opened (created, truncated) directly.
     */
    static OutputFile open(String name, boolean replaceAtEnd) throws IOException {
        Path given = Path.of(name);
        Path target = resolve(given);
        if (replaceAtEnd && replaceable(given)) {
            Path dir = target.getParent();
            for (int attempt = 0; ; attempt++) {
                Path temp = dir.resolve(target.getFileName() + ".teardown-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".tmp");
                try {
                    OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    keepPermissions(target, temp);
                    return new OutputFile(name, target, temp, out);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) throw e;
                } catch (AccessDeniedException e) {
                    // A directory we may not create files in, holding a file we may write: write it in place.
                    if (!Files.isWritable(target)) throw new AccessDeniedException(name);
                    break;
                }
            }
        }
        return new OutputFile(name, target, null, Files.newOutputStream(given));
    }

    /** The stream to write to (the temporary file, or the target itself). */
    OutputStream stream() {
        return stream;
    }

    /** The temporary file being written, or null when writing straight to the target. */
    Path temporary() {
        return temp;
    }

    /**
     * Closes the stream (the caller has flushed it) and renames the temporary file over the target:
     * atomically where the file system can, else by replacing it. On a failure the temporary file is deleted
     * and the target left as it was.
     */
    void commit() throws IOException {
        if (done) return;
        done = true;
        try {
            stream.close();
            if (temp == null) return;
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteTemporary();
            throw e;
        }
    }

    /** Closes the stream and deletes the temporary file, leaving the target as it was; never throws. */
    void discard() {
        if (done) return;
        done = true;
        try {
            stream.close();
        } catch (IOException e) {
            // Being thrown away anyway.
        }
        deleteTemporary();
    }

    /** Deletes the temporary file, if any, now; safe to call from another thread (a second Ctrl-C). */
    void deleteTemporary() {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing better to do on the way out; the name says what it is.
        }
    }

    /** The output's name as given, for messages. */
    String name() {
        return name;
    }

    /**
     * Whether {@code a} and {@code b} reach the same file: one inode (hard links, symbolic links, other
     * spellings) when both exist, else the same resolved path ({@code a.csv} and {@code ./a.csv}, or a
     * dangling link and the file it names, before either is created).
     */
    /** Whether {@code p} is a character device such as {@code /dev/null} (its mode's file type, S_IFCHR). */
    static boolean isCharacterDevice(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            return mode instanceof Integer m && (m & 0170000) == 0020000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b)) return true;
        } catch (IOException e) {
            // Unreadable metadata: fall back to comparing the paths.
        }
        return resolve(a).equals(resolve(b));
    }

    /**
     * Where a write to {@code p} lands: the real path of an existing file; for one that does not exist, its
     * directory's real path and its name, after following any (dangling) symbolic link to it.
     */
    static Path resolve(Path p) {
        Path at = p.toAbsolutePath();
        for (int hops = 0; hops < MAX_LINKS; hops++) {
            try {
                if (Files.exists(at)) return at.toRealPath();
            } catch (IOException e) {
                return at.normalize(); // /dev/stdout on a pipe names no path; compared by inode instead
            }
            if (!Files.isSymbolicLink(at)) break;
            try {
                at = at.resolveSibling(Files.readSymbolicLink(at));
            } catch (IOException e) {
                break;
            }
        }
        Path dir = at.getParent();
        Path file = at.getFileName();
        if (dir == null || file == null) return at.normalize();
        try {
            return dir.toRealPath().resolve(file);
        } catch (IOException e) {
            return at.normalize(); // No such directory: opening will say so.
        }
    }

    /**
     * Whether {@code given} may be replaced by a rename: a regular file or nothing yet, reached without
     * passing through {@code /dev} or {@code /proc} (where {@code /dev/stdout} leads to the shell's own
     * open file, which a rename would orphan).
     */
    private static boolean replaceable(Path given) {
        Path at = given.toAbsolutePath().normalize();
        for (int hops = 0; hops < MAX_LINKS; hops++) {
            if (at.startsWith("/dev") || at.startsWith("/proc")) return false;
            if (!Files.isSymbolicLink(at)) break;
            try {
                at = at.resolveSibling(Files.readSymbolicLink(at)).normalize();
            } catch (IOException e) {
                return false;
            }
        }
        Path real = resolve(given);
        if (real.startsWith("/dev") || real.startsWith("/proc")) return false;
        return !Files.exists(real) || Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS);
    }

    /** Gives the temporary file the target's permissions, as writing the target in place would have kept them. */
    private static void keepPermissions(Path target, Path temp) {
        try {
            if (Files.exists(target)) Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system, or not ours to change: the default permissions stay.
        }
    }
}
