package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DecodeStatsTest {

    @Test
    void everyPacketLandsInExactlyOneTotal() {
        DecodeStats stats = new DecodeStats();
        PacketDecoder decoder = new PacketDecoder(stats);
        TcpSegment out = new TcpSegment();
        List<TestPackets.Sample> samples = TestPackets.catalogue();
        for (TestPackets.Sample sample : samples) {
            decoder.decode(TestPackets.frame(sample.linkType(), sample.bytes()), out);
        }
        assertEquals(samples.size(), stats.packets());
        assertEquals(stats.packets(), stats.tcpSegments() + stats.skipped() + stats.malformed());
        assertEquals(stats.skipped(), stats.skipReasons().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(samples.stream().filter(s -> s.expected() == PacketDecoder.Result.TCP).count(),
                stats.tcpSegments());
    }

    @Test
    void nonZeroCountsIterateInDeclarationOrder() {
        DecodeStats stats = new DecodeStats();
        stats.skip(SkipReason.IP_FRAGMENT);
        stats.skip(SkipReason.NOT_IP);
        stats.skip(SkipReason.NOT_IP);
        stats.malformed(Anomaly.BAD_TCP_DATA_OFFSET);
        stats.malformed(Anomaly.TRUNCATED_LINK_HEADER);
        stats.anomaly(Anomaly.BAD_TCP_OPTION);

        assertEquals(List.of(SkipReason.NOT_IP, SkipReason.IP_FRAGMENT), List.copyOf(stats.skipReasons().keySet()));
        assertEquals(Map.of(SkipReason.NOT_IP, 2L, SkipReason.IP_FRAGMENT, 1L), stats.skipReasons());
        assertEquals(List.of(Anomaly.TRUNCATED_LINK_HEADER, Anomaly.BAD_TCP_DATA_OFFSET, Anomaly.BAD_TCP_OPTION),
                List.copyOf(stats.anomalies().keySet()));
        assertEquals(3, stats.skipped());
        assertEquals(2, stats.skipped(SkipReason.NOT_IP));
        assertEquals(0, stats.skipped(SkipReason.NOT_TCP));
        // An option anomaly does not make the packet malformed.
        assertEquals(2, stats.malformed());
        assertEquals(1, stats.count(Anomaly.BAD_TCP_OPTION));
        assertThrows(UnsupportedOperationException.class, () -> stats.anomalies().clear());
    }
}
