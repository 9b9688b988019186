package dev.teardown.capture;

import java.util.List;
import java.util.Optional;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/** Opening a {@link LiveCapture}: activating the interface through libpcap, installing the filter, and naming what failed. */
final class PcapOpening {
    /** libpcap's {@code pcap_activate} results (pcap/pcap.h); the last also ends a {@code pcap_dispatch}. */
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    private static final int PCAP_ERROR_PERM_DENIED = -8;
    static final int PCAP_ERROR_IFACE_NOT_UP = -9;

    private PcapOpening() {}

    static PcapHandle activate(LiveCapture.Options options, boolean nanosecond) throws LiveCaptureException {
        PcapHandle.Builder builder = new PcapHandle.Builder(options.device())
                .snaplen(options.snaplen())
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(options.timeoutMillis())
                .immediateMode(false); // block delivery, for the reason Options gives
        if (options.bufferBytes() > 0) {
            builder.bufferSize(options.bufferBytes());
        }
        if (nanosecond) {
            // pcap4j falls back to microseconds itself when the interface refuses nanoseconds.
            builder.timestampPrecision(PcapHandle.TimestampPrecision.NANO);
        }
        try {
            return builder.build();
        } catch (PcapNativeException e) {
            if (nanosecond && e.getReturnCode() == null && e.getMessage().contains("pcap_set_tstamp_precision")) {
                // A libpcap older than 1.5 has no pcap_set_tstamp_precision: capture in microseconds.
                return activate(options, false);
            }
            throw openFailure(options.device(), e);
        }
    }

    static void setFilter(PcapHandle handle, LiveCapture.Options options) throws LiveCaptureException {
        BpfProgram program;
        try {
            // An unknown netmask only matters to "ip broadcast", which libpcap then rejects with a clear message.
            program = handle.compileFilter(options.filter(), BpfProgram.BpfCompileMode.OPTIMIZE,
                    PcapHandle.PCAP_NETMASK_UNKNOWN);
        } catch (PcapNativeException e) {
            throw LiveCaptureException.badFilter(options.filter(), e.getMessage());
        } catch (NotOpenException e) {
            throw new IllegalStateException("capture closed while opening", e);
        }
        try {
            handle.setFilter(program);
        } catch (PcapNativeException e) {
            throw LiveCaptureException.other(options.device(), e.getMessage());
        } catch (NotOpenException e) {
            throw new IllegalStateException("capture closed while opening", e);
        } finally {
            program.free();
        }
    }

    private static LiveCaptureException openFailure(String device, PcapNativeException e) {
        int code = e.getReturnCode() == null ? 0 : e.getReturnCode();
        return switch (code) {
            // Without privileges libpcap fails on the socket before it looks the name up, so look it up here.
            case PCAP_ERROR_NO_SUCH_DEVICE, PCAP_ERROR_PERM_DENIED ->
                    unknownDevice(device).orElse(code == PCAP_ERROR_NO_SUCH_DEVICE
                            ? LiveCaptureException.other(device, e.getMessage())
                            : LiveCaptureException.permission(device, e.getMessage()));
            case PCAP_ERROR_IFACE_NOT_UP -> LiveCaptureException.deviceDown(device);
            default -> LiveCaptureException.other(device, e.getMessage());
        };
    }

    /** The no-such-interface error with the list of interfaces, if libpcap does not list {@code device}. */
    private static Optional<LiveCaptureException> unknownDevice(String device) {
        List<LiveCapture.Device> devices;
        try {
            devices = LiveCapture.devices();
        } catch (LiveCaptureException e) {
            return Optional.empty();
        }
        if (devices.stream().anyMatch(d -> d.name().equals(device))) {
            return Optional.empty();
        }
        List<String> names = devices.stream().map(d -> d.up() ? d.name() : d.name() + " (down)").toList();
        return Optional.of(LiveCaptureException.noSuchDevice(device, names));
    }
}
