package dev.teardown.cli;

import dev.teardown.teardown.ServerEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.LiveCapture;
import dev.teardown.pipeline.LiveRun.Sample;
import dev.teardown.teardown.ServerTimeWait;
import dev.teardown.teardown.TrackerView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live status text: rates over the interval, TIME_WAIT per endpoint and side, and in-place redraws. */
class LiveStatusTest {
    private static final long S = 1_000_000_000L;
    private static final ServerTimeWait WEB = new ServerTimeWait(new ServerEndpoint(4, 0, 0x7f000001L, 8080), 3, 1_200);
    private static final ServerTimeWait V6 = new ServerTimeWait(new ServerEndpoint(6, 0, 1, 443), 0, 7);

    private static Sample sample(long elapsedSeconds, long packets, long client, long server, List<ServerTimeWait> tw) {
        return new Sample(elapsedSeconds * S, packets, new LiveCapture.Stats(2 * packets, 4, 1),
            new TrackerView(elapsedSeconds * S, client, server, 2, 1, 1_500, 0, tw), 10);
    }

    @Test
    void plainLineGivesClosesPerSecondOverTheIntervalAndTimeWaitPerServerEndpointAndSide() {
        String line = LiveStatus.line(sample(70, 1_000, 100, 50, List.of()), sample(75, 9_000, 600, 60, List.of(WEB, V6)));
        assertEquals("live 0:01:15: 9,000 packets, 4 dropped (1 by the interface), 1,500 open, 10 written, 0 evicted;"
            + " closes/s client 100.0, server 2.0, crossed 0.0, rst 0.0;"
            + " TIME_WAIT now 127.0.0.1:8080 client 3 server 1,200, [::1]:443 client 0 server 7", line);
    }

    @Test
    void afterEvictionsTheTimeWaitCountsAreMarkedAsMinimums() {
        Sample before = sample(60, 0, 0, 0, List.of());
        TrackerView evicted = new TrackerView(65 * S, 0, 0, 0, 0, 10, 3, List.of(WEB));
        Sample now = new Sample(65 * S, 100, new LiveCapture.Stats(200, 0, 0), evicted, 3);
        assertTrue(LiveStatus.line(before, now).contains("TIME_WAIT now (at least) 127.0.0.1:8080"));
        assertTrue(LiveStatus.block(before, now).get(3).startsWith("  TIME_WAIT now (at least), by server endpoint"));
    }

    @Test
    void plainLineSaysNoneWhenNothingIsInTimeWait() {
        assertTrue(LiveStatus.line(sample(60, 0, 0, 0, List.of()), sample(65, 0, 0, 0, List.of()))
            .endsWith("TIME_WAIT now none"));
    }

    @Test
    void forItsFirstTimeWaitLengthTheCountsAreMinimumsAsTimeWaitBegunBeforeTheCaptureIsNotSeen() {
        Sample young = sample(59, 10, 0, 0, List.of(WEB));
        assertTrue(LiveStatus.line(sample(54, 0, 0, 0, List.of()), young)
            .contains("TIME_WAIT now (at least: TIME_WAIT begun before the capture is not seen yet) 127.0.0.1:8080"));
        List<String> block = LiveStatus.block(sample(58, 0, 0, 0, List.of()), young);
        assertTrue(block.get(3).startsWith("  TIME_WAIT now (at least), by server endpoint"), block.get(3));
        assertEquals("  (TIME_WAIT begun before the capture is not seen until it is 60 s old)", block.get(block.size() - 1));
        List<String> grown = LiveStatus.block(sample(59, 0, 0, 0, List.of()), sample(60, 10, 0, 0, List.of(WEB)));
        assertTrue(grown.get(3).startsWith("  TIME_WAIT now, by server endpoint"), "at 60 s every TIME_WAIT is seen");
        assertTrue(LiveStatus.block(sample(58, 0, 0, 0, List.of()), sample(59, 10, 0, 0, List.of(WEB)), 30 * S).get(3)
            .startsWith("  TIME_WAIT now, by server endpoint"), "with --time-wait 30, from 30 s on");
    }

    @Test
    void terminalBlockFitsEightyColumnsEvenForTheLongestIpv6Endpoint() {
        ServerTimeWait longest = new ServerTimeWait(new ServerEndpoint(6, 0x2001_0db8_1111_2222L, 0x3333_4444_5555_6666L, 65535),
            123_456_789, 987_654_321);
        List<String> block = LiveStatus.block(sample(0, 0, 0, 0, List.of()),
            sample(3_600 * 100, 123_456_789_012L, 0, 0, List.of(longest)));
        assertEquals("teardown live 100:00:00   packets 123,456,789,012   dropped 4 (interface 1)", block.get(0));
        assertTrue(block.get(4).startsWith("  [2001:db8:1111:2222:3333:4444:5555:6666]:65535"), block.get(4));
        for (String l : block) assertTrue(l.length() < 80, l);
    }

    @Test
    void terminalRedrawMovesBackOverTheLinesItDrewAndBlanksLeftovers() {
        StringWriter out = new StringWriter();
        LiveStatus status = new LiveStatus(new PrintWriter(out), true);
        Sample drawn = sample(61, 10, 0, 0, List.of(WEB, V6));
        status.print(sample(60, 0, 0, 0, List.of()), drawn);
        String first = out.toString();
        assertFalse(first.matches("(?s).*\033\\[\\d+A.*"), "nothing to move back over the first time");
        assertEquals(6, first.split("\n", -1).length - 1, "six lines: three of counts, a heading, two endpoints");
        out.getBuffer().setLength(0);
        status.print(drawn, sample(62, 20, 0, 0, List.of()));
        String second = out.toString();
        assertTrue(second.startsWith("\033[6A"), "back to the top of the block");
        assertEquals(6, second.split("\n", -1).length - 1, "the endpoint line that went away is blanked");
        assertTrue(second.endsWith("\r\033[K\n"));
    }

    @Test
    void aTerminalIsRedrawnEverySecondWithFiveEndpointsAndPlainLinesComeEveryFiveSecondsWithThree() {
        LiveStatus terminal = new LiveStatus(new PrintWriter(new StringWriter()), true);
        LiveStatus plain = new LiveStatus(new PrintWriter(new StringWriter()), false);
        assertEquals(S, terminal.intervalNanos());
        assertEquals(5, terminal.topEndpoints());
        assertEquals(5 * S, plain.intervalNanos());
        assertEquals(3, plain.topEndpoints());
    }
}
