package dev.teardown.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The per-connection record outputs both {@code analyze} and {@code live} take (picocli mixin). */
final class OutputOptions {
    @Option(names = "--csv", paramLabel = "FILE",
        description = "Write the flow-summary CSV, one row per connection (docs/output.md), to FILE, or - for "
            + "stdout. live flushes each row as it is written.")
    String csv;

    @Option(names = "--json", paramLabel = "FILE",
        description = "Write the same records as JSON Lines, one object per connection, to FILE, or - for stdout.")
    String json;

    /** The outputs given, by option, for {@link Outputs#checkUsage}: {@code -} (stdout) as a null file. */
    List<Outputs.Named> named() {
        List<Outputs.Named> named = new ArrayList<>();
        if (csv != null) named.add(new Outputs.Named("--csv", "-".equals(csv) ? null : csv));
        if (json != null) named.add(new Outputs.Named("--json", "-".equals(json) ? null : json));
        return named;
    }
}
