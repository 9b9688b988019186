package dev.teardown.report;

import static dev.teardown.report.Records.S;
import static dev.teardown.report.Records.idleClose;
import static dev.teardown.report.Records.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.teardown.Sides;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The HTTP figures of one server endpoint: exact for small counts, bounded for any count. */
class HttpEndpointStatsTest {

    private static String idleLine(HttpEndpointStats h) {
        return h.lines("e").stream().filter(l -> l.contains("closes idle")).findFirst().orElseThrow();
    }

    @Test
    void idlePercentilesAreExactUpToTheSampleSize() {
        List<Long> idle = new ArrayList<>();
        for (long i = 1; i <= HttpEndpointStats.IDLE_SAMPLES; i++) idle.add(i * S);
        Collections.shuffle(idle, new Random(1));
        HttpEndpointStats h = new HttpEndpointStats();
        for (long v : idle) h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(v, 5)));
        // Nearest rank on 1 .. 1,024 s: p50 is the 513th, p10 the 103rd, p90 the 922nd.
        assertEquals("    closes idle keep-alive connections after ~513.0 s (n=1,024, p10 103.0, p90 922.0); it"
            + " advertises Keep-Alive: timeout=5; this causes 100% of its 1,024 TIME_WAIT entries", idleLine(h));
    }

    @Test
    void aMillionIdleClosesKeepABoundedSampleAndCountThemAll() {
        HttpEndpointStats h = new HttpEndpointStats();
        // Idle times 0.000 .. 9.999 s in a scrambled order, each value 100 times.
        for (long i = 0; i < 1_000_000; i++) {
            long ms = (i * 7919) % 10_000;
            h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(ms * 1_000_000L, 5)));
        }
        assertEquals(HttpEndpointStats.IDLE_SAMPLES, h.idleSamples(), "idle samples held");
        String line = idleLine(h);
        assertTrue(line.contains("(n=1,000,000, sampled 1,024, p10 "), line);
        // A uniform sample of 1,024: the median of 0 .. 10 s within a few percent of 5 s.
        double median = Double.parseDouble(line.replaceAll(".*after ~([0-9.]+) s.*", "$1"));
        assertTrue(median >= 4.5 && median <= 5.5, line);
    }

    @Test
    void distinctAdvertisedTimeoutsAreBoundedAndTheMostCommonStillFound() {
        HttpEndpointStats h = new HttpEndpointStats();
        for (int i = 0; i < 100_000; i++) {
            int timeout = i % 3 == 0 ? 75 : 1000 + i;
            h.add(to("192.0.2.1", 80, Sides.SERVER, idleClose(S, timeout)));
        }
        assertTrue(h.advertisedTimeoutValues() <= HttpEndpointStats.TIMEOUT_VALUES, "timeout values held");
        assertTrue(idleLine(h).contains("; it advertises Keep-Alive: timeout=75;"), idleLine(h));
    }
}
