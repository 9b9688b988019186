package dev.teardown.cli;

import dev.teardown.report.Safe;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The output options of one command, checked against each other and against the inputs before anything is opened. */
final class OutputUsage {
    /** An output option and the file given to it; a null file is stdout ({@code -}). */
    record Named(String option, String file) {}

    private OutputUsage() {}

    /**
     * Rejects outputs that cannot go together (a usage error, exit 2), before anything is opened: two on
     * stdout, an output that is one of the {@code inputs} (it would be truncated before it is read), or two
     * outputs that are one file (their lines would interleave). Files are compared as
     * {@link OutputFile#sameFile} does: through links, and by resolved path when they do not exist yet.
     */
    static void check(CommandLine cmd, List<Named> outputs, List<Path> inputs) {
        List<String> onStdout = outputs.stream().filter(n -> n.file() == null).map(Named::option).toList();
        if (onStdout.size() > 1) {
            throw new CommandLine.ParameterException(cmd, String.join(" and ", onStdout)
                + " cannot both write to stdout (-)");
        }
        List<Named> files = outputs.stream().filter(n -> n.file() != null).toList();
        List<Path> paths = new ArrayList<>();
        for (Named n : files) {
            try {
                paths.add(Path.of(n.file()));
            } catch (InvalidPathException e) {
                throw new CommandLine.ParameterException(cmd, n.option() + " " + Safe.text(n.file())
                    + ": not a valid file name");
            }
        }
        for (int i = 0; i < files.size(); i++) {
            for (Path input : inputs) {
                if (OutputFile.sameFile(paths.get(i), input)) {
                    throw new CommandLine.ParameterException(cmd, files.get(i).option() + " "
                        + Safe.text(files.get(i).file()) + " is the input " + Safe.text(input.toString())
                        + ": it would be overwritten before it is read");
                }
            }
            for (int j = i + 1; j < files.size(); j++) {
                // /dev/null (any character device) takes every output and keeps none: nothing can interleave.
                if (OutputFile.isCharacterDevice(paths.get(i))) continue;
                if (OutputFile.sameFile(paths.get(i), paths.get(j))) {
                    throw new CommandLine.ParameterException(cmd, files.get(i).option() + " "
                        + Safe.text(files.get(i).file()) + " and " + files.get(j).option() + " "
                        + Safe.text(files.get(j).file()) + " are the same file");
                }
            }
        }
    }
}
