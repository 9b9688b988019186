package dev.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way through the stages: each package may use only the stages before it, only capture/
 * touches pcap4j (libpcap), only cli/ touches picocli, and only metrics/ the Prometheus client.
 */
class ArchitectureTest {
    /** Stages in data-flow order; a stage may import only stages to its left. cli and pipeline see all. */
    private static final List<String> STAGES = List.of("capture", "decode", "flow", "teardown", "stream", "tls", "h2", "http",
        "report", "timewait", "answer", "metrics");
    private static final Path MAIN = Path.of("src/main/java/dev/teardown");
    /** The Spark job, a front end like cli (built with -Pspark): it may use every stage, pipeline and cli's options. */
    private static final Path SPARK = Path.of("src/spark/java/dev/teardown");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.teardown\\.(\\w+)\\.");

    @Test
    void stagesOnlyDependOnEarlierStagesAndLibrariesStayInTheirPackage() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                String pkg = MAIN.relativize(f).getName(0).toString();
                String src = Files.readString(f);
                Matcher m = IMPORT.matcher(src);
                while (m.find()) check(pkg, m.group(1), f, violations);
                Matcher q = QUALIFIED.matcher(src);
                while (q.find()) check(pkg, "dev.teardown." + q.group(1) + ".X", f, violations);
            }
        }
        assertTrue(files > 20, "found the sources");
        assertEquals(List.of(), violations);
    }

    @Test
    void nothingDependsOnTheSparkJobAndItReadsFilesWithoutLibpcap() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(MAIN)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("dev.teardown.spark")) violations.add(f + " depends on the Spark job");
            }
        }
        int files = 0;
        try (Stream<Path> walk = Files.walk(SPARK)) {
            for (Path f : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    if (m.group(1).startsWith("org.pcap4j")) violations.add(f + " imports pcap4j");
                }
            }
        }
        assertTrue(files > 5, "found the Spark job's sources");
        assertEquals(List.of(), violations);
    }

    private static void check(String pkg, String imported, Path file, List<String> violations) {
        if (imported.startsWith("org.pcap4j") && !pkg.equals("capture")) {
            violations.add(file + " imports pcap4j outside capture/");
        }
        if (imported.startsWith("io.prometheus") && !pkg.equals("metrics")) {
            violations.add(file + " imports the Prometheus client outside metrics/");
        }
        if (imported.startsWith("picocli") && !pkg.equals("cli")) {
            violations.add(file + " imports picocli outside cli/");
        }
        if (!imported.startsWith("dev.teardown.")) return;
        String target = imported.split("\\.")[2];
        if (target.equals(pkg)) return;
        if (target.equals("cli") || (target.equals("pipeline") && !pkg.equals("cli"))) {
            violations.add(file + " depends on " + target + ": nothing depends on cli or pipeline");
            return;
        }
        int from = STAGES.indexOf(pkg);
        int to = STAGES.indexOf(target);
        if (from >= 0 && to >= from) violations.add(file + " (" + pkg + ") depends on later stage " + target);
    }
}
