package dev.teardown;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the real-traffic scripts in scripts/ (servers and clients in network namespaces of their own) for a
 * root-tagged test: skipped without root or the tools, except under CI (CI=true), where a skip would hide a broken
 * setup and the script's own check fails instead.
 */
public final class RealTraffic {
    private RealTraffic() {}

    /** Skips the test unless it runs as root with every one of {@code tools} (absolute paths) installed, outside CI. */
    public static void assumeRootAnd(String... tools) {
        if ("true".equals(System.getenv("CI"))) return;
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean all = List.of(tools).stream().allMatch(t -> Files.isExecutable(Path.of(t)));
        assumeTrue(root && all, "needs root and " + String.join(", ", tools) + " (run .ci/run's installs)");
    }

    /**
     * Runs {@code bash scripts/SCRIPT ARGS...} with {@code env} added, its output to {@code log}, for at most
     * {@code timeoutSeconds} (then SIGTERM, whose trap stops the script's servers and deletes its namespaces, and
     * SIGKILL 10 s later); fails the test, with the output, unless it exits 0. Returns the output.
     */
    public static String runScript(Path log, Map<String, String> env, long timeoutSeconds, String script,
                                   String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/" + script));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done && p.exitValue() == 0, script + (done ? " failed:\n" : " timed out:\n") + out);
        return out;
    }
}
