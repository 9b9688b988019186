package dev.teardown.cli;

/** The {@code teardown} command's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(TeardownCommand.commandLine(args).execute(args));
    }
}
