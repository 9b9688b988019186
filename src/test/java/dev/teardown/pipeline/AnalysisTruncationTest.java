package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.CaptureFormatException;
import dev.teardown.capture.PacketSource;
import dev.teardown.report.RecordSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * What a killed tcpdump leaves: every packet record of every real sample, cut at every byte offset, goes
 * through the whole pipeline without an exception (a cut inside the file header is a clean
 * CaptureFormatException) and yields the packet only when it is whole.
 *
 * <p>Linear in the file size: each record is cut behind only the blocks it needs (the file header, or a
 * pcapng file's section and interface blocks), not behind every record before it; a dozen cuts of the
 * whole file check that a prefix never reports more packets than the whole.
 */
class AnalysisTruncationTest {

    @TestFactory
    Stream<DynamicTest> everyRecordOfEverySampleCutAtEveryByteIsAnalysedUpToTheCut() throws IOException {
        return SampleGoldenTest.captures().stream()
            .filter(p -> !p.toString().endsWith(".gz"))
            .map(p -> DynamicTest.dynamicTest(p.toString(), () -> cutEverywhere(p)));
    }

    /** A capture as the bytes every record needs before it, and its packet records. */
    private record Layout(List<byte[]> context, List<byte[]> packets) {}

    private static void cutEverywhere(Path sample) throws IOException {
        byte[] whole = Files.readAllBytes(sample);
        long fullPackets = packets(whole, whole.length);
        Layout layout = layout(whole);
        assertEquals(fullPackets, layout.packets().size(), "packet records found by the test's own walk");
        for (int cut = 0; cut < Math.min(64, whole.length); cut++) {
            try {
                assertTrue(packets(whole, cut) <= fullPackets);
            } catch (CaptureFormatException e) {
                assertTrue(e.getMessage().contains("at byte"), e.getMessage());
            }
        }
        for (int i = 1; i <= 12; i++) {
            int cut = (int) ((long) whole.length * i / 13);
            try {
                assertTrue(packets(whole, cut) <= fullPackets, "cut " + cut);
            } catch (CaptureFormatException e) {
                assertTrue(e.getMessage().contains("at byte"), e.getMessage());
            }
        }
        for (int k = 0; k < layout.packets().size(); k++) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            for (byte[] b : layout.context().get(k) == null ? List.<byte[]>of() : List.of(layout.context().get(k))) head.write(b);
            byte[] record = layout.packets().get(k);
            byte[] file = new byte[head.size() + record.length];
            System.arraycopy(head.toByteArray(), 0, file, 0, head.size());
            System.arraycopy(record, 0, file, head.size(), record.length);
            for (int cut = head.size(); cut < file.length; cut++) {
                long n;
                try {
                    n = packets(file, cut);
                } catch (CaptureFormatException e) {
                    assertTrue(e.getMessage().contains("at byte"), e.getMessage());
                    continue;
                }
                assertEquals(0, n, "record " + k + " cut " + (cut - head.size()) + " of " + record.length);
            }
            assertEquals(1, packets(file, file.length), "record " + k + " whole");
        }
    }

    private static long packets(byte[] whole, int length) throws IOException {
        RecordSink discard = r -> { };
        try (PacketSource s = CaptureFiles.open(new ByteArrayInputStream(whole, 0, length), "cut")) {
            Analysis.Result r = Analysis.run(s, AnalyzeOptions.defaults(), List.of(discard));
            if (r.failure() != null) throw r.failure();
            return r.totals().packets();
        }
    }

    /** Walks the records with the file formats' framing alone (libpcap's and pcapng's specifications). */
    private static Layout layout(byte[] f) {
        List<byte[]> context = new ArrayList<>();
        List<byte[]> packets = new ArrayList<>();
        int magic = ByteBuffer.wrap(f, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (magic == 0x0A0D0D0A) {
            ByteArrayOutputStream blocks = new ByteArrayOutputStream();
            ByteOrder order = ByteOrder.BIG_ENDIAN;
            for (int p = 0; p < f.length; ) {
                if (ByteBuffer.wrap(f, p, 4).order(ByteOrder.BIG_ENDIAN).getInt() == 0x0A0D0D0A) {
                    order = ByteBuffer.wrap(f, p + 8, 4).order(ByteOrder.BIG_ENDIAN).getInt() == 0x1A2B3C4D
                        ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                }
                ByteBuffer b = ByteBuffer.wrap(f, p, 8).order(order);
                int type = b.getInt();
                int length = b.getInt();
                byte[] block = java.util.Arrays.copyOfRange(f, p, p + length);
                if (type == 6 || type == 3 || type == 2) { // enhanced, simple, obsolete packet blocks
                    packets.add(block);
                    context.add(blocks.toByteArray());
                } else {
                    blocks.writeBytes(block);
                }
                p += length;
            }
        } else {
            ByteOrder order = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            byte[] header = java.util.Arrays.copyOf(f, 24);
            for (int p = 24; p < f.length; ) {
                int caplen = ByteBuffer.wrap(f, p + 8, 4).order(order).getInt();
                packets.add(java.util.Arrays.copyOfRange(f, p, p + 16 + caplen));
                context.add(header);
                p += 16 + caplen;
            }
        }
        return new Layout(context, packets);
    }
}
