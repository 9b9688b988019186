package dev.teardown.capture;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.RawPacketListener;

/**
 * A live capture on one interface through libpcap (pcap4j), pushing each packet to a {@link FrameHandler}.
 *
 * <p>Frames are the same {@link Frame}s the file readers give, so live and file analysis share every later stage.
 * Each packet is copied once out of libpcap's ring into one reused array ({@link PcapNextEx}, calling libpcap's
 * {@code pcap_next_ex} directly), and the frame points at it for the duration of the handler's call; where that
 * reader cannot be had, pcap4j's {@code pcap_dispatch} copies each packet into a fresh array instead. Promiscuous
 * mode stays off: teardown looks at this host's own connections.
 *
 * <p>Threads: call {@link #dispatch} from one thread, and stop it from others with {@link #breakLoop}, which is
 * safe anywhere (a shutdown hook, a signal handler). {@link #close} belongs to the dispatching thread, even inside a
 * handler; called from another thread it still works, but a dispatch that starts after it throws
 * {@link IllegalStateException}. A watchdog thread per capture ends a dispatch that has run for the read timeout
 * (see {@link DispatchWatchdog}). A typical loop:
 * <pre>{@code
 * try (LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("any"))) {
 *     while (!stopRequested) {
 *         capture.dispatch(pipeline::onFrame);
 *     }
 * }
 * }</pre>
 */
public final class LiveCapture implements OpenCapture {
    /** Linux numbers these two {@code DLT_} values apart from their {@code LINKTYPE_} values (pcap/dlt.h). */
    private static final int DLT_ATM_RFC1483 = 11;
    private static final int DLT_RAW = 12;
    private static final int LINKTYPE_ATM_RFC1483 = 100;

    /**
     * How to open the capture.
     *
     * <p>Packets come a kernel block at a time, never in immediate mode: that costs a wake-up per packet and makes
     * libpcap use TPACKET_V2, whose ring slots are sized for whole packets; on loopback under wrk load it dropped a
     * third of the packets that block mode kept up with.
     *
     * @param device the interface name ({@code any} captures on all of them)
     * @param filter a BPF filter expression (pcap-filter(7)); empty for none
     * @param snaplen bytes kept of each packet
     * @param bufferBytes the kernel ring buffer size; 0 keeps libpcap's default (2 MiB)
     * @param timeoutMillis how long a packet may wait in a partly filled kernel block before delivery, and how long
     *     {@link #dispatch} runs on a quiet interface; at least 1
     */
    public record Options(String device, String filter, int snaplen, int bufferBytes, int timeoutMillis) {
        /** Whole packets, as tcpdump keeps by default. */
        public static final int DEFAULT_SNAPLEN = Snaplen.MAXIMUM;
        /** Room for about a second of a busy gigabit link, so short stalls in the analysis drop nothing. */
        public static final int DEFAULT_BUFFER_BYTES = 32 << 20;
        /** Rows appear within this long of the packet that finished them, and idle expiry runs this often. */
        public static final int DEFAULT_TIMEOUT_MILLIS = 100;

        public Options {
            Objects.requireNonNull(device, "device");
            filter = filter == null ? "" : filter.strip();
            if (device.isBlank()) {
                throw new IllegalArgumentException("no interface given");
            }
            if (snaplen <= 0) {
                throw new IllegalArgumentException("snapshot length must be positive, not " + snaplen);
            }
            if (bufferBytes < 0) {
                throw new IllegalArgumentException("buffer size must not be negative, not " + bufferBytes);
            }
            if (timeoutMillis <= 0) {
                // libpcap reads 0 as "wait forever", which would keep dispatch from returning on a quiet interface.
                throw new IllegalArgumentException("read timeout must be at least 1 ms, not " + timeoutMillis);
            }
        }

        /** Whole packets, no filter, a 32 MiB buffer, a 100 ms timeout. */
        public static Options defaults(String device) {
            return new Options(device, "", DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES, DEFAULT_TIMEOUT_MILLIS);
        }

