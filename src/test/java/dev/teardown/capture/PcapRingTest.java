package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CsvSink;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ring files as tcpdump's -C, -G and -W make them, by packet time: named as tcpdump names them, bounded in size,
 * span and number, and read back by analyze as the one capture they came from (the same rows).
 */
class PcapRingTest {
    private static final Path SAMPLE = Path.of("samples/tls-connection-close.pcap");

    /** Copies {@code sample}'s frames through a ring with {@code policy} to {@code name}; returns the files made, in order. */
    private static List<Path> ring(Path sample, String name, PcapRing.Policy policy) throws IOException {
        List<Path> made = new ArrayList<>();
        try (PacketSource source = CaptureFiles.open(sample)) {
            Frame f = new Frame();
            PcapRing ring = null;
            try {
                while (source.next(f)) {
                    if (ring == null) ring = new PcapRing(name, f.linkType(), 262_144, true, policy);
                    ring.write(f);
                    if (!made.contains(ring.current())) made.add(ring.current());
                }
            } finally {
                if (ring != null) ring.close();
            }
        }
        return made;
    }

    /** The CSV rows analyze writes for {@code files} read as one capture, without the file column. */
    private static List<String> rows(List<Path> files) throws IOException {
        StringWriter out = new StringWriter();
        try (PacketSource source = CaptureFiles.open(files)) {
            Analysis.run(source, AnalyzeOptions.defaults(), List.of(new CsvSink(out, false)));
        }
        List<String> rows = new ArrayList<>();
        List<String> lines = out.toString().lines().toList();
        int file = List.of(lines.get(0).split(",")).indexOf("file");
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(file);
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    private static long frames(Path file) throws IOException {
        long n = 0;
        try (PacketSource source = CaptureFiles.open(file)) {
            Frame f = new Frame();
            while (source.next(f)) n++;
        }
        return n;
    }

    @Test
    void bySizeTheFilesAreNamedAsTcpdumpDoesAndAnalyzeOnThemAllGivesTheRowsOfTheOneFile(@TempDir Path dir)
            throws IOException {
        String name = dir.resolve("t.pcap").toString();
        List<Path> made = ring(SAMPLE, name, new PcapRing.Policy(4_000, 0, 0));
        assertTrue(made.size() >= 4, made.toString());
        for (int i = 0; i < made.size(); i++) {
            assertEquals(Path.of(i == 0 ? name : name + i), made.get(i));
            if (i < made.size() - 1) assertTrue(Files.size(made.get(i)) > 4_000, "full before the next: " + made.get(i));
        }
        long total = 0;
        for (Path p : made) total += frames(p);
        assertEquals(frames(SAMPLE), total);
        assertEquals(rows(List.of(SAMPLE)), rows(made));
    }

    @Test
    void bySizeWithAFileCountTheRingReusesNamesZeroToNMinusOnePaddedToOneWidth(@TempDir Path dir) throws IOException {
        String name = dir.resolve("t.pcap").toString();
        List<Path> made = ring(SAMPLE, name, new PcapRing.Policy(500, 0, 11));
        assertEquals(Path.of(name + "00"), made.get(0));
        assertEquals(Path.of(name + "10"), made.get(10));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(11, files.count(), "the ring starts again at 00, overwriting it");
        }
    }

    @Test
    void byTimeEachFileHoldsOneSpanOfPacketTimeNamedByItsStartInUtc(@TempDir Path dir) throws IOException {
        Path sample = Path.of("samples/nginx-idle-timeout.pcap"); // 2 s of packets
        List<Path> made = ring(sample, dir.resolve("t-%s.pcap").toString(), new PcapRing.Policy(0, 1, 0));
        assertTrue(made.size() >= 2, made.toString());
        for (Path p : made) {
            String n = p.getFileName().toString();
            long start = Long.parseLong(n.substring(2, n.length() - ".pcap".length()));
            try (PacketSource source = CaptureFiles.open(p)) {
                Frame f = new Frame();
                while (source.next(f)) assertEquals(start, Math.floorDiv(f.timeNanos(), 1_000_000_000L), n);
            }
        }
        assertEquals(rows(List.of(sample)), rows(made));
    }

    @Test
    void byTimeWithAFileCountOnlyTheNewestFilesAreKept(@TempDir Path dir) throws IOException {
        List<Path> made = ring(Path.of("samples/nginx-idle-timeout.pcap"), dir.resolve("t-%s.pcap").toString(),
            new PcapRing.Policy(0, 1, 1));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(made.get(made.size() - 1)), files.toList());
        }
    }

    @Test
    void byTimeANameWithoutATimeIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new PcapRing(dir.resolve("t.pcap").toString(), 1, 100, true, new PcapRing.Policy(0, 60, 0)));
        assertTrue(e.getMessage().startsWith("-G needs a time in the file name"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new PcapRing(dir.resolve("t-%Q.pcap").toString(), 1, 100, true, new PcapRing.Policy(0, 60, 0)));
    }
}
