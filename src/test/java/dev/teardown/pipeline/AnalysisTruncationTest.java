package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.RecordSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a killed tcpdump leaves: every real sample cut at every byte offset goes through the whole pipeline
 * without an exception (a cut inside the file header is a clean CaptureFormatException), and never reports
 * more packets than the whole file.
 */
class AnalysisTruncationTest {

    @TestFactory
    Stream<DynamicTest> everySampleCutAtEveryByteIsAnalysedUpToTheCut() throws IOException {
        return SampleGoldenTest.captures().stream()
            .filter(p -> !p.toString().endsWith(".gz"))
            .map(p -> DynamicTest.dynamicTest(p.toString(), () -> cutEverywhere(p)));
    }

    private static void cutEverywhere(Path sample) throws IOException {
        byte[] whole = Files.readAllBytes(sample);
        long fullPackets = packets(whole, whole.length);
        assertTrue(fullPackets > 0);
        long previous = 0;
        for (int cut = 0; cut < whole.length; cut++) {
            long n;
            try {
                n = packets(whole, cut);
            } catch (CaptureFormatException e) {
                assertTrue(cut < 64 || e.getMessage().contains("at byte"), e.getMessage());
                continue;
            }
            assertTrue(n >= previous && n <= fullPackets, "cut " + cut + ": " + n + " packets");
            previous = n;
        }
        assertEquals(fullPackets, packets(whole, whole.length));
    }

    private static long packets(byte[] whole, int length) throws IOException {
        RecordSink discard = r -> { };
        try (PacketSource s = CaptureFiles.open(new ByteArrayInputStream(whole, 0, length), "cut")) {
            Analysis.Result r = Analysis.run(s, AnalyzeOptions.defaults(), List.of(discard));
            if (r.failure() != null) throw r.failure();
            return r.totals().packets();
        }
    }
}