        public Options withFilter(String newFilter) {
            return new Options(device, newFilter, snaplen, bufferBytes, timeoutMillis);
        }

        public Options withSnaplen(int newSnaplen) {
            return new Options(device, filter, newSnaplen, bufferBytes, timeoutMillis);
        }

        public Options withBufferBytes(int newBufferBytes) {
            return new Options(device, filter, snaplen, newBufferBytes, timeoutMillis);
        }
    }

    /**
     * libpcap's counters since the capture opened (pcap_stats(3PCAP)).
     *
     * @param received packets that passed the filter, as the kernel counts them; on {@code lo} each packet twice,
     *     since the kernel also hands over the outgoing copy, which libpcap then discards
     * @param dropped packets the kernel dropped because the buffer was full: the analysis fell behind
     * @param interfaceDropped packets the interface or its driver dropped
     */
    public record Stats(long received, long dropped, long interfaceDropped) {}

    /** A capture interface as libpcap lists it, with its IP addresses. */
    public record Device(String name, String description, List<InetAddress> addresses, boolean up, boolean loopback) {
        public Device {
            description = description == null ? "" : description;
            addresses = List.copyOf(addresses);
        }
    }

    private final PcapHandle handle;
    private final String device;
    private final int linkType;
    private final int snaplen;
    private final boolean nanosecond;
    private final Receiver receiver = new Receiver();
    /** The direct reader of the packets, or null: then pcap4j's dispatch delivers them. */
    private final PcapNextEx direct;
    private final DispatchWatchdog watchdog;
    private Stats lastStats = new Stats(0, 0, 0);
    private Thread dispatchingThread;
    private boolean closeAfterDispatch;
    private volatile boolean closed;

