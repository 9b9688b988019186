package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of KernelTimelineTest's ss samples, on text in the shape ss 6.x prints. */
class KernelSamplesTest {
    private static final long S = 1_000_000_000L;

    @Test
    void remainingTimesAreReadInEachShapeSsPrints() {
        assertEquals(60_000, KernelSamples.remainingMs("1min"));
        assertEquals(59_000, KernelSamples.remainingMs("59sec"));
        assertEquals(9_123, KernelSamples.remainingMs("9.123ms"));
        assertEquals(1_004, KernelSamples.remainingMs("1.004ms"));
        assertEquals(123, KernelSamples.remainingMs("123ms"));
        assertEquals(0, KernelSamples.remainingMs(""));
        assertThrows(IllegalArgumentException.class, () -> KernelSamples.remainingMs("soon"));
    }

    @Test
    void socketsAreAttributedBySideAndAnExpiredTimerCountsAsGone(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("s.gz");
        write(gz, """
            @ 1000000000 1002000000 4
            0      0       127.0.0.1:8080  127.0.0.10:51303 timer:(timewait,35sec,0)
            0      0      127.0.0.12:59731  127.0.0.1:8080  timer:(timewait,1.500ms,0)
            0      0      127.0.0.12:59733  127.0.0.1:8080  timer:(timewait,,0)
            0      0       127.0.0.2:8081  127.0.0.11:40000 timer:(timewait,500ms,0)
            @ 1500000000 1500000000 0
            """);
        KernelSamples k = KernelSamples.read(gz, Set.of("127.0.0.1:8080", "127.0.0.2:8081"));
        assertEquals(2, k.samples.size());
        KernelSamples.Sample s = k.samples.get(0);
        assertEquals(S + 1_000_000, s.nanos(), "the middle of the clock readings around ss");
        assertEquals(1, s.count("127.0.0.1:8080", true));
        assertEquals(1, s.count("127.0.0.1:8080", false), "the socket showing 0 has expired");
        assertEquals(0, s.count("127.0.0.1:8080", false, S + 1_000_000 + 1_500_000_000L), "gone at its expiry");
        assertEquals(1, s.count("127.0.0.2:8081", true));
        assertArrayEquals(new long[] {S + 501_000_000L, S + 1_501_000_000L}, k.expiries,
            "expiries of the precise remaining times only");
        assertTrue(k.expiryNear(S + 2_500_000_000L, S));
        assertFalse(k.expiryNear(S + 2_600_000_000L, S));
        assertEquals(k.samples.get(1), k.nearest(1_400_000_000L, S / 2));
        assertEquals(null, k.nearest(S * 3, S / 2));
    }

    @Test
    void aStepOfTheRealTimeClockIsTakenOutOfTheExpiriesOfSocketsThatBeganBeforeIt(@TempDir Path dir) throws IOException {
        // Real time 1000 s at monotonic 100 s; between the samples at monotonic 110 and 110.5 s the real-time clock
        // steps 0.3 s ahead. A socket sampled after the step with 9.5 s left began at monotonic 60 s, under the old
        // offset: its packets (and so the timeline) put its expiry at real time 1020 s, not 1010.8 + 9.5 s. One with
        // a whole minute left began at the sample, after the step: sample time plus remaining, as before.
        Path gz = dir.resolve("s.gz");
        write(gz, """
            @ 1000000000000 1000000000000 0 100000000000 100000000000
            @ 1010000000000 1010000000000 0 110000000000 110000000000
            @ 1010800000000 1010800000000 2 110500000000 110500000000
            0      0       127.0.0.1:8080  127.0.0.10:51303 timer:(timewait,9.500ms,0)
            0      0       127.0.0.1:8080  127.0.0.10:51304 timer:(timewait,1min,0)
            """);
        KernelSamples k = KernelSamples.read(gz, Set.of("127.0.0.1:8080"));
        assertEquals(300_000_000L, k.clockMovedNanos);
        KernelSamples.Sample s = k.samples.get(2);
        assertEquals(110_500_000_000L, s.monoNanos());
        assertEquals(1_020_000_000_000L, s.sockets().get(0).expiryNanos(), "began before the step: the old offset");
        assertEquals(1_070_800_000_000L, s.sockets().get(1).expiryNanos(), "began after it: the new one");
        assertEquals(2, s.count("127.0.0.1:8080", true, 1_019_900_000_000L));
        assertEquals(1, s.count("127.0.0.1:8080", true, 1_020_100_000_000L), "gone where the timeline ends it");
        assertArrayEquals(new long[] {1_020_000_000_000L}, k.expiries);
    }

    @Test
    void theClocksOffsetIsInterpolatedBetweenSamplesAndHeldBeyondThem() {
        long[] mono = {100, 200};
        long[] offset = {1_000, 1_010};
        assertEquals(1_000, KernelSamples.offsetAt(mono, offset, 50));
        assertEquals(1_000, KernelSamples.offsetAt(mono, offset, 100));
        assertEquals(1_005, KernelSamples.offsetAt(mono, offset, 150));
        assertEquals(1_010, KernelSamples.offsetAt(mono, offset, 250));
    }

    @Test
    void aRowOfNoServerEndpointFails(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("s.gz");
        write(gz, "@ 1 2 1\n0 0 10.0.0.1:1 10.0.0.2:2 timer:(timewait,59sec,0)\n");
        assertThrows(IOException.class, () -> KernelSamples.read(gz, Set.of("127.0.0.1:8080")));
    }

    private static void write(Path gz, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
