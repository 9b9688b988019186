package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A segment carried as bytes is the segment the decoder made: every field, its tunnel layers, its payload. */
class SegmentCodecTest {
    private static String fields(TcpSegment s) {
        return String.join(",", String.valueOf(s.timeNanos), String.valueOf(s.ipVersion), String.valueOf(s.srcHi),
            String.valueOf(s.srcLo), String.valueOf(s.dstHi), String.valueOf(s.dstLo), String.valueOf(s.srcPort),
            String.valueOf(s.dstPort), String.valueOf(s.seq), String.valueOf(s.ack), String.valueOf(s.flags),
            String.valueOf(s.window), String.valueOf(s.payloadLength), String.valueOf(s.hasTimestamp),
            String.valueOf(s.tsVal), String.valueOf(s.tsEcr), String.valueOf(s.tunnelId), String.valueOf(s.tunnelDepth),
            Arrays.toString(Arrays.copyOf(s.tunnelLayers, s.tunnelDepth)));
    }

    private static byte[] payload(TcpSegment s) {
        return Arrays.copyOfRange(s.data, s.payloadOffset, s.payloadOffset + s.capturedPayloadLength);
    }

    @Test
    void everySegmentOfTheSamplesComesBackWhole() throws IOException {
        int segments = 0;
        int tunnelled = 0;
        for (Path p : SampleGoldenTest.captures()) {
            try (PacketSource source = CaptureFiles.open(p)) {
                PacketDecoder decoder = new PacketDecoder(new DecodeStats());
                TcpSegment s = new TcpSegment();
                TcpSegment back = new TcpSegment();
                Frame frame = new Frame();
                while (source.next(frame)) {
                    if (decoder.decode(frame, s) != PacketDecoder.Result.TCP) continue;
                    SegmentCodec.decode(SegmentCodec.encode(s, Integer.MAX_VALUE), back);
                    assertEquals(fields(s), fields(back), p.toString());
                    assertEquals(s.capturedPayloadLength, back.capturedPayloadLength);
                    assertArrayEquals(payload(s), payload(back), p.toString());
                    segments++;
                    if (s.tunnelDepth > 0) tunnelled++;
                }
            }
        }
        assertEquals(true, segments > 1000 && tunnelled > 10, segments + " segments, " + tunnelled + " tunnelled");
    }

    @Test
    void aPayloadCapCutsTheCapturedBytesAndKeepsTheSegmentsLength() {
        TcpSegment s = new TcpSegment();
        s.data = "xxGET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        s.payloadOffset = 2;
        s.capturedPayloadLength = s.data.length - 2;
        s.payloadLength = 1400;
        TcpSegment back = new TcpSegment();
        SegmentCodec.decode(SegmentCodec.encode(s, 3), back);
        assertEquals(3, back.capturedPayloadLength);
        assertEquals(1400, back.payloadLength);
        assertArrayEquals("GET".getBytes(java.nio.charset.StandardCharsets.US_ASCII), payload(back));
    }
}
