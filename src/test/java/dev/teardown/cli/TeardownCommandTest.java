package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line Main runs builds only the subcommand named first, and parses, errs and helps exactly as the whole one. */
class TeardownCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aSubcommandNamedFirstIsTheOnlyOneBuiltAndAnythingElseGetsThemAll() {
        assertEquals(Set.of("analyze"), TeardownCommand.commandLine(new String[] {"analyze", "x.pcap"}).getSubcommands().keySet());
        assertEquals(Set.of("live"), TeardownCommand.commandLine(new String[] {"live", "--help"}).getSubcommands().keySet());
        assertEquals(Set.of("interfaces"), TeardownCommand.commandLine(new String[] {"interfaces"}).getSubcommands().keySet());
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"analyse"}, new String[] {"x"})) {
            assertEquals(List.of("analyze", "live", "interfaces"),
                List.copyOf(TeardownCommand.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
    }

    @Test
    void helpVersionAndEveryKindOfErrorAreTheSameAsWithEverySubcommandBuilt() {
        List<String[]> cases = List.of(
            new String[] {"analyze", "--help"},
            new String[] {"live", "--help"},
            new String[] {"interfaces", "--help"},
            new String[] {"--help"},
            new String[] {"--version"},
            new String[0],
            new String[] {"analyse", "samples/http10-server-close.pcap"},
            new String[] {"analyze"},
            new String[] {"analyze", "samples/http10-server-close.pcap", "--duration", "0"},
            new String[] {"analyze", "samples/http10-server-close.pcap", "--bogus"},
            new String[] {"analyze", "no-such-file.pcap", "-q"},
            new String[] {"live", "--count", "-1"},
            new String[] {"interfaces", "extra"});
        for (String[] args : cases) {
            Run alone = run(TeardownCommand.commandLine(args), args);
            Run all = run(TeardownCommand.commandLine(), args);
            assertEquals(all, alone, String.join(" ", args));
        }
    }
}
