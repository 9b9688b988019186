package dev.teardown.capture;

import dev.teardown.capture.Captures.Packet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live capture through libpcap. Tests that open an interface need root and are skipped without it, except when the
 * environment variable {@code CI=true}: there they must run, so a misconfigured runner fails instead of passing.
 */
class LiveCaptureTest {
    private static final int LINKTYPE_ETHERNET = 1;
    private static final long SECOND = 1_000_000_000L;
    private static final int TCP_FIN = 0x01;
    /** How long a test waits for what the kernel delivers within milliseconds: only a failure waits this long. */
    private static final long DEADLINE = 30 * SECOND;

    @TempDir
    Path dir;

    /** The options with another read timeout: main code has always used the default. */
    private static LiveCapture.Options withTimeoutMillis(LiveCapture.Options options, int timeoutMillis) {
        return new LiveCapture.Options(options.device(), options.filter(), options.snaplen(), options.bufferBytes(),
                timeoutMillis);
    }

    static void assumeCanCapture() {
        if ("true".equals(System.getenv("CI"))) {
            return;
        }
        boolean root;
        try {
            root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            root = false;
        }
        assumeTrue(root, "live capture needs root; set CI=true to make these tests mandatory");
    }

    // ---- without an interface ----

    @Test
    void defaultsKeepWholePacketsInBlockModeWithAShortTimeout() {
        LiveCapture.Options options = LiveCapture.Options.defaults("any");

        assertEquals(new LiveCapture.Options("any", "", 262_144, 32 << 20, 100), options);
    }

    @Test
    void optionsRejectATimeoutOfZeroBecauseLibpcapWouldWaitForever() {
        assertThrows(IllegalArgumentException.class, () -> withTimeoutMillis(LiveCapture.Options.defaults("lo"), 0));
        assertThrows(IllegalArgumentException.class, () -> LiveCapture.Options.defaults("lo").withSnaplen(0));
        assertThrows(IllegalArgumentException.class, () -> LiveCapture.Options.defaults(" "));
    }

    @Test
    void aMissingOrBlankFilterMeansNoFilter() {
        assertEquals("", LiveCapture.Options.defaults("lo").withFilter(null).filter());
        assertEquals("tcp", LiveCapture.Options.defaults("lo").withFilter("  tcp ").filter());
    }

    @Test
    void linuxDltNumbersBecomeTheLinktypeNumbersFilesRecord() {
        assertEquals(101, LiveCapture.linkTypeOf(12), "DLT_RAW");
        assertEquals(100, LiveCapture.linkTypeOf(11), "DLT_ATM_RFC1483");
        assertEquals(1, LiveCapture.linkTypeOf(1));
        assertEquals(113, LiveCapture.linkTypeOf(113));
        assertEquals(276, LiveCapture.linkTypeOf(276));
    }

    @Tag("root")
    @Test
    void devicesListTheLoopbackAsUpWithItsAddress() throws Exception {
        Optional<LiveCapture.Device> lo = LiveCapture.devices().stream().filter(LiveCapture.Device::loopback)
                .findFirst();

        assertTrue(lo.isPresent(), "a loopback interface is listed");
        assertTrue(lo.get().up());
        assertTrue(lo.get().addresses().contains(InetAddress.getByName("127.0.0.1")), lo.get().addresses().toString());
    }

    @Test
    void loaderFailuresGiveTheFirstLineOfTheFirstFailure() {
        UnsatisfiedLinkError first = new UnsatisfiedLinkError(
                "Unable to load library 'pcap':\nlibpcap.so: cannot open shared object file");
        NoClassDefFoundError second = new NoClassDefFoundError("Could not initialize class NativeMappings");
        second.initCause(new ExceptionInInitializerError(
                "Exception java.lang.UnsatisfiedLinkError: Unable to load library 'pcap':\nlibpcap.so: cannot open"));

        assertEquals("Unable to load library 'pcap'", LiveCapture.loadFailureReason(first));
        assertEquals("Unable to load library 'pcap'", LiveCapture.loadFailureReason(second));
    }

    /** Run in a separate JVM told to load a library that does not exist, as on a host without libpcap. */
    static final class NoLibpcapProbe {
        public static void main(String[] args) {
            try {
                LiveCapture.devices();
            } catch (LiveCaptureException e) {
                System.out.println(e.kind() + " " + e.getMessage());
            }
            try (LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo"))) {
                System.out.println("opened " + capture.device());
            } catch (LiveCaptureException e) {
                System.out.println(e.kind() + " " + e.getMessage());
            }
        }
    }

