package dev.teardown.cli;

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
}
