package dev.teardown.cli;

import dev.teardown.capture.LiveCapture;
import dev.teardown.capture.LiveCaptureException;
import dev.teardown.decode.Addresses;
import dev.teardown.report.Safe;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
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
            List<LiveCapture.Device> devices = LiveCapture.devices();
            int width = devices.stream().mapToInt(d -> d.name().length()).max().orElse(0);
            for (LiveCapture.Device d : devices) {
                out.println(Safe.text(String.format(java.util.Locale.ROOT, "%-" + width + "s  %-4s  %s%s", d.name(),
                    d.up() ? "up" : "down", String.join(" ", d.addresses().stream().map(InterfacesCommand::shortForm).toList()),
                    d.description().isEmpty() ? "" : "  (" + d.description() + ")")));
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

    /**
     * An address in the same RFC 5952 form as the CSV ({@code fd00::2}, not Java's {@code fd00:0:0:0:0:0:0:2}),
     * with its {@code %scope} (an interface name or number) as Java writes it.
     */
    static String shortForm(InetAddress address) {
        String java = address.getHostAddress();
        int scope = java.indexOf('%');
        return Addresses.format(address.getAddress()) + (scope < 0 ? "" : java.substring(scope));
    }
}
