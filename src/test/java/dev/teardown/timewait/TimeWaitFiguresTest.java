package dev.teardown.timewait;

import static dev.teardown.timewait.Script.ACK;
import static dev.teardown.timewait.Script.FIN;
import static dev.teardown.timewait.Script.RST;
import static dev.teardown.timewait.Script.S;
import static dev.teardown.timewait.Script.SERVER;
import static dev.teardown.timewait.Script.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.hostile.PcapBuilder.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures of the TIME_WAIT stage on hand-built captures whose populations are worked out by hand: peaks per
 * host, endpoint and client pair, and when; means; steady state; tuple reuse accepted, refused and the time cut.
 */
class TimeWaitFiguresTest {
    private static final TimeWaitFigures.Limits LIMITS = new TimeWaitFigures.Limits(131_072, 32768, 60999, false, false);
    private static final Endpoint OTHER_CLIENT = Endpoint.v4(10, 0, 0, 9, 50000);

    private static TimeWaitFigures figures(Script s) {
        return s.run(S).timeline().figures(LIMITS, ClockFigures.EMPTY, List.of());
    }

    @Test
    void threeServerClosesAndTwoClientClosesPeakWhereTheirTimeWaitsOverlapMost() {
        Script s = new Script();
        for (int i = 0; i < 3; i++) s.conn().handshake(1).serverCloses(5 + i); // server TIME_WAIT from 5.003, 6.003, 7.003
        for (int i = 0; i < 2; i++) s.conn().handshake(1).clientCloses(10 + i); // client TIME_WAIT from 10.003, 11.003
        TimeWaitFigures f = figures(s);

        TimeWaitFigures.EndpointRow e = f.endpoints().get(0);
        assertEquals("10.0.0.2", e.ip());
        assertEquals(80, e.port());
        assertEquals(3, e.server().value());
        assertEquals(8 * S, e.server().atNanos(), "the first instant at or after the third start");
        assertEquals(2, e.client().value());
        assertEquals(12 * S, e.client().atNanos());
        assertEquals(3, e.enteredServer());
        assertEquals(2, e.enteredClient());

        TimeWaitFigures.HostRow server = host(f, "10.0.0.2");
        assertEquals(3, server.asServer().value());
        assertEquals(0, server.asClient().value());
        assertEquals(3, server.enteredAsServer());
        TimeWaitFigures.HostRow client = host(f, "10.0.0.1");
        assertEquals(2, client.asClient().value());
        assertEquals(2, client.total().value());
        assertEquals(2, client.enteredAsClient());

        TimeWaitFigures.PortPressure p = f.ports().get(0);
        assertEquals("10.0.0.1", p.clientIp());
        assertEquals(2, p.timeWait().value());
        assertEquals(2, p.entered());
        assertEquals(1, f.ports().size(), "the server side holds no client ports");
    }

    @Test
    void theMeanCountsEveryInstantOfTheCaptureAndTheSteadyStateIsClosesPerSecondTimesTimeWait() {
        Script s = new Script();
        s.conn().handshake(0).serverCloses(10);   // TIME_WAIT 10.003 .. 70.003: instants 11..70, 60 of them
        s.conn().handshake(99).clientCloses(119); // ends the capture at 119.003: instants 0..120, 121 of them
        TimeWaitFigures f = figures(s);
        TimeWaitFigures.EndpointRow e = f.endpoints().get(0);
        assertEquals(60.0 / 121, e.server().mean(), 1e-9);
        assertEquals(1, e.client().value(), "the client's TIME_WAIT runs past the end of the capture");
        assertEquals(119_003_000_000L, f.spanNanos());
        assertEquals(10 * 60.0 / 119.003, f.steadyState(10), 1e-9, "ten closes in 119 s, each held 60 s");
        assertTrue(Double.isNaN(f.steadyState(9)), "too few closes to tell a rate");
        assertEquals(28232 / 60.0, f.sustainableRate(), 1e-9);
    }

