package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teardown.capture.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The TCP checksum check, on segments built here and against tshark's own verdict ({@code tcp.checksum.status} with
 * {@code tcp.check_checksum} on) for every segment of every sample: loopback captures carry checksums the kernel
 * never filled in (offload), the crafted ones correct checksums except the one segment bad-checksum.pcap corrupts.
 */
class TcpChecksumTest {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");
    private static final Path SAMPLES = Path.of("samples");

    /** An IPv4 Ethernet frame: 10.0.0.1:40000 to 10.0.0.2:80, the given payload, its TCP checksum computed here. */
    private static byte[] frame(byte[] payload) {
        byte[] f = new byte[14 + 20 + 20 + payload.length];
        f[12] = 0x08;
        f[14] = 0x45;
        int total = 40 + payload.length;
        f[16] = (byte) (total >> 8);
        f[17] = (byte) total;
        f[22] = 64;
        f[23] = 6;
        f[26] = 10; f[29] = 1;
        f[30] = 10; f[33] = 2;
        int t = 34;
        f[t] = (byte) (40000 >> 8); f[t + 1] = (byte) 40000;
        f[t + 3] = 80;
        f[t + 7] = 1; // seq 1
        f[t + 12] = 0x50;
        f[t + 13] = 0x18; // PSH ACK
        f[t + 14] = (byte) 0xff; f[t + 15] = (byte) 0xff;
        System.arraycopy(payload, 0, f, t + 20, payload.length);
        // RFC 1071 by hand: pseudo-header words, then the segment with its checksum field zero.
        long sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + (20 + payload.length);
        for (int i = t; i < f.length; i += 2) sum += (f[i] & 0xff) << 8 | (i + 1 < f.length ? f[i + 1] & 0xff : 0);
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        int checksum = (int) ~sum & 0xffff;
        f[t + 16] = (byte) (checksum >> 8);
        f[t + 17] = (byte) checksum;
        return f;
    }

    private static TcpSegment decode(byte[] f, int captured, boolean verify, DecodeStats stats) {
        Frame frame = new Frame();
        frame.set(f, 0, captured, f.length, 0, 1, 0);
        TcpSegment s = new TcpSegment();
        assertEquals(PacketDecoder.Result.TCP, new PacketDecoder(stats, verify).decode(frame, s));
        return s;
    }

    @Test
    void aCorrectChecksumPassesAndAnyFlippedBitFails() {
        for (String payload : new String[] {"", "a", "hello", "GET / HTTP/1.1\r\n\r\n"}) {
            byte[] f = frame(payload.getBytes(StandardCharsets.US_ASCII));
            assertFalse(decode(f, f.length, true, new DecodeStats()).badChecksum, "payload of " + payload.length());
            for (int i = 34; i < f.length; i++) {
                if (i == 34 + 12) continue; // the data offset: flipped, the header no longer decodes
                byte[] bad = f.clone();
                bad[i] ^= 0x10;
                DecodeStats stats = new DecodeStats();
                assertTrue(decode(bad, bad.length, true, stats).badChecksum, "bit flipped in byte " + i);
                assertEquals(1, stats.count(Anomaly.BAD_TCP_CHECKSUM));
            }
        }
    }

    @Test
    void nothingIsCheckedUnlessAskedNorASegmentTheSnapshotCut() {
        byte[] bad = frame("hello".getBytes(StandardCharsets.US_ASCII));
        bad[bad.length - 1] ^= 1;
        DecodeStats stats = new DecodeStats();
        assertFalse(decode(bad, bad.length, false, stats).badChecksum, "off by default");
        assertFalse(decode(bad, bad.length - 2, true, stats).badChecksum, "cut by the snapshot length: cannot be checked");
        assertEquals(0, stats.count(Anomaly.BAD_TCP_CHECKSUM));
    }

    @TestFactory
    Stream<DynamicTest> everySegmentOfEverySampleGetsTsharksVerdict() throws IOException, InterruptedException {
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(Files.isExecutable(TSHARK), "needs tshark (apt-get install tshark)");
        }
        List<Path> captures;
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            captures = walk.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
        assertTrue(captures.size() >= 30, "samples: " + captures.size());
        // tshark takes most of a second to start: one run over all samples, concatenated by mergecap in this order.
        Verdicts all = tshark(captures);
        Map<Path, Integer> firstFrame = new HashMap<>();
        int frames = 0;
        for (Path p : captures) {
            firstFrame.put(p, frames);
            frames += TestCaptureReader.read(p).size();
        }
        assertEquals(frames, all.frames(), "frames tshark read from the concatenation");
        return captures.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            int offset = firstFrame.get(p);
            List<TestCaptureReader.Record> records = TestCaptureReader.read(p);
            PacketDecoder decoder = new PacketDecoder(new DecodeStats(), true);
            TcpSegment s = new TcpSegment();
            Frame frame = new Frame();
            int compared = 0;
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                TestCaptureReader.Record r = records.get(i);
                frame.set(r.bytes(), 0, r.bytes().length, r.originalLength(), 0, r.linkType(), 0);
                Boolean bad = all.bad().get(offset + i + 1);
                if (decoder.decode(frame, s) != PacketDecoder.Result.TCP || bad == null) continue;
                compared++;
                if (s.badChecksum != bad) wrong.add("frame " + (i + 1) + ": teardown bad=" + s.badChecksum + ", tshark bad=" + bad);
            }
            assertTrue(compared > 0, "segments compared in " + p);
            assertTrue(wrong.isEmpty(), p + ":\n" + String.join("\n", wrong));
        }));
    }

    /** tshark's verdict per frame number: true bad, false good (frames it left unverified absent); the frames it read. */
    private record Verdicts(int frames, Map<Integer, Boolean> bad) {}

    /** tshark's verdicts on {@code captures} concatenated (mergecap -a), frames numbered through them all from 1. */
    private static Verdicts tshark(List<Path> captures) throws IOException, InterruptedException {
        Path merged = Files.createTempFile("teardown-samples", ".pcapng");
        try {
            List<String> merge = new ArrayList<>(List.of("/usr/bin/mergecap", "-a", "-w", merged.toString()));
            for (Path p : captures) merge.add(p.toString());
            run(merge);
            String out = run(List.of(TSHARK.toString(), "-n", "-r", merged.toString(), "-o", "tcp.check_checksum:TRUE",
                "-d", "mpls.label==500,pwethcw", "-T", "fields", "-E", "occurrence=l", "-e", "frame.number",
                "-e", "tcp.checksum.status", "-e", "icmp.type", "-e", "icmpv6.type"));
            Map<Integer, Boolean> bad = new HashMap<>();
            int frames = 0;
            for (String line : out.split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length < 4) continue;
                frames++;
                // 0 bad, 1 good, 2 unverified (tshark's "Checksum status"); a TCP header quoted in ICMP is not a segment.
                if (f[1].isEmpty() || f[1].equals("2") || !f[2].isEmpty() || !f[3].isEmpty()) continue;
                bad.put(Integer.parseInt(f[0]), f[1].equals("0"));
            }
            return new Verdicts(frames, bad);
        } finally {
            Files.delete(merged);
        }
    }

    /** Runs {@code command}, which must succeed within a minute; returns its standard output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.get(0) + " finished");
        assertEquals(0, process.exitValue(), String.join(" ", command));
        return out;
    }
}
