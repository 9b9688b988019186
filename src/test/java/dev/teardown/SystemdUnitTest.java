package dev.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/teardown.service: a unit systemd accepts without a warning (systemd-analyze verify, where systemd is
 * installed; CI has it), capture rights as ambient capabilities instead of root, restarted on failure, no pid file, and
 * a command line teardown itself accepts.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("docs/teardown.service");

    /** The [Service] section's keys and values, in order (a key given twice keeps its last value). */
    private static Map<String, String> service() throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            int eq = l.indexOf('=');
            assertTrue(eq > 0, "key=value: " + l);
            if (section.equals("[Service]")) keys.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return keys;
    }

    @Test
    void runsWithCaptureCapabilitiesInsteadOfRootRestartsOnFailureAndHasNoPidFile() throws Exception {
        Map<String, String> s = service();
        assertEquals(List.of("CAP_NET_RAW", "CAP_NET_ADMIN"), List.of(s.get("AmbientCapabilities").split(" ")));
        assertEquals("yes", s.get("DynamicUser"), "an unprivileged user");
        assertFalse(s.containsKey("User") && s.get("User").equals("root"));
        assertEquals("on-failure", s.get("Restart"));
        assertFalse(s.containsKey("PIDFile"));
        assertEquals("exec", s.get("Type"), "the process itself, not a forking daemon");
    }

    @Test
    void itsCommandLineIsOneTeardownLiveAccepts() throws Exception {
        String exec = service().get("ExecStart");
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(exec.replace("%%", "%"));
        while (m.find()) words.add(m.group(1) != null ? m.group(1) : m.group(2));
        int live = words.indexOf("live");
        assertTrue(live > 0 && words.get(live - 1).endsWith("teardown-cli.jar"), words.toString());
        String[] args = words.subList(live, words.size()).toArray(new String[0]);
        picocli.CommandLine.ParseResult parsed = dev.teardown.cli.TeardownCommand.commandLine().parseArgs(args);
        picocli.CommandLine.ParseResult sub = parsed.subcommand();
        for (String option : List.of("--metrics", "--csv", "--rotate", "--write", "-G", "-W")) {
            assertTrue(sub.hasMatchedOption(option), option);
        }
    }

    @Test
    void systemdAcceptsItWithoutAWarning(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!"true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze (systemd)");
        }
        Path copy = Files.copy(UNIT, dir.resolve("teardown.service"));
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out.strip(), "no warning");
    }
}