    private LiveCapture(PcapHandle handle, String device, int timeoutMillis, boolean pcap4jOnly) {
        this.handle = handle;
        this.device = device;
        this.linkType = linkTypeOf(handle.getDlt().value());
        this.nanosecond = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO;
        int snapshot;
        try {
            snapshot = handle.getSnapshot();
        } catch (NotOpenException e) {
            throw new IllegalStateException("capture closed while opening", e);
        }
        this.snaplen = snapshot;
        this.direct = pcap4jOnly ? null : PcapNextEx.of(handle, snapshot);
        // Last, since its thread calls breakLoop on this capture.
        this.watchdog = new DispatchWatchdog(device, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), this::breakLoop);
    }

    /** The interfaces libpcap can capture on, in its order (up and running ones first). */
    public static List<Device> devices() throws LiveCaptureException {
        try {
            List<Device> devices = new ArrayList<>();
            for (PcapNetworkInterface nif : Pcaps.findAllDevs()) {
                List<InetAddress> addresses = new ArrayList<>();
                for (PcapAddress address : nif.getAddresses()) {
                    if (address.getAddress() != null) {
                        addresses.add(address.getAddress());
                    }
                }
                devices.add(new Device(nif.getName(), nif.getDescription(), addresses, nif.isUp(), nif.isLoopBack()));
            }
            return devices;
        } catch (PcapNativeException e) {
            throw LiveCaptureException.other("the interface list", e.getMessage());
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw LiveCaptureException.noLibpcap(loadFailureReason(e));
        }
    }

    /** Opens and activates the interface and installs the filter; nothing is delivered before {@link #dispatch}. */
    public static LiveCapture open(Options options) throws LiveCaptureException {
        return open(options, false);
    }

    /** The same; {@code pcap4jOnly}: packets come through pcap4j's dispatch, as where {@link PcapNextEx} is missing. */
    static LiveCapture open(Options options, boolean pcap4jOnly) throws LiveCaptureException {
        PcapHandle handle;
        try {
            handle = PcapOpening.activate(options, true);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw LiveCaptureException.noLibpcap(loadFailureReason(e));
        }
        try {
            if (!options.filter().isEmpty()) {
                PcapOpening.setFilter(handle, options);
            }
            return new LiveCapture(handle, options.device(), options.timeoutMillis(), pcap4jOnly);
        } catch (LiveCaptureException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** The interface's LINKTYPE_ value, as frames carry it and pcap files record it (1 Ethernet, 113 Linux SLL...). */
    @Override
    public int linkType() { return linkType; }

    /** The snapshot length libpcap settled on, for the header of a file that tees this capture. */
    @Override
    public int snaplen() { return snaplen; }

    /** Whether frame times are exact to the nanosecond (otherwise to the microsecond). */
    @Override
    public boolean nanosecondTimestamps() { return nanosecond; }

    /** The interface name, for messages. */
    @Override
    public String device() { return device; }

    /**
     * Delivers the packets that have arrived, returning about one read timeout after it started (at most one and a
     * half), or sooner: after {@link #DIRECT_BATCH} packets (read directly), or once the packets waiting have been
     * delivered (through pcap4j).
     *
     * @return how many packets were delivered; 0 after a timeout or a {@link #breakLoop()}
     * @throws LiveCaptureException when libpcap fails, for instance because the interface went down
     * @throws RuntimeException what {@code handler} threw, after the capture stopped delivering
     */
    @Override
    public int dispatch(FrameHandler handler) throws LiveCaptureException {
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("capture on " + device + " is closed");
        }
        receiver.start(handler);
        dispatchingThread = Thread.currentThread();
        watchdog.started();
        try {
            if (direct != null) readDirect();
            else handle.dispatch(-1, receiver);
        } catch (InterruptedException e) {
            // Not a thread interrupt: pcap4j's way of saying pcap_dispatch returned -2 after pcap_breakloop.
        } catch (PcapNativeException e) {
            if (receiver.failure == null) {
                throw dispatchFailure(e);
            }
        } catch (NotOpenException e) {
            throw new IllegalStateException("capture on " + device + " is closed", e);
        } finally {
            watchdog.ended();
            dispatchingThread = null;
            if (closeAfterDispatch) {
                closeHandle();
            }
        }
        receiver.rethrowFailure();
        return receiver.delivered;
    }

    /** Whether packets come through {@link PcapNextEx}, not pcap4j's dispatch. */
    boolean readsDirectly() {
        return direct != null;
    }

    /** Packets {@link PcapNextEx} read so far (0 through pcap4j). */
    long packetsReadDirectly() {
        return direct == null ? 0 : direct.packets;
    }

    /**
     * {@link #dispatch} through {@link PcapNextEx}: up to {@link #DIRECT_BATCH} packets, fewer when the read timeout
     * passes without one, {@link #breakLoop} is called (the watchdog's included) or the handler fails. pcap4j's lock
     * is held meanwhile, as its own dispatch holds it, so that a close from another thread waits for the read.
     */
    private void readDirect() throws PcapNativeException {
        if (!direct.lock()) throw new IllegalStateException("capture on " + device + " is closed");
        try {
            for (int n = 0; n < DIRECT_BATCH; n++) {
                int rc = direct.next();
                if (rc == PcapNextEx.PACKET) {
                    receiver.deliver(direct.data(), direct.capturedLength, direct.originalLength, direct.timeNanos);
                    if (receiver.stopped()) return;
                } else if (rc == PcapNextEx.TIMEOUT || rc == PcapNextEx.PCAP_ERROR_BREAK) {
                    return;
                } else {
                    throw new PcapNativeException(direct.error(), rc);
                }
            }
        } finally {
            direct.unlock();
        }
    }

    /**
     * Packets one direct dispatch delivers at most before it returns to its caller (who checks its limits, flushes
     * its tee and samples its status between dispatches): about one kernel block's worth, which is what pcap4j's
     * {@code pcap_dispatch(-1)} delivers.
     */
    static final int DIRECT_BATCH = 4096;

    private LiveCaptureException dispatchFailure(PcapNativeException e) {
        String message = e.getMessage();
        boolean down = Objects.equals(e.getReturnCode(), PcapOpening.PCAP_ERROR_IFACE_NOT_UP)
                || message.contains("went down") || message.contains("disappeared");
        return down ? LiveCaptureException.deviceDown(device) : LiveCaptureException.other(device, message);
    }

    /** Makes a running {@link #dispatch} return promptly (or the next one at once); safe from any thread. */
    @Override
    public void breakLoop() {
        if (closed) {
            return;
        }
        try {
            handle.breakLoop();
        } catch (NotOpenException e) {
            // Closed meanwhile: there is nothing left to stop.
        }
    }

    /** libpcap's counters so far; after {@link #close()}, the last counters read before closing. */
    @Override
    public Stats stats() {
        if (closed) {
            return lastStats;
        }
        try {
            PcapStat stat = handle.getStats();
            lastStats = new Stats(stat.getNumPacketsReceived(), stat.getNumPacketsDropped(),
                    stat.getNumPacketsDroppedByIf());
        } catch (PcapNativeException | NotOpenException e) {
            // Keep the last counters: a summary line is better late than missing.
        }
        return lastStats;
    }

    /** Stops the capture and releases the interface; from inside a handler the close happens when dispatch returns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() == dispatchingThread) {
            // pcap4j's close waits for dispatch to finish, which from inside the callback would wait forever.
            closeAfterDispatch = true;
            breakLoop();
            return;
        }
        // From another thread: stop a running dispatch rather than wait out its timeout.
        breakLoop();
        closeHandle();
    }

    private void closeHandle() {
        if (!closed) {
            stats();
            closed = true;
            watchdog.close();
            handle.close();
        }
    }

    /** libpcap's {@code dlt_to_linktype} for the values Linux numbers differently; all others are equal. */
    static int linkTypeOf(int dlt) {
        return switch (dlt) {
            case DLT_RAW -> LinkTypes.RAW;
            case DLT_ATM_RFC1483 -> LINKTYPE_ATM_RFC1483;
            default -> dlt;
        };
    }

    /**
     * The first line of the loader's complaint. A second attempt fails with "Could not initialize class", whose
     * cause (since Java 17) quotes the first failure as "Exception java.lang.UnsatisfiedLinkError: ...".
     */
    static String loadFailureReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        String line = message.lines().findFirst().orElse("").strip()
                .replaceFirst("^Exception [\\w.$]+: ", "");
        return line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    }

    /** pcap4j's callback: turns each packet into the shared frame and hands it on. */
    private final class Receiver implements RawPacketListener {
        private final Frame frame = new Frame();
        private FrameHandler handler;
        private RuntimeException failure;
        private Error fatal;
        private int delivered;
        private long sequence;

        void start(FrameHandler newHandler) {
            handler = newHandler;
            failure = null;
            fatal = null;
            delivered = 0;
        }

        @Override
        public void gotPacket(byte[] packet) {
            if (stopped()) {
                return;
            }
            // pcap4j sets these per packet, on this thread, just before calling us.
            Timestamp time = handle.getTimestamp();
            long timeNanos = Math.floorDiv(time.getTime(), 1000) * TimestampResolution.NANOS_PER_SECOND
                    + time.getNanos();
            deliver(packet, packet.length, handle.getOriginalLength(), timeNanos);
        }

        /** Whether the handler failed: nothing more is delivered in this dispatch. */
        boolean stopped() {
            return failure != null || fatal != null;
        }

        /** Hands {@code packet[0, length)}, captured at {@code timeNanos}, to the handler as the shared frame. */
        void deliver(byte[] packet, int length, int originalLength, long timeNanos) {
            // A live frame has no byte offset; its sequence number in the capture serves messages instead.
            frame.set(packet, 0, length, originalLength, timeNanos, linkType, sequence++);
            delivered++;
            try {
                handler.onFrame(frame);
            } catch (RuntimeException e) {
                // Thrown through JNA it would be printed and swallowed, and the capture would go on.
                failure = e;
                breakLoop();
            } catch (Error e) {
                fatal = e;
                breakLoop();
            }
        }

        void rethrowFailure() {
            if (fatal != null) {
                throw fatal;
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
