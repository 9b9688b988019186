package dev.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built CLI jar ({@code target/teardown-cli.jar}), run after {@code package} (tag cli-jar, the pom's execution of
 * that name): its picocli is the one compiled from picocli's sources for Java 17, so the launcher's class-data
 * archive holds picocli's classes too, and a run through the launcher loads them from it; and no class of either
 * concatenates strings through invokedynamic, whose call sites spin classes at start-up that no archive holds.
 */
@Tag("cli-jar")
class CliJarTest {
    private static final Path JAR = Path.of("target", "teardown-cli.jar");
    private static final String SAMPLE = "http10-server-close.pcap";
    @TempDir
    static Path checkout;

    @BeforeAll
    static void aCheckoutWithTheLauncherASampleAndTheBuiltJar() throws IOException {
        Files.copy(JAR, LauncherTest.checkout(checkout, SAMPLE).resolve("teardown-cli.jar"));
    }

    /** The class file's major version (61: Java 17; 49: Java 5, as picocli's own jar has it). */
    private static int majorVersion(String entry) throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile()); InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            byte[] head = in.readNBytes(8);
            assertEquals(0xCAFEBABE, ((head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff)));
            return (head[6] & 0xff) << 8 | (head[7] & 0xff);
        }
    }

    @Test
    void picocliInTheCliJarIsCompiledForJava17() throws IOException {
        assertEquals(61, majorVersion("picocli/CommandLine.class"));
        assertEquals(61, majorVersion("picocli/CommandLine$Model$CommandSpec.class"));
        assertEquals(61, majorVersion("dev/teardown/cli/Main.class"));
    }

    @Test
    void noClassOfTeardownOrPicocliConcatenatesStringsThroughInvokedynamic() throws IOException {
        // javac's invokedynamic form names this bootstrap method in the class's constant pool; the StringBuilder form
        // does not (pom.xml, -XDstringConcat=inline: each such call site spins method handles at its first run).
        byte[] bootstrap = "makeConcatWithConstants".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int classes = 0;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                if (!name.endsWith(".class") || !(name.startsWith("dev/teardown/") || name.startsWith("picocli/"))) continue;
                classes++;
                try (InputStream in = jar.getInputStream(e)) {
                    byte[] b = in.readAllBytes();
                    assertEquals(-1, indexOf(b, bootstrap), name);
                }
            }
        }
        assertTrue(classes > 300, "classes looked at: " + classes);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) if (b[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void aRunThroughTheLauncherLoadsPicocliAndTeardownFromTheArchive() throws Exception {
        assertEquals(0, launch().exit(), "the first run, which also makes the archive");
        Path log = checkout.resolve("classes.txt");
        Run r = launch("TEARDOWN_JAVA_OPTS=-Xlog:class+load=info:file=" + log);
        assertEquals(0, r.exit(), r.err());
        List<String> loaded = Files.readAllLines(log);
        for (String type : List.of("picocli.CommandLine ", "picocli.CommandLine$Model$CommandSpec ", "dev.teardown.cli.Main ")) {
            assertTrue(loaded.stream().anyMatch(l -> l.contains(type) && l.contains("shared objects file")),
                type + "from the archive");
        }
        assertTrue(Files.readString(checkout.resolve("rows.csv")).startsWith("flow_id,"));
    }

    @Test
    void aRunDrawsItsHashKeysWithoutSettingUpTheSecurityProviders() throws Exception {
        // Two threads: the workers' flow hash and each worker's flow table draw a key. A SecureRandom would set up the
        // JDK's security providers first (about 27 ms of start-up); SecretSeed reads the kernel's random device.
        Path log = checkout.resolve("classes-keys.txt");
        Run r = launch(List.of("-q", "--threads", "2"), "TEARDOWN_JAVA_OPTS=-Xlog:class+load=info:file=" + log);
        assertEquals(0, r.exit(), r.err());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.teardown.decode.SecretSeed ")), "the keys' source");
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.teardown.pipeline.ParallelAnalysis ")), "two threads");
        assertTrue(loaded.stream().noneMatch(l -> l.contains("java.security.SecureRandom ")),
            "no SecureRandom made: " + loaded.stream().filter(l -> l.contains("java.security.")).limit(5).toList());
    }

    @Test
    void theSummaryAndItsFindingsAreWrittenWithoutJavasFormatter() throws Exception {
        // report.Printf writes the subset of printf the texts use: java.util.Formatter's first use loads its parser
        // and the locale data for Locale.ROOT's digits, about 25 ms of a run on a small capture.
        Path log = checkout.resolve("classes-summary.txt");
        Run r = launch(List.of(), "TEARDOWN_JAVA_OPTS=-Xlog:class+load=info:file=" + log);
        assertEquals(0, r.exit(), r.err());
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.teardown.report.SummaryText ")), "a summary was written");
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.teardown.answer.Findings ")), "findings were weighed");
        for (String type : List.of("java.util.Formatter ", "java.text.DecimalFormatSymbols ")) {
            assertTrue(loaded.stream().noneMatch(l -> l.contains(type)), type + "loaded");
        }
    }

    private record Run(int exit, String err) {}

    private static Run launch(String... env) throws Exception {
        return launch(List.of("-q"), env);
    }

    private static Run launch(List<String> options, String... env) throws Exception {
        List<String> command = new ArrayList<>(List.of(checkout.resolve("teardown").toString(), "analyze",
            "samples/" + SAMPLE, "--csv", "rows.csv"));
        command.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().remove("TEARDOWN_JAVA_OPTS");
        for (String e : env) pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        Path err = Files.createTempFile(checkout, "err", ".txt");
        Process p = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        return new Run(p.waitFor(), Files.readString(err));
    }
}
