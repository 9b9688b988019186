package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.pipeline.ThreadPlan;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The threads {@code analyze} and {@code live} choose: a number given is kept, else the machine's default plan (the
 * relay on two cores with the TIME_WAIT stage), and the relay, which keeps one table, when {@code --max-connections}
 * is given.
 */
class ThreadPlanOptionTest {
    /** The two options as both commands declare them, the default as on a two-core machine. */
    @CommandLine.Command(name = "t")
    static final class Options {
        @CommandLine.Option(names = OptionRanges.MachineDefaults.THREADS, defaultValue = "2")
        int threads;

        @CommandLine.Option(names = OptionRanges.MachineDefaults.MAX_CONNECTIONS, defaultValue = "1000")
        long maxConnections;
    }

    private static ThreadPlan plan(String... args) {
        return plan(new StringWriter(), args);
    }

    private static ThreadPlan plan(StringWriter err, String... args) {
        Options o = new Options();
        CommandLine cmd = new CommandLine(o);
        cmd.parseArgs(args);
        return OptionRanges.threadPlan(cmd, new PrintWriter(err), o.threads);
    }

    @Test
    void onTwoCoresTheDefaultIsTheRelay() {
        assertEquals(ThreadPlan.relay(), plan());
    }

    @Test
    void aNumberGivenIsKeptAsItIs() {
        assertEquals(ThreadPlan.of(2), plan("--threads", "2"));
        assertEquals(ThreadPlan.of(3), plan("--threads", "3"));
        assertEquals(ThreadPlan.of(1), plan("--threads", "1"));
    }

    @Test
    void maxConnectionsGivenMeansTheRelayAndANoteOnlyWhenThreadsWereGiven() {
        StringWriter quiet = new StringWriter();
        assertEquals(ThreadPlan.relay(), plan(quiet, "--max-connections", "7"));
        assertEquals("", quiet.toString(), "no note when --threads was not given");
        for (String n : new String[] {"2", "3"}) {
            StringWriter err = new StringWriter();
            assertEquals(ThreadPlan.relay(), plan(err, "--max-connections", "7", "--threads", n));
            assertEquals("teardown: --threads " + n + ": reading, analysing and writing on three threads: "
                + "--max-connections bounds one table, kept by one analysing thread", err.toString().strip());
        }
    }

    @Test
    void oneThreadAskedForStaysOneThreadWithMaxConnectionsAndSaysNothing() {
        StringWriter err = new StringWriter();
        assertEquals(ThreadPlan.of(1), plan(err, "--max-connections", "7", "--threads", "1"));
        assertEquals("", err.toString());
    }
}
