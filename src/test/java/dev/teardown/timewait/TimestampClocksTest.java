package dev.teardown.timewait;

import dev.teardown.RealTraffic;
import static dev.teardown.timewait.Script.ACK;
import static dev.teardown.timewait.Script.S;
import static dev.teardown.timewait.Script.SERVER;
import static dev.teardown.timewait.Script.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures built packet by packet (Script): clocks per address pair and tcp_tw_recycle's drops. */
class TimestampClocksTest {
    private static final Endpoint NAT = Endpoint.v4(10, 0, 0, 1, 0);
    private static final Script.Clock HOST_A = new Script.Clock(1_000_000L, 1000);
    private static final Script.Clock HOST_B = new Script.Clock(1_501_000_000L, 1000);

    static ClockFigures run(Script s) {
        return run(s.pcap());
    }

    static ClockFigures run(byte[] pcap) {
        TimestampClocks clocks = new TimestampClocks();
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(pcap), "clocks.pcap")) {
            Analysis.Result r = Analysis.run(source, new AnalyzeOptions(60 * S, 300 * S), List.of(),
                TimeWaitStage.of(clocks), () -> false);
            if (r.failure() != null) throw r.failure();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return clocks.figures();
    }

    /** A connection from 10.0.0.1:{@code port} with {@code clock} at {@code sec}, closed by the server 1 s later. */
    private static void serverClosed(Script s, int port, Script.Clock clock, double sec) {
        s.conn(NAT.port(port), SERVER).clientClock(clock).serverClock(HOST_A).handshake(sec).serverCloses(sec + 1);
    }

    private static ClockFigures.Row only(ClockFigures f) {
        assertEquals(1, f.rows().size(), f.toString());
        return f.rows().get(0);
    }

    @Test
    void oneHostsConnectionsFitOneClockAndNothingIsDropped() {
        Script s = new Script();
        for (int i = 0; i < 10; i++) serverClosed(s, 40000 + i, HOST_A, 3.0 * i);
        ClockFigures f = run(s);
        ClockFigures.Row r = only(f);
        assertEquals("10.0.0.1", r.client());
        assertEquals("10.0.0.2", r.server());
        assertEquals(10, r.syns());
        assertEquals(10, r.timestampSyns());
        assertEquals(1, r.clocks());
        assertEquals(0, r.recycleDrops());
        assertFalse(r.clockPerConnection());
        assertEquals(0, f.pairsWithSeveralClocks());
    }

    @Test
    void twoHostsBehindOneAddressShowTwoClocks() {
        Script s = new Script();
        for (int i = 0; i < 10; i++) serverClosed(s, 40000 + i, i % 2 == 0 ? HOST_A : HOST_B, 2.0 * i);
        ClockFigures f = run(s);
        assertEquals(2, only(f).clocks());
        assertEquals(1, f.pairsWithSeveralClocks());
    }

    @Test
    void clocksTwoSecondsApartAreNotMerged() {
        Script s = new Script();
        Script.Clock near = new Script.Clock(HOST_A.offset() + 2000, 1000);
        for (int i = 0; i < 8; i++) serverClosed(s, 40000 + i, i % 2 == 0 ? HOST_A : near, 5.0 * i);
        assertEquals(2, only(run(s)).clocks());
    }

    @Test
    void aClockWrappingPast2To32StaysOneClock() {
        Script s = new Script();
        Script.Clock wrapping = new Script.Clock(0xFFFF_FFFFL - 4_500, 1000);
        for (int i = 0; i < 6; i++) serverClosed(s, 40000 + i, wrapping, 2.0 * i);
        assertEquals(1, only(run(s)).clocks());
    }

    @Test
    void jitterOfAHundredMillisecondsDoesNotSplitAClock() {
        Script s = new Script();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 30; i++) {
            double sec = 1.7 * i + random.nextDouble(0.05);
            long late = random.nextLong(-100, 101);
            s.conn(NAT.port(40000 + i), SERVER).clientClock(HOST_A).nextTs(HOST_A.at(sec) + late).handshake(sec);
        }
        assertEquals(1, only(run(s)).clocks());
    }

    @Test
    void clocksOfOtherRatesAreRecognised() {
        for (double hz : new double[] {100, 250, 300, 1_000_000}) {
            Script s = new Script();
            Script.Clock clock = new Script.Clock(123_456_789L, hz);
            for (int i = 0; i < 12; i++) serverClosed(s, 40000 + i, clock, 0.4 + 7.3 * i);
            assertEquals(1, only(run(s)).clocks(), hz + " Hz");
        }
    }

    @Test
    void randomOffsetsPerConnectionAreOneClockEach() {
        Script s = new Script();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5; i++) serverClosed(s, 40000 + i, new Script.Clock(random.nextLong(1L << 32), 1000), 2.0 * i);
        ClockFigures.Row r = only(run(s));
        assertEquals(5, r.clocks());
        assertTrue(r.clockPerConnection());
    }

    @Test
    void clocksAreCappedAndTheRestCountedUnplaced() {
        Script s = new Script();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 11; i++) serverClosed(s, 40000 + i, new Script.Clock(random.nextLong(1L << 32), 1000), 2.0 * i);
        ClockFigures.Row r = only(run(s));
        assertEquals(PeerClocks.MAX_CLOCKS, r.clocks());
        assertEquals(11 - PeerClocks.MAX_CLOCKS, r.unplaced());
    }

    @Test
    void synRetransmissionsAreCountedButNotPlaced() {
        Script s = new Script();
        Script.Conn c = s.conn(NAT.port(40000), SERVER).clientClock(HOST_A).serverClock(HOST_A);
        // The retransmission repeats its TSval (some stacks do): placed, it would look like a second clock.
        c.raw(true, 0, SYN, 1000, 0).nextTs(HOST_A.at(0)).raw(true, 1, SYN, 1000, 0)
            .s(1.001, SYN | ACK, 0);
        serverClosed(s, 40001, HOST_A, 5);
        ClockFigures.Row r = only(run(s));
        assertEquals(3, r.syns());
        assertEquals(2, r.connections());
        assertEquals(1, r.clocks());
    }

    @Test
    void withoutTimestampsSynsAreCountedAndNoClockIsMade() {
        Script s = new Script();
        for (int i = 0; i < 3; i++) s.conn(NAT.port(40000 + i), SERVER).handshake(i).serverCloses(i + 0.5);
        ClockFigures f = run(s);
        ClockFigures.Row r = only(f);
        assertEquals(3, r.syns());
        assertEquals(0, r.timestampSyns());
        assertEquals(0, r.clocks());
        assertEquals(0, f.recycleDrops());
    }

    @Test
    void recycleDropsAnOlderClocksSynWithinSixtySecondsOfTheServersTimeWait() {
        Script s = new Script();
        // HOST_B is 1.5e9 ticks ahead of HOST_A (less than 2^31, so ahead in signed 32-bit order): A's SYNs look older.
        serverClosed(s, 40000, HOST_B, 0);      // server TIME_WAIT at ~1 s remembers B's TSval
        serverClosed(s, 40001, HOST_A, 10);     // 9 s later: dropped
        serverClosed(s, 40002, HOST_B, 20);     // B's clock is newer: accepted
        serverClosed(s, 40003, HOST_A, 59.5);   // record from second 21: 38 s old: dropped
        ClockFigures.Row r = only(run(s));
        assertEquals(2, r.recycleDrops());
    }

    @Test
    void recycleDropsNothingSixtySecondsAfterTheRecord() {
        Script s = new Script();
        serverClosed(s, 40000, HOST_B, 0);      // TSval received at second 1 (the client's FIN)
        serverClosed(s, 40001, HOST_A, 61.2);   // second 61: 60 s old, not under TCP_PAWS_MSL
        assertEquals(0, only(run(s)).recycleDrops());
    }

    @Test
    void recycleDropsASynWithoutTimestampsWithinSixtySeconds() {
        Script s = new Script();
        serverClosed(s, 40000, HOST_B, 0);
        s.conn(NAT.port(40001), SERVER).handshake(5);
        assertEquals(1, only(run(s)).recycleDrops());
    }

    @Test
    void recycleRemembersOnlyTheServersTimeWait() {
        Script s = new Script();
        s.conn(NAT.port(40000), SERVER).clientClock(HOST_B).serverClock(HOST_A).handshake(0).clientCloses(1);
        serverClosed(s, 40001, HOST_A, 10);
        assertEquals(0, only(run(s)).recycleDrops());
    }

    @Test
    void recycleCountsEverySynOfAConnectionItWouldDrop() {
        Script s = new Script();
        serverClosed(s, 40000, HOST_B, 0);
        Script.Conn c = s.conn(NAT.port(40001), SERVER).clientClock(HOST_A).serverClock(HOST_A);
        c.raw(true, 5, SYN, 1000, 0).raw(true, 6, SYN, 1000, 0).raw(true, 8, SYN, 1000, 0);
        ClockFigures.Row r = only(run(s));
        assertEquals(3, r.recycleDrops());
        assertEquals(2, r.connections(), "the retransmissions are not placed");
    }

    @Test
    void aSynMeetingItsOwnTupleInTheServersTimeWaitIsLeftToTheTimeWaitCode() {
        Script s = new Script();
        serverClosed(s, 40000, HOST_B, 0);
        // The same 4-tuple again 5 s later, from the older clock: the kernel's isn != 0 path, not tcp_peer_is_proven.
        Script.Conn again = s.conn(NAT.port(40000), SERVER).clientClock(HOST_A).serverClock(HOST_A);
        again.cseq = 9_000_000; // a new ISN: a new lifetime of the tuple, not a retransmission
        again.handshake(5);
        ClockFigures.Row r = only(run(s));
        assertEquals(2, r.syns());
        assertEquals(0, r.recycleDrops());
    }

    @Test
    void pairsAreKeptPerServerAddress() {
        Script s = new Script();
        Endpoint other = Endpoint.v4(10, 0, 0, 3, 80);
        serverClosed(s, 40000, HOST_B, 0);
        s.conn(NAT.port(40001), other).clientClock(HOST_A).serverClock(HOST_A).handshake(5);
        ClockFigures f = run(s);
        assertEquals(2, f.pairs());
        assertEquals(0, f.recycleDrops(), "the record of 10.0.0.2 says nothing about 10.0.0.3");
    }

    @Test
    void rowsAreCappedAndOrderedByClocksThenAddress() {
        Script s = new Script();
        for (int i = 0; i < ClockFigures.MAX_ROWS + 3; i++) {
            s.conn(Endpoint.v4(10, 1, 0, 200 - i, 40000), SERVER).clientClock(HOST_A).handshake(i);
        }
        serverClosed(s, 40000, HOST_A, 30);
        serverClosed(s, 40001, HOST_B, 31);
        ClockFigures f = run(s);
        assertEquals(ClockFigures.MAX_ROWS, f.rows().size());
        assertEquals(ClockFigures.MAX_ROWS + 4, f.pairs());
        assertEquals("10.0.0.1", f.rows().get(0).client());
        assertEquals("10.1.0.178", f.rows().get(1).client());
        assertEquals("10.1.0.179", f.rows().get(2).client());
        assertEquals(ClockFigures.MAX_ROWS + 5, f.syns());
    }

    @Test
    void aFloodFromMoreAddressesThanPairsTrackedIsCountedNotKept() {
        // SYNs from 65,536 + 100 spoofed addresses: the table stops at its bound, the totals count every SYN.
        Script s = new Script();
        int n = TimestampClocks.MAX_PAIRS + 100;
        for (int i = 0; i < n; i++) {
            s.conn(Endpoint.v4(0x0b00_0000 + i, 40000), SERVER).clientClock(HOST_A).c(i * 1e-4, Script.SYN, 0);
        }
        ClockFigures f = run(s);
        assertEquals(TimestampClocks.MAX_PAIRS, f.pairs());
        assertEquals(100, f.untrackedSyns());
        assertEquals(n, f.syns());
        assertEquals(n, f.timestampSyns());
    }

    @Test
    void theWholeStageGivesTheClocks() throws IOException {
        Script s = new Script();
        for (int i = 0; i < 4; i++) serverClosed(s, 40000 + i, i % 2 == 0 ? HOST_A : HOST_B, 2.0 * i);
        TimeWaitStage stage = new TimeWaitStage(TimeWaitOptions.defaults(60 * S, 300 * S), null);
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(s.pcap()), "stage.pcap")) {
            Analysis.run(source, new AnalyzeOptions(60 * S, 300 * S), List.of(), stage, () -> false);
        }
        assertEquals(2, stage.clocks().rows().get(0).clocks());
        assertEquals(ClockFigures.EMPTY, TimeWaitStage.none().clocks());
    }

    /**
     * Real clients in network namespaces (scripts/nat-clocks.sh): a and b behind one NAT address with two clocks, c
     * routed with one, d with the kernel's own offsets; the server closes first, so it holds TIME_WAIT.
     */
    @Test
    @Tag("root")
    void realClientsBehindANatShowTwoClocksAndTheRecycleDrops(@TempDir Path dir) throws Exception {
        RealTraffic.assumeRootAnd("/usr/sbin/nft", "/usr/bin/tcpdump", "/usr/sbin/ip");
        String log = RealTraffic.runScript(dir.resolve("script.log"), Map.of(), 90, "nat-clocks.sh", dir.toString());

        ClockFigures f = run(Files.readAllBytes(dir.resolve("nat.pcap")));
        Map<String, ClockFigures.Row> byClient = f.rows().stream()
            .collect(Collectors.toMap(ClockFigures.Row::client, Function.identity()));
        ClockFigures.Row nat = byClient.get("10.99.2.1");
        assertEquals(12, nat.connections(), f.toString());
        assertEquals(2, nat.clocks(), f.toString());
        // b's clock is a's +- 2^30: when ahead (bit 30 of the raw clock clear), each TIME_WAIT of b leaves a record
        // a's 2nd to 6th SYNs are older than (5 drops); when behind, all 6 of b's SYNs are older than a's records.
        assertTrue(nat.recycleDrops() == 5 || nat.recycleDrops() == 6, f.toString());
        ClockFigures.Row routed = byClient.get("10.99.4.2");
        assertEquals(1, routed.clocks(), f.toString());
        assertEquals(0, routed.recycleDrops(), f.toString());
        ClockFigures.Row own = byClient.get("10.99.5.2");
        // The kernel's own offsets: one per address pair (Linux 4.11 to 2026) or one per connection (since 165573e41f2f).
        assertTrue(own.clocks() == 1 || own.clockPerConnection(), f.toString());

        ClockFigures alone = run(Files.readAllBytes(dir.resolve("alone.pcap")));
        assertEquals(1, only(alone).clocks(), alone.toString());
        assertEquals(0, only(alone).recycleDrops(), alone.toString());
    }
}
