package dev.teardown.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's exit codes and one-line messages: usage errors before Spark starts, an existing output refused. */
@Tag("spark")
class TeardownSparkTest {
    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new TeardownSpark());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        Outcome shards = run("--input", "x", "--output", "y", "--shards", "200");
        assertEquals(TeardownSpark.EXIT_USAGE, shards.code());
        assertTrue(shards.err().contains("--shards must be 1 to 127"), shards.err());
        Outcome step = run("--input", "x", "--output", "y", "--step", "0.0000001");
        assertEquals(TeardownSpark.EXIT_USAGE, step.code());
        assertTrue(step.err().contains("--step"), step.err());
        Outcome missing = run("--output", "y");
        assertEquals(TeardownSpark.EXIT_USAGE, missing.code());
        assertTrue(missing.err().contains("--input"), missing.err());
    }

    @Test
    void anOutputThatExistsIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
        Path kept = Files.writeString(dir.resolve("summary.json"), "an earlier run");
        Outcome o = run("--master", "local[1]", "--input", Path.of("samples/ipv6.pcap").toAbsolutePath().toString(),
            "--output", dir.toString());
        assertEquals(TeardownSpark.EXIT_USAGE, o.code(), o.err());
        assertTrue(o.err().startsWith("teardown-spark: " + dir + ": exists"), o.err());
        assertEquals("an earlier run", Files.readString(kept));
    }
}
