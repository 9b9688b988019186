package dev.teardown.capture;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * A capture file read by libpcap through pcap4j ({@code pcap_open_offline}, then {@code pcap_next_ex} per packet):
 * the second file source, for {@code --reader pcap4j}, handing on the same {@link Frame}s as the built-in readers.
 *
 * <p>libpcap reads what it reads (classic pcap and, since 1.1, pcapng with one link type per file); gzip it does
 * not. Each packet is copied out of libpcap's buffer into one reused array ({@link PcapNextEx}, which calls
 * {@code pcap_next_ex} directly), which the frame points at; where that reader cannot be had, pcap4j's
 * {@code getNextRawPacketEx} copies each into a fresh array instead. Memory: one packet.
 *
 * <p>A file whose last record is cut short ends with a warning, as the built-in readers' does; any other failure
 * libpcap reports stops reading with a {@link CaptureFormatException} quoting libpcap, after the packets before it.
 */
public final class Pcap4jFileSource implements PacketSource {
    /** libpcap's words for a file cut inside a record header or a record's data (savefile.c, sf-pcap.c). */
    private static final String TRUNCATED = "truncated";
    /** Bytes before the first record of a classic pcap file, and before each record, for the progress estimate. */
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;

    private final PcapHandle handle;
    private final String name;
    private final int linkType;
    /** The direct reader of the packets, or null: then pcap4j reads them. */
    private final PcapNextEx direct;
    private final List<String> warnings = new ArrayList<>();
    private long packets;
    private long bytes = FILE_HEADER;
    private boolean finished;

    private Pcap4jFileSource(PcapHandle handle, String name, boolean pcap4jOnly) {
        this.handle = handle;
        this.name = name;
        this.linkType = LiveCapture.linkTypeOf(handle.getDlt().value());
        PcapNextEx reader = null;
        try {
            reader = pcap4jOnly ? null : PcapNextEx.of(handle, handle.getSnapshot());
        } catch (NotOpenException e) {
            // Not open: the first read says so.
        }
        this.direct = reader;
    }

    /** Opens {@code path} with libpcap, asking for nanosecond timestamps (libpcap scales microsecond files up). */
    public static Pcap4jFileSource open(Path path) throws IOException {
        return open(path, false);
    }

    /** The same; {@code pcap4jOnly}: packets come through pcap4j's reads, as where {@link PcapNextEx} is missing. */
    static Pcap4jFileSource open(Path path, boolean pcap4jOnly) throws IOException {
        String name = path.toString();
        if (!Files.isReadable(path)) {
            // libpcap's own message would be the same, but without the file loaded it could not even be given.
            throw new java.nio.file.NoSuchFileException(name);
        }
        try {
            return new Pcap4jFileSource(Pcaps.openOffline(name, PcapHandle.TimestampPrecision.NANO), name, pcap4jOnly);
        } catch (PcapNativeException e) {
            throw new CaptureFormatException(name, "libpcap: " + e.getMessage() + gzipHint(path));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("--reader pcap4j needs libpcap (apt-get install libpcap0.8): "
                + LiveCapture.loadFailureReason(e), e);
        }
    }

    /** Opens several files to be read one after another, in the order given, each when its turn comes. */
    public static PacketSource open(List<Path> paths) throws IOException {
        if (paths.size() == 1) return open(paths.get(0));
        List<ConcatenatedSource.Opener> parts = new ArrayList<>(paths.size());
        for (Path path : paths) parts.add(() -> open(path));
        return new ConcatenatedSource(parts);
    }

    /** libpcap reads no gzip: say so when that is why it refused the file. */
    private static String gzipHint(Path path) {
        try (var in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(2);
            boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            return gzip
                ? " (the file is gzip-compressed, which libpcap does not read: drop --reader pcap4j, or gunzip it)"
                : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        if (finished) return false;
        if (direct != null) return nextDirect(frame);
        byte[] packet;
        try {
            packet = handle.getNextRawPacketEx();
        } catch (EOFException e) {
            finished = true;
            return false;
        } catch (PcapNativeException e) {
            return failed(String.valueOf(e.getMessage()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("libpcap timed out reading a file", e);
        } catch (NotOpenException e) {
            throw new IllegalStateException(name + " is closed", e);
        }
        // pcap4j sets these per packet, on this thread, in the call above.
        Timestamp time = handle.getTimestamp();
        long timeNanos = Math.floorDiv(time.getTime(), 1000) * TimestampResolution.NANOS_PER_SECOND + time.getNanos();
        frame.set(packet, 0, packet.length, handle.getOriginalLength(), timeNanos, linkType, packets++);
        bytes += RECORD_HEADER + packet.length;
        return true;
    }

    /** {@link #next} through {@link PcapNextEx}: pcap_next_ex's end of file is its break code (pcap_next_ex(3PCAP)). */
    private boolean nextDirect(Frame frame) throws IOException {
        if (!direct.lock()) throw new IllegalStateException(name + " is closed");
        int rc;
        try {
            rc = direct.next();
            if (rc == PcapNextEx.PCAP_ERROR) return failed(direct.error());
        } finally {
            direct.unlock();
        }
        if (rc == PcapNextEx.PCAP_ERROR_BREAK) {
            finished = true;
            return false;
        }
        if (rc != PcapNextEx.PACKET) throw new IllegalStateException("libpcap gave " + rc + " reading a file");
        frame.set(direct.data(), 0, direct.capturedLength, direct.originalLength, direct.timeNanos, linkType, packets++);
        bytes += RECORD_HEADER + direct.capturedLength;
        return true;
    }

    /** libpcap failed with {@code message}: a file cut short ends with a warning, anything else stops reading. */
    private boolean failed(String message) throws CaptureFormatException {
        finished = true;
        if (message.contains(TRUNCATED)) {
            // As the built-in readers do with a file a killed tcpdump left behind: what came before stands.
            warnings.add("capture ends inside a record (truncated file; libpcap: " + message + "); " + packets
                + " complete packets read");
            return false;
        }
        throw new CaptureFormatException(name, "libpcap: " + message + " (after " + packets + " packets)");
    }

    /** Whether packets come through {@link PcapNextEx}, not pcap4j's reads. */
    boolean readsDirectly() {
        return direct != null;
    }

    /** Packets {@link PcapNextEx} read so far (0 through pcap4j). */
    long packetsReadDirectly() {
        return direct == null ? 0 : direct.packets;
    }

    @Override
    public String name() {
        return name;
    }

    /** An estimate from the records read (exact for a classic pcap file): libpcap does not say where it is. */
    @Override
    public long bytesRead() {
        return bytes;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        handle.close();
    }
}
