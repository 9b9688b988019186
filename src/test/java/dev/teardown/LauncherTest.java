package dev.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./teardown}) as a user runs it, in a checkout of its own: a jar of the compiled classes (its
 * dependencies on the manifest's Class-Path) stands in for the built one. The class-data sharing archive is made
 * once after a build, the JVM then loads teardown's classes from it (the JVM's own class-loading log says so), a
 * newer jar makes it again, and an archive the JVM cannot use changes nothing a user sees. The heap gets transparent
 * huge pages exactly when the kernel's mode offers them, and no JVM warning reaches stdout when it does not.
 */
class LauncherTest {
    private static final String SAMPLE = "http10-server-close.pcap";
    @TempDir
    static Path checkout;
    private static Path jar;
    private static Path archive;

    @BeforeAll
    static void aCheckoutWithTheLauncherASampleAndAJar() throws IOException {
        Path target = checkout(checkout, SAMPLE);
        jar = target.resolve("teardown-cli.jar");
        archive = target.resolve("teardown-cli.jsa");
        writeJar(jar);
    }

    /**
     * Makes {@code dir} a checkout as a user has one, the launcher, and {@code sample} in samples/; returns its
     * target/, where the jar goes.
     */
    static Path checkout(Path dir, String sample) throws IOException {
        Path launcher = dir.resolve("teardown");
        Files.copy(Path.of("teardown"), launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        Files.createDirectories(dir.resolve("samples"));
        Files.copy(Path.of("samples", sample), dir.resolve("samples").resolve(sample));
        return Files.createDirectories(dir.resolve("target"));
    }

    /** The compiled main classes in a jar whose manifest names the main class and the dependency jars. */
    private static void writeJar(Path to) throws IOException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        List<String> deps = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) deps.add(Path.of(entry).toUri().toString());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.teardown.cli.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", deps));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run launch(String javaOptions, String... args) throws Exception {
        return launch(javaOptions, null, args);
    }

    /** Runs the launcher; {@code thpFile}, if not null, stands in for the kernel's transparent huge page mode file. */
    private static Run launch(String javaOptions, Path thpFile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(checkout.resolve("teardown").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        Map<String, String> env = pb.environment();
        env.remove("TEARDOWN_JAVA_OPTS");
        if (javaOptions != null) env.put("TEARDOWN_JAVA_OPTS", javaOptions);
        env.remove("TEARDOWN_THP_FILE");
        if (thpFile != null) env.put("TEARDOWN_THP_FILE", thpFile.toString());
        Path out = Files.createTempFile(checkout, "out", ".txt");
        Path err = Files.createTempFile(checkout, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    private static Run analyze(String javaOptions) throws Exception {
        return launch(javaOptions, "analyze", "samples/" + SAMPLE, "-q", "--csv", "rows.csv");
    }

    /** Whether the JVM's class-loading log shows teardown's main class loaded from the archive. */
    private static boolean mainFromArchive(Run r) {
        return r.out().lines().anyMatch(l -> l.contains("dev.teardown.cli.Main ") && l.contains("shared objects file"));
    }

    @Test
    void theFirstRunMakesTheArchiveAndLaterRunsLoadTeardownsClassesFromIt() throws Exception {
        Files.deleteIfExists(archive);
        Run first = analyze(null);
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.err(), "nothing on stderr");
        assertTrue(Files.isRegularFile(archive), "archive made");
        String rows = Files.readString(checkout.resolve("rows.csv"));
        assertTrue(rows.startsWith("flow_id,") && rows.lines().count() > 1, rows);

        Run second = analyze("-Xlog:class+load=info");
        assertEquals(0, second.exit(), second.err());
        assertTrue(mainFromArchive(second), "teardown's classes come from the archive");
        assertEquals(rows, Files.readString(checkout.resolve("rows.csv")), "the same rows");

        Run off = analyze("-Xshare:off -Xlog:class+load=info");
        assertEquals(0, off.exit(), off.err());
        assertFalse(mainFromArchive(off), "-Xshare:off turns it off");
    }

    @Test
    void theSummaryJsonTimelineAndPageWritersComeFromTheArchiveToo() throws Exception {
        Files.deleteIfExists(archive);
        assertEquals(0, analyze(null).exit());
        Run r = launch("-Xlog:class+load=info", "analyze", "samples/" + SAMPLE, "-q", "--csv", "rows.csv",
            "--summary-json", "summary.json", "--timeline", "timeline.csv", "--html", "page.html");
        assertEquals(0, r.exit(), r.err());
        for (String writer : List.of("dev.teardown.answer.SummaryJson ", "dev.teardown.timewait.TimelineCsv ",
                                     "dev.teardown.report.JsonWriter ", "dev.teardown.answer.HtmlReport ")) {
            assertTrue(r.out().lines().anyMatch(l -> l.contains(writer) && l.contains("shared objects file")),
                writer + "loaded from the archive");
        }
    }

    @Test
    void aJarNewerThanTheArchiveGetsANewArchive() throws Exception {
        assertEquals(0, analyze(null).exit());
        // The jar rebuilt after the archive was made: the archive's time put before the jar's.
        FileTime jarTime = Files.getLastModifiedTime(jar);
        Files.setLastModifiedTime(archive, FileTime.fromMillis(jarTime.toMillis() - 60_000));
        Run r = analyze(null);
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.getLastModifiedTime(archive).compareTo(jarTime) > 0, "archive made again after the jar");
        assertTrue(mainFromArchive(analyze("-Xlog:class+load=info")));
    }

    /**
     * Runs the launcher with {@code -XX:+PrintFlagsFinal}, the kernel's huge page mode file standing in as holding
     * {@code mode} (null: no such file), so the JVM lists the value of {@code UseTransparentHugePages} it ran with.
     */
    private static Run withHugePageMode(String mode) throws Exception {
        Path file = checkout.resolve("thp-enabled");
        if (mode == null) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, mode + "\n");
        }
        return launch("-XX:+PrintFlagsFinal", file, "--version");
    }

    private static boolean hugePagesOn(Run r) {
        return r.out().lines().anyMatch(l -> l.matches("\\s*bool UseTransparentHugePages\\s+= true\\s.*"));
    }

    @Test
    void theHeapGetsHugePagesWhenTheKernelOffersThemOnRequestOrAlways() throws Exception {
        String host = Files.isReadable(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
            ? Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")) : "";
        // The JVM itself checks the kernel's mode; this host must offer huge pages for the flag to stay on.
        assumeTrue(host.contains("[madvise]") || host.contains("[always]"),
            "this kernel offers no transparent huge pages: " + host.strip());
        for (String mode : List.of("always [madvise] never", "[always] madvise never")) {
            Run r = withHugePageMode(mode);
            assertEquals(0, r.exit(), r.err());
            assertTrue(hugePagesOn(r), mode);
            assertEquals("", r.err());
        }
    }

    @Test
    void hugePagesAreNotAskedForWhenTheKernelHasNoneSoTheJvmPrintsNoWarningOnStdout() throws Exception {
        for (String mode : Arrays.asList("always madvise [never]", null)) {
            Run r = withHugePageMode(mode);
            assertEquals(0, r.exit(), r.err());
            assertFalse(hugePagesOn(r), String.valueOf(mode));
            assertFalse(r.out().contains("UseTransparentHugePages disabled"), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s*bool UseTransparentHugePages\\s+= false\\s.*")),
                "the flag is listed, off");
        }
        Run version = launch(null, checkout.resolve("thp-enabled"), "--version");
        assertTrue(version.out().startsWith("teardown "), "stdout holds the version alone: " + version.out());
    }

    @Test
    void anArchiveTheJvmCannotUseIsIgnoredSilently() throws Exception {
        Files.deleteIfExists(archive);
        try (OutputStream out = Files.newOutputStream(archive)) {
            out.write("not a class-data archive".getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Run r = analyze("-Xlog:class+load=info");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "no warning from the JVM");
        assertFalse(mainFromArchive(r));
        assertTrue(Files.readString(checkout.resolve("rows.csv")).startsWith("flow_id,"));
        Files.delete(archive); // the other tests make a good one
    }
}
