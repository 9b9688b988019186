package dev.teardown.timewait;

import dev.teardown.teardown.ServerEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The difference accumulator: which instant takes which change, row order, quiet stretches, late changes. */
class StepCountsTest {
    private static final long S = 1_000_000_000L;
    private static final ServerEndpoint A = new ServerEndpoint(4, 0, 0x0a000002L, 80);
    private static final ServerEndpoint B = new ServerEndpoint(4, 0, 0x0a000002L, 443);
    private static final ServerEndpoint V6 = new ServerEndpoint(6, 0x20010db800000000L, 1, 80);
    private static final ServerEndpoint LOW = new ServerEndpoint(4, 0, 0x09000001L, 8080);

    private final List<TimelineRow> rows = new ArrayList<>();

    private StepCounts<ServerEndpoint> counts(long firstNanos) {
        StepCounts<ServerEndpoint> c = StepCounts.forEndpoints(S, rows::add);
        c.start(firstNanos, firstNanos); // nothing partial unless a test says so
        return c;
    }

    /** The rows as "second endpoint-port values" lines, values in column order. */
    private List<String> lines() {
        return rows.stream().map(r -> r.timeNanos() / S + " " + r.serverPort() + " "
            + String.join(",", java.util.Arrays.stream(r.counts()).mapToObj(Long::toString).toList())
            + (r.partial() ? " partial" : "")).toList();
    }

