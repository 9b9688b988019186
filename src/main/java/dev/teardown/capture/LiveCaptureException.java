package dev.teardown.capture;

import java.util.List;

/**
 * A live capture that cannot start or continue; the message is one line that names the fix.
 *
 * <p>The static factories word each message once, so that the wording can be tested without a network interface.
 */
public final class LiveCaptureException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so the command line can choose an exit code (a bad filter is a usage error). */
    public enum Kind { NO_LIBPCAP, PERMISSION, NO_SUCH_DEVICE, DEVICE_DOWN, BAD_FILTER, OTHER }

    private static final String SETCAP_COMMAND = "sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which java))";

    private final Kind kind;

    LiveCaptureException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() { return kind; }

    /** The library could not be loaded; {@code reason} is the loader's first line. */
    static LiveCaptureException noLibpcap(String reason) {
        return new LiveCaptureException(Kind.NO_LIBPCAP, "cannot load libpcap (" + reason + "): install it"
                + " (Debian/Ubuntu: sudo apt-get install libpcap0.8; Fedora/RHEL: sudo dnf install libpcap)");
    }

    /**
     * The process may not open a packet socket. A java binary with file capabilities runs in the dynamic linker's
     * secure mode, which ignores its {@code $ORIGIN/../lib} search path, hence the second hint about libjli.so.
     */
    static LiveCaptureException permission(String device, String detail) {
        return new LiveCaptureException(Kind.PERMISSION, "no permission to capture on " + device + " (" + detail
                + "): run as root, or allow java to capture with: " + SETCAP_COMMAND
                + " (if java then cannot load libjli.so, add its lib directory to /etc/ld.so.conf.d and run"
                + " sudo ldconfig)");
    }

    /** No interface has that name; {@code available} lists the ones that exist, down ones marked. */
    static LiveCaptureException noSuchDevice(String device, List<String> available) {
        String choices = available.isEmpty() ? "libpcap lists none" : "available: " + String.join(", ", available);
        return new LiveCaptureException(Kind.NO_SUCH_DEVICE, "no interface named \"" + device + "\"; " + choices);
    }

    /** The interface exists but is down, at start or during the capture. */
    static LiveCaptureException deviceDown(String device) {
        return new LiveCaptureException(Kind.DEVICE_DOWN, "interface " + device + " is down: bring it up"
                + " (sudo ip link set " + device + " up) or capture on another interface");
    }

    /** libpcap could not compile the filter; {@code detail} is its message. */
    static LiveCaptureException badFilter(String filter, String detail) {
        return new LiveCaptureException(Kind.BAD_FILTER, "bad capture filter \"" + filter + "\": " + detail
                + " (syntax: man 7 pcap-filter)");
    }

    /** Anything else libpcap reports. */
    static LiveCaptureException other(String device, String detail) {
        return new LiveCaptureException(Kind.OTHER, "capture on " + device + " failed: " + detail);
    }
}
