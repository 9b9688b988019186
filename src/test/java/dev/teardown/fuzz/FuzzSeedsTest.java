package dev.teardown.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fuzz targets' seed inputs ({@code sample-*} files under {@code src/test/resources/dev/teardown/fuzz/})
 * are made from the captures under samples/ and must stay in step with them: sample captures whole for the
 * readers and the whole analysis, their first frames for the decoder, their connections' byte streams for the
 * HTTP parser and, those that begin with a TLS handshake record or HTTP/2's preface, for the TLS record layer
 * and the HTTP/2 frame layer. Regenerate with {@code mvn test -Dtest=FuzzSeedsTest -Dteardown.regenerate=true}. Other files
 * there (libFuzzer's {@code crash-*} findings kept as regressions) are left alone.
 */
class FuzzSeedsTest {
    private static final Path SAMPLES = Path.of("samples");
    private static final Path SEEDS = Path.of("src/test/resources/dev/teardown/fuzz");
    private static final boolean REGENERATE = Boolean.getBoolean("teardown.regenerate");
    private static final int FRAMES_PER_SAMPLE = 4;
    private static final int CONNECTIONS_PER_SAMPLE = 2;
    private static final int MAX_STREAM_BYTES = 2048;

    @TestFactory
    Stream<DynamicTest> everyFuzzTargetsSeedsAreMadeFromTheSamples() throws IOException {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put("PcapReaderFuzzTestInputs", new TreeMap<>());
        all.put("PcapngReaderFuzzTestInputs", new TreeMap<>());
        all.put("AnalysisFuzzTestInputs", new TreeMap<>());
        all.put("PacketDecoderFuzzTestInputs", new TreeMap<>());
        all.put("HttpHeadFuzzTestInputs", new TreeMap<>());
        all.put("TlsRecordFuzzTestInputs", new TreeMap<>());
        all.put("H2FrameFuzzTestInputs", new TreeMap<>());
        for (Path capture : captures()) {
            String name = "sample-" + SAMPLES.relativize(capture).toString().replace('/', '-');
            byte[] bytes = Files.readAllBytes(capture);
            all.get(name.endsWith(".pcapng") ? "PcapngReaderFuzzTestInputs" : "PcapReaderFuzzTestInputs").put(name, bytes);
            all.get("AnalysisFuzzTestInputs").put(name, bytes);
            String stem = name.replaceFirst("\\.pcap(ng)?$", "");
            List<byte[]> frames = frames(capture);
            for (int i = 0; i < frames.size(); i++) all.get("PacketDecoderFuzzTestInputs").put(stem + "-" + i, frames.get(i));
            List<byte[]> streams = httpSeeds(capture);
            for (int i = 0; i < streams.size(); i++) {
                all.get("HttpHeadFuzzTestInputs").put(stem + "-" + i, streams.get(i));
                // A client stream that begins with a TLS handshake record seeds the TLS target too.
                byte[] seed = streams.get(i);
                if (seed.length > 5 && seed[3] == 22 && seed[4] == 3) {
                    all.get("TlsRecordFuzzTestInputs").put(stem + "-" + i, seed);
                }
                // One that begins with HTTP/2's client preface seeds the HTTP/2 frame target.
                if (seed.length > 7 && seed[3] == 'P' && seed[4] == 'R' && seed[5] == 'I' && seed[6] == ' ') {
                    all.get("H2FrameFuzzTestInputs").put(stem + "-" + i, seed);
                }
            }
        }
        return all.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
    }

    private static void check(String directory, Map<String, byte[]> expected) throws IOException {
        Path dir = SEEDS.resolve(directory);
        assertTrue(expected.size() > 1, directory + ": seeds were made");
        if (REGENERATE) {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.getFileName().toString().startsWith("sample-")).toList()) Files.delete(p);
            }
            for (Map.Entry<String, byte[]> e : expected.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sample-")).forEach(present::add);
        }
        assertEquals(new TreeSet<>(expected.keySet()), present, directory + ": seed files (regenerate: -Dteardown.regenerate=true)");
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(dir.resolve(e.getKey())), directory + "/" + e.getKey());
        }
    }

    private static List<Path> captures() throws IOException {
        try (Stream<Path> walk = Files.walk(SAMPLES)) {
            return walk.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().toList();
        }
    }

    /** The first frames of a capture as decoder inputs: link type index, no extra length, the frame. */
    private static List<byte[]> frames(Path capture) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f = new Frame();
            while (out.size() < FRAMES_PER_SAMPLE && source.next(f)) {
                int index = -1;
                for (int i = 0; i < PacketDecoderFuzzTest.LINK_TYPES.length; i++) {
                    if (PacketDecoderFuzzTest.LINK_TYPES[i] == f.linkType()) index = i;
                }
                byte[] seed = new byte[3 + f.capturedLength()];
                seed[0] = (byte) index;
                System.arraycopy(f.data(), f.offset(), seed, 3, f.capturedLength());
                out.add(seed);
            }
        }
        return out;
    }

    /**
     * The client's and the server's byte streams of a capture's first connections with payload, in
     * {@link HttpHeadFuzzTest}'s input format: whole segments, client first. Segments that do not continue
     * their direction's stream (retransmissions, reordering) are left out.
     */
    private static List<byte[]> httpSeeds(Path capture) throws IOException {
        Map<String, ByteArrayOutputStream[]> streams = new LinkedHashMap<>();
        Map<String, long[]> next = new LinkedHashMap<>();
        Map<String, Boolean> clientIsLow = new LinkedHashMap<>();
        PacketDecoder decoder = new PacketDecoder(new DecodeStats());
        TcpSegment s = new TcpSegment();
        try (PacketSource source = CaptureFiles.open(capture)) {
            Frame f = new Frame();
            while (source.next(f)) {
                if (decoder.decode(f, s) != PacketDecoder.Result.TCP) continue;
                boolean srcLow = s.srcLo < s.dstLo || (s.srcLo == s.dstLo && s.srcPort < s.dstPort);
                String key = srcLow ? s.srcLo + ":" + s.srcPort + "-" + s.dstLo + ":" + s.dstPort
                    : s.dstLo + ":" + s.dstPort + "-" + s.srcLo + ":" + s.srcPort;
                if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) clientIsLow.put(key, srcLow);
                if (s.capturedPayloadLength == 0 || s.capturedPayloadLength != s.payloadLength) continue;
                Boolean low = clientIsLow.get(key);
                if (low == null) continue;
                int side = srcLow == low ? 0 : 1;
                ByteArrayOutputStream[] pair = streams.computeIfAbsent(key,
                    k -> new ByteArrayOutputStream[] {new ByteArrayOutputStream(), new ByteArrayOutputStream()});
                long[] expected = next.computeIfAbsent(key, k -> new long[] {-1, -1});
                if (expected[side] >= 0 && expected[side] != (s.seq & 0xffff_ffffL)) continue;
                expected[side] = (s.seq + s.payloadLength) & 0xffff_ffffL;
                int room = MAX_STREAM_BYTES - pair[side].size();
                pair[side].write(s.data, s.payloadOffset, Math.max(0, Math.min(room, s.capturedPayloadLength)));
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (ByteArrayOutputStream[] pair : streams.values()) {
            if (out.size() == CONNECTIONS_PER_SAMPLE) break;
            byte[] client = pair[0].toByteArray();
            byte[] server = pair[1].toByteArray();
            byte[] seed = new byte[3 + client.length + server.length];
            seed[1] = (byte) (client.length >>> 8);
            seed[2] = (byte) client.length;
            System.arraycopy(client, 0, seed, 3, client.length);
            System.arraycopy(server, 0, seed, 3 + client.length, server.length);
            if (out.stream().noneMatch(o -> Arrays.equals(o, seed))) out.add(seed);
        }
        return out;
    }
}
