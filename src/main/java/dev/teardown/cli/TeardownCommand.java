package dev.teardown.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code teardown} command: subcommands only. */
@Command(name = "teardown", mixinStandardHelpOptions = true, versionProvider = TeardownCommand.Version.class,
    description = "Who closed each TCP connection, how, and which host holds TIME_WAIT, from packet captures.")
public final class TeardownCommand implements Runnable {
    static final int EXIT_OK = 0;
    static final int EXIT_INPUT = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (try: teardown analyze FILE)");
    }

    /** The subcommands by name (each its {@code @Command} name), in the order the help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("analyze", AnalyzeCommand::new);
        m.put("live", LiveCommand::new);
        m.put("interfaces", InterfacesCommand::new);
        return Collections.unmodifiableMap(m);
    }

    /** A command line with teardown's exit codes and one-line errors: usage 2, anything else 1, never a trace. */
    public static CommandLine commandLine() {
        return commandLine(SUBCOMMANDS.keySet());
    }

    /**
     * The same for running {@code args}: when the first names a subcommand, only that one is built (picocli reads a
     * command's annotations when it is added, a start-up cost per subcommand; bench/README.md, "Class-data
     * sharing"). Anything else, the top-level help included, gets them all, so every parse, error and help text is
     * the same.
     */
    public static CommandLine commandLine(String[] args) {
        return commandLine(args.length > 0 && SUBCOMMANDS.containsKey(args[0]) ? Set.of(args[0]) : SUBCOMMANDS.keySet());
    }

    private static CommandLine commandLine(Set<String> names) {
        CommandLine cl = new CommandLine(new TeardownCommand());
        // Added before the handlers are set: picocli gives a setting to the subcommands present at that time.
        for (String name : names) cl.addSubcommand(SUBCOMMANDS.get(name).get());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_INPUT);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("teardown: " + ex.getMessage());
            err.println("Try 'teardown " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ")
                + "--help'.");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            PrintWriter err = commandLine.getErr();
            err.println("teardown: internal error: " + ex);
            err.flush();
            return EXIT_INPUT;
        });
        return cl;
    }

    /** Prints the tool's version and output format version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TeardownCommand.class.getPackage().getImplementationVersion();
            return new String[] {"teardown " + (v == null ? "dev" : v) + " (output format "
                + dev.teardown.report.Column.FORMAT_VERSION + ")"};
        }
    }
}
