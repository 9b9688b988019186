package dev.teardown.cli;

import dev.teardown.capture.LiveCapture;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.report.Safe;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code teardown interfaces}: lists the capture devices libpcap offers, with their addresses. */
@Command(name = "interfaces", mixinStandardHelpOptions = true,
    description = "Lists the interfaces teardown live can capture on (through libpcap).")
final class InterfacesCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            for (LiveCapture.Device d : LiveCapture.devices()) {
                out.println(Safe.text(String.format(java.util.Locale.ROOT, "%-16s %-5s %s%s", d.name(),
                    d.up() ? "up" : "down", String.join(" ", d.addresses()),
                    d.description() == null || d.description().isEmpty() ? "" : "  (" + d.description() + ")")));
            }
            out.flush();
            return TeardownCommand.EXIT_OK;
        } catch (LiveCaptureException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("teardown: " + Safe.text(e.getMessage()));
            err.flush();
            return TeardownCommand.EXIT_INPUT;
        }
    }
}
