package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Outputs that cannot go together are a usage error naming the options, before anything is opened. */
class OutputUsageTest {
    private static final CommandLine CMD = TeardownCommand.commandLine();

    private static String refused(List<OutputUsage.Named> outputs, List<Path> inputs) {
        return assertThrows(CommandLine.ParameterException.class, () -> OutputUsage.check(CMD, outputs, inputs))
            .getMessage();
    }

    @Test
    void twoOutputsOnStdoutAreRefusedByName() {
        String m = refused(List.of(new OutputUsage.Named("--csv", null), new OutputUsage.Named("--json", null)), List.of());
        assertTrue(m.contains("--csv and --json cannot both write to stdout"), m);
    }

    @Test
    void anOutputThatIsAnInputIsRefusedBeforeItCouldBeTruncated(@TempDir Path dir) throws IOException {
        Path capture = Files.writeString(dir.resolve("in.pcap"), "x");
        String m = refused(List.of(new OutputUsage.Named("--csv", dir.resolve("./in.pcap").toString())), List.of(capture));
        assertTrue(m.contains("is the input") && m.contains("overwritten before it is read"), m);
        assertTrue(Files.readString(capture).equals("x"), "untouched");
    }

    @Test
    void twoOutputsToOneFileAreRefusedButDevNullTakesAny(@TempDir Path dir) {
        String f = dir.resolve("out").toString();
        String m = refused(List.of(new OutputUsage.Named("--csv", f), new OutputUsage.Named("--json", f)), List.of());
        assertTrue(m.contains("are the same file"), m);
        assertDoesNotThrow(() -> OutputUsage.check(CMD,
            List.of(new OutputUsage.Named("--csv", "/dev/null"), new OutputUsage.Named("--json", "/dev/null")), List.of()));
    }

    @Test
    void aFileNameThatIsNoPathIsAUsageError() {
        String m = refused(List.of(new OutputUsage.Named("--csv", "a\u0000b")), List.of());
        assertTrue(m.contains("--csv") && m.contains("not a valid file name"), m);
    }
}
