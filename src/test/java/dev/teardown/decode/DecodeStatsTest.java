package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

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
        assertEquals(stats.packets(),
                stats.tcpSegments() + DecodeTotals.skipped(stats) + DecodeTotals.malformed(stats));
        assertEquals(samples.stream().filter(s -> s.expected() == PacketDecoder.Result.TCP).count(),
                stats.tcpSegments());
        assertEquals(samples.stream().filter(s -> s.expected() == PacketDecoder.Result.MALFORMED).count(),
                DecodeTotals.malformed(stats));
    }

    @Test
    void eachReasonAndAnomalyIsCountedOnItsOwn() {
        DecodeStats stats = new DecodeStats();
        stats.skip(SkipReason.IP_FRAGMENT);
        stats.skip(SkipReason.NOT_IP);
        stats.skip(SkipReason.NOT_IP);
        stats.malformed(Anomaly.BAD_TCP_DATA_OFFSET);
        stats.malformed(Anomaly.TRUNCATED_LINK_HEADER);
        stats.anomaly(Anomaly.BAD_TCP_OPTION);

        assertEquals(2, stats.skipped(SkipReason.NOT_IP));
        assertEquals(1, stats.skipped(SkipReason.IP_FRAGMENT));
        assertEquals(0, stats.skipped(SkipReason.NOT_TCP));
        assertEquals(1, stats.count(Anomaly.BAD_TCP_DATA_OFFSET));
        assertEquals(1, stats.count(Anomaly.TRUNCATED_LINK_HEADER));
        // An option anomaly does not make the packet malformed.
        assertEquals(1, stats.count(Anomaly.BAD_TCP_OPTION));
        assertEquals(2, DecodeTotals.malformed(stats));
    }
}