    @Test
    void aPeakWithinOneTimeWaitOfTheStartIsMarkedPartialAndOneAfterIsNot() {
        Script s = new Script();
        s.conn().handshake(0).serverCloses(1);
        s.conn().handshake(100).serverCloses(101);
        s.conn().handshake(100).serverCloses(101);
        TimeWaitFigures f = figures(s);
        assertEquals(2, f.endpoints().get(0).server().value());
        assertFalse(f.endpoints().get(0).server().partial());

        Script early = new Script();
        early.conn().handshake(0).serverCloses(1);
        assertTrue(figures(early).endpoints().get(0).server().partial(),
            "a TIME_WAIT begun before the capture could have added to it");
    }

    @Test
    void clientsAreTheirOwnPairsAndHostsEachWithItsOwnPeak() {
        Script s = new Script();
        s.conn().handshake(1).clientCloses(2);
        s.conn().handshake(1).clientCloses(2);
        s.new Conn(OTHER_CLIENT, SERVER).handshake(1).clientCloses(3);
        TimeWaitFigures f = figures(s);
        assertEquals(List.of("10.0.0.1 2", "10.0.0.9 1"),
            f.ports().stream().map(p -> p.clientIp() + " " + p.timeWait().value()).toList());
        assertEquals(3, f.endpoints().get(0).client().value());
    }

    @Test
    void anAcceptedReuseIsCountedWithTheTimeItCutShortAndARefusedOneApart() {
        Script s = new Script();
        Script.Conn old = s.conn().handshake(0).serverCloses(1); // server TIME_WAIT from 1.003
        Script.Conn next = s.new Conn(old.client, old.server);
        next.cseq = old.cseq + 100_000; // above the old sequence space: accepted (RFC 6191)
        next.handshake(11);             // cuts the TIME_WAIT short at 11: 50.003 s of it
        next.clientCloses(12);
        TimeWaitFigures f = figures(s);
        assertEquals(1, f.reuse().accepted());
        assertEquals(0, f.reuse().refused());
        assertEquals(50_003_000_000L, f.reuse().cutNanos());
        assertEquals(2, f.reuse().entered(), "the server's TIME_WAIT, then the client's of the new connection");
        assertEquals(1, f.ports().get(0).reuseAccepted());
        // The capture ends at 12.003 (instants 0..13): the cut TIME_WAIT (11 .. 61.003) counts at 11, 12 and 13.
        assertEquals(3.0 / 14, f.meanLoweredByReuse(), 1e-9);
        assertEquals(60e9 - 50.003e9 / 2, f.reuse().meanHeldNanos(60_000_000_000L), 1);
        // The steady state counts each close held that long, not the full 60 s.
        assertEquals(10 * (60e9 - 50.003e9 / 2) / f.spanNanos(), f.steadyState(10), 1e-9);

        Script r = new Script();
        Script.Conn first = r.conn().handshake(0).serverCloses(1);
        int oldServerNext = first.sseq;
        int oldClientNext = first.cseq;
        Script.Conn retry = r.new Conn(first.client, first.server);
        retry.cseq = first.cseq - 50_000; // inside the old window: refused with a bare ACK
        int isn = retry.cseq;
        retry.c(5, SYN, 0);
        retry.raw(false, 5.0001, ACK, oldServerNext, oldClientNext);
        retry.raw(true, 5.0002, RST, oldClientNext, 0);
        retry.raw(true, 6, SYN, isn, 0);
        retry.s(6.0001, SYN | ACK, 0).c(6.0002, ACK, 0).clientCloses(7);
        TimeWaitFigures g = figures(r);
        assertEquals(0, g.reuse().accepted());
        assertEquals(1, g.reuse().refused());
        assertEquals(1, g.ports().get(0).reuseRefused());
    }

    private static TimeWaitFigures.HostRow host(TimeWaitFigures f, String ip) {
        return f.hosts().stream().filter(h -> h.ip().equals(ip)).findFirst().orElseThrow();
    }
}