    @Test
    void withoutLibpcapBothListingAndOpeningSayToInstallLibpcap08() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.pcap4j.core.pcapLibName=teardown-test-missing-pcap",
                "-cp", System.getProperty("java.class.path"), NoLibpcapProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        String expected = "NO_LIBPCAP cannot load libpcap (Unable to load library 'teardown-test-missing-pcap'):"
                + " install it (Debian/Ubuntu: sudo apt-get install libpcap0.8; Fedora/RHEL: sudo dnf install libpcap)";
        assertEquals(List.of(expected, expected), output.lines().toList(), output);
    }

    // ---- opening an interface (root) ----

    @Tag("root")
    @Test
    void theAnyDeviceGivesLinuxCookedHeaders() throws LiveCaptureException {
        assumeCanCapture();
        try (LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("any"))) {
            assertTrue(capture.linkType() == 113 || capture.linkType() == 276, "link type " + capture.linkType());
        }
    }

    // ---- capturing (root) ----

    /** Whether {@code thread} is in libpcap's pcap_dispatch now (a native frame under pcap4j's dispatch). */
    /** Whether {@code thread} waits in libpcap's read: pcap_next_ex (read directly) or pcap_dispatch (pcap4j's). */
    private static boolean inLibpcapRead(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod()
            && (stack[0].getMethodName().equals("pcap_next_ex") || stack[0].getMethodName().equals("pcap_dispatch"));
    }

    /** A TCP server on loopback; {@link #exchange()} runs one connection: a request, a reply, and both closes. */
    private static final class LoopbackPeer implements AutoCloseable {
        final ServerSocket server;

        LoopbackPeer() throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        }

        String filter() {
            return "tcp port " + server.getLocalPort();
        }

        void exchange() throws IOException {
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                OutputStream request = client.getOutputStream();
                request.write("hello".getBytes(StandardCharsets.US_ASCII));
                request.flush();
                InputStream in = accepted.getInputStream();
                assertEquals(5, in.readNBytes(5).length);
                accepted.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
                assertEquals(5, client.getInputStream().readNBytes(5).length);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Whether an Ethernet-framed IPv4 or IPv6 TCP segment has FIN set. */
    private static boolean isFin(Packet p) {
        byte[] b = p.data();
        int etherType = (b[12] & 0xff) << 8 | (b[13] & 0xff);
        int tcp;
        if (etherType == 0x0800) {
            tcp = 14 + (b[14] & 0x0f) * 4;
        } else if (etherType == 0x86dd) {
            tcp = 14 + 40;
        } else {
            return false;
        }
        return b.length > tcp + 13 && (b[tcp + 13] & TCP_FIN) != 0;
    }

    /** Dispatches until {@code fins} FIN segments have been seen, or (a failure) until the deadline. */
    private static List<Packet> captureUntilFins(LiveCapture capture, int fins, FrameHandler alsoTo)
            throws LiveCaptureException {
        List<Packet> packets = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE;
        while (packets.stream().filter(LiveCaptureTest::isFin).count() < fins && System.nanoTime() < deadline) {
            capture.dispatch(frame -> {
                packets.add(Captures.copy(frame));
                alsoTo.onFrame(frame);
            });
        }
        return packets;
    }

    @Tag("root")
    @Test
    void loopbackCaptureDeliversAConnectionThroughBothFinsWithTodaysTimesAndNoDrops() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer peer = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()))) {
            long before = System.currentTimeMillis() * 1_000_000L;
            peer.exchange();
            List<Packet> packets = captureUntilFins(capture, 2, frame -> { });
            long after = System.currentTimeMillis() * 1_000_000L;

            assertEquals(2, packets.stream().filter(LiveCaptureTest::isFin).count(), packets.size() + " packets");
            // Handshake (3), two data segments with their ACKs, two FINs and the last ACK: at least 9 on loopback.
            assertTrue(packets.size() >= 9, packets.size() + " packets");
            assertEquals(LINKTYPE_ETHERNET, capture.linkType());
            long previous = 0;
            for (Packet p : packets) {
                assertEquals(LINKTYPE_ETHERNET, p.linkType());
                assertEquals(p.data().length, p.originalLength(), "whole packets within the snapshot length");
                assertTrue(p.timeNanos() >= before - SECOND && p.timeNanos() <= after + SECOND,
                        "time " + p.timeNanos() + " within a second of the exchange");
                assertTrue(p.timeNanos() >= previous, "times do not go backwards");
                previous = p.timeNanos();
            }
            assertTrue(capture.nanosecondTimestamps(), "libpcap 1.10 gives nanoseconds on Linux");
            LiveCapture.Stats stats = capture.stats();
            assertEquals(0, stats.dropped(), stats.toString());
            assertTrue(stats.received() >= packets.size(), stats.toString());
        }
    }

    @Tag("root")
    @Test
    void theDirectReaderAndPcap4jsDispatchDeliverTheSameFramesOfOneConnection() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer peer = new LoopbackPeer();
             LiveCapture direct = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()));
             LiveCapture viaPcap4j = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()), true)) {
            assertTrue(direct.readsDirectly(), "pcap_next_ex, called directly, where libpcap and pcap4j 1.8.2 are");
            assertFalse(viaPcap4j.readsDirectly());
            peer.exchange();
            List<Packet> a = captureUntilFins(direct, 2, frame -> { });
            List<Packet> b = captureUntilFins(viaPcap4j, 2, frame -> { });

            assertTrue(a.size() >= 9, a.size() + " packets");
            assertEquals(b.size(), a.size());
            assertEquals(a.size(), direct.packetsReadDirectly(), "every frame taken with pcap_next_ex");
            assertEquals(0, viaPcap4j.packetsReadDirectly());
            for (int i = 0; i < a.size(); i++) {
                // The direct reader reuses one array: each frame holds its own packet's bytes, and only those.
                assertArrayEquals(b.get(i).data(), a.get(i).data(), "packet " + i);
                assertEquals(b.get(i).originalLength(), a.get(i).originalLength(), "packet " + i);
                // Each capture socket stamps its own copy (a microsecond or so apart on loopback): seconds and
                // nanoseconds read from the header as pcap4j reads them.
                long apart = Math.abs(b.get(i).timeNanos() - a.get(i).timeNanos());
                assertTrue(apart < 1_000_000L, "packet " + i + ": stamps " + apart + " ns apart");
                assertEquals(b.get(i).linkType(), a.get(i).linkType());
            }
        }
    }

    @Tag("root")
    @Test
    void aDirectDispatchReturnsAfterItsBatchWhileMorePacketsWait() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer peer = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()))) {
            assertTrue(capture.readsDirectly());
            // At least 9 packets per connection: more than one batch waits once the kernel has handed its blocks over.
            int connections = LiveCapture.DIRECT_BATCH / 9 + 100;
            for (int i = 0; i < connections; i++) peer.exchange();
            Thread.sleep(500); // past the read timeout, so the last block is handed over too
            int first = capture.dispatch(frame -> { });
            int second = capture.dispatch(frame -> { });

            assertEquals(LiveCapture.DIRECT_BATCH, first, "a dispatch stops at its batch");
            assertTrue(second > 0, "and the next goes on where it stopped: " + second);
        }
    }

    @Tag("root")
    @Test
    void aTeedPcapFileReadsBackAsTheSameFrames() throws Exception {
        assumeCanCapture();
        Path file = dir.resolve("tee.pcap");
        List<Packet> live;
        try (LoopbackPeer peer = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()));
             PcapFileWriter writer = new PcapFileWriter(file, capture.linkType(), capture.snaplen(),
                     capture.nanosecondTimestamps())) {
            peer.exchange();
            live = captureUntilFins(capture, 2, frame -> {
                try {
                    writer.write(frame);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        List<Packet> fromFile;
        try (PacketSource source = CaptureFiles.open(file)) {
            fromFile = Captures.drain(source).packets();
        }

        assertEquals(live.size(), fromFile.size());
        for (int i = 0; i < live.size(); i++) {
            Packet a = live.get(i);
            Packet b = fromFile.get(i);
            // Record offsets differ by nature (sequence number live, byte offset in the file); the rest must not.
            assertEquals(new Packet(a.data(), a.originalLength(), a.timeNanos(), a.linkType(), 0),
                    new Packet(b.data(), b.originalLength(), b.timeNanos(), b.linkType(), 0), "packet " + i);
        }
    }

    @Tag("root")
    @Test
    void dispatchOnAQuietInterfaceReturnsAfterAboutTheReadTimeout() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer quiet = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(
                     withTimeoutMillis(LiveCapture.Options.defaults("lo").withFilter(quiet.filter()), 200))) {
            long start = System.nanoTime();
            int delivered = capture.dispatch(frame -> { });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertEquals(0, delivered);
            // The watchdog breaks the dispatch once it has run for the timeout, not before; the upper bound only
            // tells "returned" from "libpcap waits forever", with room for a loaded machine.
            assertTrue(tookMillis >= 150 && tookMillis < 10_000, "returned after " + tookMillis + " ms");
        }
    }

    @Tag("root")
    @Test
    void breakLoopFromAnotherThreadEndsADispatchPromptly() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer quiet = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(
                     withTimeoutMillis(LiveCapture.Options.defaults("lo").withFilter(quiet.filter()), 60_000))) {
            Thread dispatcher = Thread.currentThread();
            AtomicBoolean returned = new AtomicBoolean();
            AtomicBoolean brokeInsideLibpcap = new AtomicBoolean();
            Thread stopper = new Thread(() -> {
                // Break once the dispatch waits inside libpcap: the poll that breakLoop must wake.
                while (!returned.get() && !inLibpcapRead(dispatcher)) {
                    LockSupport.parkNanos(1_000_000L);
                }
                brokeInsideLibpcap.set(!returned.get());
                capture.breakLoop();
            });
            stopper.start();
            long start = System.nanoTime();
            capture.dispatch(frame -> { });
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            returned.set(true);
            stopper.join();

            assertTrue(brokeInsideLibpcap.get(), "the dispatch returned before it was broken");
            // Only a dispatch that was not woken waits for its 60 s read timeout: half of it tells the two apart.
            assertTrue(tookMillis < 30_000, "returned after " + tookMillis + " ms, not at the break");
        }
    }

    @Tag("root")
    @Test
    void anExceptionFromTheHandlerStopsDispatchAndIsRethrownAsIs() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer peer = new LoopbackPeer();
             LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()))) {
            peer.exchange();
            IllegalStateException thrown = new IllegalStateException("sink failed");
            int[] calls = new int[1];
            long deadline = System.nanoTime() + DEADLINE;
            IllegalStateException caught = null;
            while (caught == null && System.nanoTime() < deadline) {
                try {
                    capture.dispatch(frame -> {
                        calls[0]++;
                        throw thrown;
                    });
                } catch (IllegalStateException e) {
                    caught = e;
                }
            }

            assertSame(thrown, caught);
            assertEquals(1, calls[0], "no frame is delivered after the handler failed");
            // The capture goes on: the frames after the failed one are still there.
            assertTrue(captureUntilFins(capture, 2, frame -> { }).stream().anyMatch(LiveCaptureTest::isFin));
        }
    }

    @Tag("root")
    @Test
    void closeFromInsideTheHandlerTakesEffectWhenDispatchReturns() throws Exception {
        assumeCanCapture();
        try (LoopbackPeer peer = new LoopbackPeer()) {
            LiveCapture capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()));
            peer.exchange();
            long deadline = System.nanoTime() + DEADLINE;
            while (capture.dispatch(frame -> capture.close()) == 0 && System.nanoTime() < deadline) {
                // Wait for the first packet.
            }

            assertThrows(IllegalStateException.class, () -> capture.dispatch(frame -> { }));
            assertTrue(capture.stats().received() > 0, "the counters read at close are kept");
            capture.close();
        }
    }

    @Tag("root")
    @Test
    void statsAfterCloseAreTheLastCountersRead() throws Exception {
        assumeCanCapture();
        LiveCapture.Stats atClose;
        LiveCapture capture;
        try (LoopbackPeer peer = new LoopbackPeer()) {
            capture = LiveCapture.open(LiveCapture.Options.defaults("lo").withFilter(peer.filter()));
            peer.exchange();
            captureUntilFins(capture, 2, frame -> { });
            atClose = capture.stats();
            capture.close();
        }

        assertEquals(atClose, capture.stats());
        assertTrue(atClose.received() > 0, atClose.toString());
    }
}