    @Test
    void aPopulationCountsAtEveryInstantFromItsStartUntilJustBeforeItsEnd() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.during(A, Count.TIME_WAIT_SERVER, 2 * S, 5 * S);       // instants 2, 3, 4
        c.during(A, Count.TIME_WAIT_CLIENT, 2 * S + 1, 4 * S - 1); // instants 3 only
        c.writeThrough(7 * S);
        assertEquals(List.of(
            "2 80 0,1,0,0,0,0,0",
            "3 80 0,1,1,0,0,0,0",
            "4 80 0,1,0,0,0,0,0"), lines());
    }

    @Test
    void anIntervalBetweenTwoInstantsIsNeverCounted() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.during(A, Count.OPEN, 2 * S + 1, 3 * S);
        c.writeThrough(7 * S);
        assertEquals(List.of(), rows);
    }

    @Test
    void aCloseCountsInTheStepThatEndsAtOrAfterIt() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.change(A, Count.CLOSES_SERVER, 3 * S, 1);      // exactly on an instant: that instant
        c.change(A, Count.CLOSES_CLIENT, 3 * S + 1, 1);  // just after: the next one
        c.change(A, Count.RESETS, 4 * S, 1);
        c.writeThrough(7 * S);
        assertEquals(List.of(
            "3 80 0,0,0,0,1,0,0",
            "4 80 0,0,0,1,0,0,1"), lines(), "closes are not carried to the next instant");
    }

    @Test
    void rowsComeInTimeThenEndpointOrderIPv4BeforeIPv6AndAddressesNumerically() {
        StepCounts<ServerEndpoint> c = counts(0);
        for (ServerEndpoint k : List.of(V6, B, A, LOW)) c.during(k, Count.OPEN, S, 3 * S);
        c.writeThrough(2 * S);
        assertEquals(List.of("9.0.0.1:8080", "10.0.0.2:80", "10.0.0.2:443", "[2001:db8::1]:80",
                "9.0.0.1:8080", "10.0.0.2:80", "10.0.0.2:443", "[2001:db8::1]:80"),
            rows.stream().map(r -> (r.serverIp().contains(":") ? "[" + r.serverIp() + "]" : r.serverIp()) + ":" + r.serverPort()).toList());
        assertEquals(List.of(S, S, S, S, 2 * S, 2 * S, 2 * S, 2 * S), rows.stream().map(TimelineRow::timeNanos).toList());
    }

    @Test
    void onlyInstantsBeforeTheGivenTimeAreWrittenAndTheRestWaitsForLaterChanges() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.during(A, Count.OPEN, S, 10 * S);
        c.writeBefore(3 * S);
        assertEquals(List.of("1 80 1,0,0,0,0,0,0", "2 80 1,0,0,0,0,0,0"), lines());
        c.change(A, Count.OPEN, 3 * S, 1); // still in time for instant 3
        c.writeBefore(4 * S + 1);
        assertEquals("3 80 2,0,0,0,0,0,0", lines().get(2));
        assertEquals("4 80 2,0,0,0,0,0,0", lines().get(3));
        assertEquals(0, c.late());
    }

    @Test
    void aChangeToAnInstantAlreadyWrittenIsAppliedAtTheFirstUnwrittenOneAndCountedLate() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.during(A, Count.OPEN, S, 10 * S);
        c.writeBefore(3 * S);
        c.during(A, Count.TIME_WAIT_SERVER, S, 5 * S); // began at 1, but instants 1 and 2 are written
        c.during(A, Count.TIME_WAIT_CLIENT, S, 2 * S); // entirely in the past: both ends land on instant 3
        c.writeThrough(5 * S);
        assertEquals(List.of(
            "1 80 1,0,0,0,0,0,0",
            "2 80 1,0,0,0,0,0,0",
            "3 80 1,1,0,0,0,0,0",
            "4 80 1,1,0,0,0,0,0",
            "5 80 1,0,0,0,0,0,0"), lines());
        assertEquals(3, c.late(), "the server start, the client start and the client end");
    }

    @Test
    void aQuietStretchWritesNoRows() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.change(A, Count.RESETS, S, 1);
        long year = 365 * 86_400 * S;
        c.change(A, Count.RESETS, year, 1);
        c.writeThrough(year); // a year of one-second instants: only two hold anything
        assertEquals(List.of("1 80 0,0,0,0,0,0,1", year / S + " 80 0,0,0,0,0,0,1"), lines());
    }

    @Test
    void instantsWithinTheFirstTimeWaitOfTheCaptureArePartial() {
        StepCounts<ServerEndpoint> c = StepCounts.forEndpoints(S, rows::add);
        c.start(S / 2, S / 2 + 2 * S); // capture from 0.5 s, TIME_WAIT 2 s: instants 1 and 2 are partial
        c.during(A, Count.OPEN, S / 2, 4 * S);
        c.writeThrough(4 * S);
        assertEquals(List.of(
            "1 80 1,0,0,0,0,0,0 partial",
            "2 80 1,0,0,0,0,0,0 partial",
            "3 80 1,0,0,0,0,0,0"), lines());
    }

    @Test
    void instantsBefore1970AreMultiplesOfTheStepToo() {
        StepCounts<ServerEndpoint> c = counts(-5 * S / 2);
        c.during(A, Count.OPEN, -5 * S / 2, -S / 2); // -2.5 s to -0.5 s: instants -2 and -1
        c.writeThrough(0);
        assertEquals(List.of(-2 * S, -S), rows.stream().map(TimelineRow::timeNanos).toList());
    }

    @Test
    void aFractionalStepPutsInstantsAtItsMultiples() {
        StepCounts<ServerEndpoint> c = StepCounts.forEndpoints(S / 4, rows::add);
        c.start(S, S);
        c.during(A, Count.OPEN, S + 1, S + S / 2 + 1); // 1.25 and 1.5
        c.writeThrough(2 * S);
        assertEquals(List.of(S + S / 4, S + S / 2), rows.stream().map(TimelineRow::timeNanos).toList());
    }

    @Test
    void discardingWritesNothingMore() {
        StepCounts<ServerEndpoint> c = counts(0);
        c.during(A, Count.OPEN, S, 10 * S);
        c.writeBefore(2 * S);
        c.discard();
        c.writeThrough(10 * S);
        assertEquals(1, rows.size());
    }

    @Test
    void aStepThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StepCounts.forEndpoints(0, rows::add));
    }

    @Test
    void aChangeBeyondTheRingAtAFineStepWaitsAndLandsOnItsInstant() {
        // A millisecond step: an interval of 100 s ends 100,000 instants ahead, past the ring's 65,536.
        StepCounts<ServerEndpoint> c = StepCounts.forEndpoints(1_000_000L, rows::add);
        c.start(0, 0);
        c.during(A, Count.TIME_WAIT_SERVER, 0, 100 * S);
        c.during(B, Count.TIME_WAIT_CLIENT, 99 * S, 150 * S);
        c.writeThrough(200 * S);
        assertEquals(100_000 + 51_000, rows.size());
        assertEquals(0, rows.get(0).timeNanos());
        long lastA = rows.stream().filter(r -> r.serverPort() == 80).mapToLong(TimelineRow::timeNanos).max().getAsLong();
        assertEquals(100 * S - 1_000_000L, lastA, "counted until just before its end");
        long firstB = rows.stream().filter(r -> r.serverPort() == 443).mapToLong(TimelineRow::timeNanos).min().getAsLong();
        assertEquals(99 * S, firstB);
    }
}
