package dev.teardown.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.pcap4j.core.PcapHandle;

/**
 * A live capture's packets read with libpcap's {@code pcap_next_ex} (pcap_next_ex(3PCAP)), called directly through a
 * JNA direct mapping, into one reused array.
 *
 * <p>Why: pcap4j delivers each packet through {@code pcap_dispatch} and a JNA callback, and a JNA callback is a
 * native-to-Java upcall that converts its arguments and calls by reflection, then pcap4j allocates the packet's array,
 * its timestamp and a task. Profiled on a veth replay at 391k packets/s (bench/README.md, "Live capture"), that was
 * 61% of the capturing thread's time, more than the analysis of the packets. Here each packet costs one native call
 * and three copies out of libpcap's ring (the two pointers it returns, the header, the bytes).
 *
 * <p>The {@code pcap_t} and the lock that keeps pcap4j from closing it during a read are pcap4j's own (its
 * {@code PcapHandle}'s private fields, read once by reflection, as pcap4j 1.8.2 names them): pcap4j still opens,
 * filters, breaks, counts and closes the capture. Where any of this is missing (another platform, a pcap4j that
 * renamed its fields, a libpcap without {@code pcap_next_ex}), {@link #of} gives null and the capture keeps
 * pcap4j's dispatch. Linux, 64 bits: {@code struct pcap_pkthdr} is a {@code struct timeval} (two 8-byte longs)
 * then the captured and the original length (4 bytes each), 24 bytes.
 */
final class PcapNextEx {
    /** pcap_next_ex's results (pcap/pcap.h): a packet, the read timeout with none, a failure, pcap_breakloop. */
    static final int PACKET = 1;
    static final int TIMEOUT = 0;
    static final int PCAP_ERROR = -1;
    static final int PCAP_ERROR_BREAK = -2;

    private static final boolean LOADED = load();
    private static final Field HANDLE = field("handle");
    private static final Field LOCK = field("handleLock");
    /** Reads native memory at the address given as the offset. */
    private static final Pointer MEMORY = new Pointer(0);
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** More than libpcap ever captures of one packet ({@link Snaplen#MAXIMUM}): a larger length is a broken header. */
    private static final int MAX_PACKET = 16 << 20;

    private final PcapHandle handle;
    private final Pointer pcap;
    private final ReentrantReadWriteLock.ReadLock lock;
    /** Whether the capture was opened for nanosecond times (otherwise the header holds microseconds). */
    private final boolean nanosecond;
    /** Where pcap_next_ex leaves its two pointers: the header's, then the data's. */
    private final Memory out = new Memory(16);
    private final Pointer dataOut = out.share(8);
    private final long[] pointers = new long[2];
    private final long[] header = new long[3];
    private byte[] data;
    /** The last packet's time (nanoseconds since the epoch) and lengths. */
    long timeNanos;
    int capturedLength;
    int originalLength;
    /** Packets read so far. */
    long packets;

    private PcapNextEx(PcapHandle handle, Pointer pcap, ReentrantReadWriteLock.ReadLock lock, int snaplen) {
        this.handle = handle;
        this.pcap = pcap;
        this.lock = lock;
        this.nanosecond = handle.getTimestampPrecision() == PcapHandle.TimestampPrecision.NANO;
        this.data = new byte[Math.max(snaplen, 64)];
    }

    /** The direct reader of {@code handle}'s packets, or null where it cannot be had (see the class comment). */
    static PcapNextEx of(PcapHandle handle, int snaplen) {
        if (!LOADED || HANDLE == null || LOCK == null) return null;
        try {
            Pointer pcap = (Pointer) HANDLE.get(handle);
            ReentrantReadWriteLock lock = (ReentrantReadWriteLock) LOCK.get(handle);
            return pcap == null || lock == null ? null : new PcapNextEx(handle, pcap, lock.readLock(), snaplen);
        } catch (IllegalAccessException | ClassCastException e) {
            return null;
        }
    }

    private static boolean load() {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) return false;
        try {
            // The library pcap4j loaded (the same name and the same JNA instance): one libpcap for both.
            String name = System.getProperty("org.pcap4j.core.pcapLibName", "pcap");
            Native.register(PcapNextEx.class, NativeLibrary.getInstance(name));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    private static Field field(String name) {
        try {
            Field f = PcapHandle.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }

    // int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **pkt_header, const u_char **pkt_data)
    private static native int pcap_next_ex(Pointer p, Pointer header, Pointer data);

    // char *pcap_geterr(pcap_t *p)
    private static native Pointer pcap_geterr(Pointer p);

    /**
     * Takes the lock that keeps pcap4j from closing the capture while it is read, as pcap4j's own reads take it;
     * false, holding nothing, when the capture is closed or being closed. Hold it across {@link #next} calls and give
     * it back with {@link #unlock}.
     */
    boolean lock() {
        if (!handle.isOpen() || !lock.tryLock()) return false;
        if (handle.isOpen()) return true;
        lock.unlock();
        return false;
    }

    /** Gives back the lock {@link #lock} took. */
    void unlock() {
        lock.unlock();
    }

    /**
     * Reads the next packet: {@link #PACKET} (its bytes in {@link #data()}, from 0 to {@link #capturedLength}, valid
     * until the next call), {@link #TIMEOUT}, {@link #PCAP_ERROR} (see {@link #error}) or {@link #PCAP_ERROR_BREAK}.
     */
    int next() {
        int rc = pcap_next_ex(pcap, out, dataOut);
        if (rc != PACKET) return rc;
        out.read(0, pointers, 0, 2);
        MEMORY.read(pointers[0], header, 0, 3);
        timeNanos = header[0] * TimestampResolution.NANOS_PER_SECOND + (nanosecond ? header[1] : header[1] * 1000);
        long lengths = header[2];
        int first = (int) lengths;
        int second = (int) (lengths >>> 32);
        capturedLength = LITTLE_ENDIAN ? first : second;
        originalLength = LITTLE_ENDIAN ? second : first;
        if (capturedLength < 0 || capturedLength > MAX_PACKET) {
            throw new IllegalStateException("libpcap gave a packet of " + Integer.toUnsignedString(capturedLength) + " bytes");
        }
        if (capturedLength > data.length) data = new byte[capturedLength];
        MEMORY.read(pointers[1], data, 0, capturedLength);
        packets++;
        return PACKET;
    }

    /** The array the last packet's bytes are in. */
    byte[] data() {
        return data;
    }

    /** libpcap's message for the last {@link #PCAP_ERROR}. */
    String error() {
        Pointer message = pcap_geterr(pcap);
        return message == null ? "pcap_next_ex failed" : message.getString(0);
    }
}
