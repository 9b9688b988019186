package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.TestCsv;
import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The timeline of real captures against their golden flow CSVs: the TIME_WAIT populations at every instant are
 * counted here from the CSV's time_wait_side, time_wait_start and time_wait_end columns, and the closes from
 * close_initiator; no timeline golden is involved.
 */
class SampleTimelineTest {
    /** 5 ms: fine enough for many instants inside these sub-second captures (see the crossed-close check below). */
    private static final long STEP = 5_000_000L;
    private static final long TIME_WAIT = 60_000_000_000L;

    @ParameterizedTest
    @ValueSource(strings = {"port-reuse", "curl-connection-close", "simultaneous-close", "ab-keepalive",
        "http11-client-close", "http10-server-close"})
    void timeWaitPopulationsAreTheGoldenCsvTimesCountedAtEachInstant(String sample) throws Exception {
        List<List<String>> csv = TestCsv.parse(Files.readString(Path.of("samples/" + sample + ".csv")));
        List<String> header = csv.get(0);
        int firstSeen = header.indexOf("first_seen");
        int lastSeen = header.indexOf("last_seen");
        int ip = header.indexOf("server_ip");
        int port = header.indexOf("server_port");
        int initiator = header.indexOf("close_initiator");
        int side = header.indexOf("time_wait_side");
        int start = header.indexOf("time_wait_start");
        int end = header.indexOf("time_wait_end");

        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<String> row : csv.subList(1, csv.size())) {
            first = Math.min(first, nanos(row.get(firstSeen)));
            last = Math.max(last, nanos(row.get(lastSeen)));
        }
        // instant -> "ip port" -> {server, client}
        Map<Long, Map<String, long[]>> expected = new TreeMap<>();
        Map<String, Long> closes = new HashMap<>();
        for (long k = ceil(first); k <= ceil(last); k++) expected.put(k * STEP, new TreeMap<>());
        for (List<String> row : csv.subList(1, csv.size())) {
            String holder = row.get(side);
            closes.merge(row.get(initiator), 1L, Long::sum);
            if (row.get(start).isEmpty()) continue;
            long from = nanos(row.get(start));
            long to = nanos(row.get(end));
            if (holder.equals("both")) {
                // The CSV gives the earliest start and the latest end of the two sides; the timeline counts each
                // side's own. They agree at every instant only if none falls between the two sides' starts.
                for (long t : expected.keySet()) assertFalse(t >= from && t < to - TIME_WAIT, "step too coarse at " + t);
            }
            for (long t : expected.keySet()) {
                if (t < from || t >= to) continue;
                long[] v = expected.get(t).computeIfAbsent(row.get(ip) + " " + row.get(port), e -> new long[2]);
                if (!holder.equals("client")) v[0]++;
                if (!holder.equals("server")) v[1]++;
            }
        }

        List<TimelineRow> rows = new ArrayList<>();
        AnalyzeOptions options = new AnalyzeOptions(TIME_WAIT, AnalyzeOptions.DEFAULT_IDLE_TIMEOUT_SECONDS * AnalyzeOptions.SECOND);
        try (PacketSource source = CaptureFiles.open(Path.of("samples/" + sample + ".pcap"))) {
            Analysis.run(source, options, List.of(), TimeWaitStage.of(new TimeWaitTimeline(TIME_WAIT, options.idleTimeoutNanos(), STEP, rows::add)),
                () -> false);
        }
        Map<Long, Map<String, long[]>> actual = new TreeMap<>();
        for (long t : expected.keySet()) actual.put(t, new TreeMap<>());
        Map<String, Long> counted = new HashMap<>();
        for (TimelineRow r : rows) {
            assertTrue(actual.containsKey(r.timeNanos()), "an instant from the first packet's to the last's: " + r);
            long server = r.count(Count.TIME_WAIT_SERVER);
            long client = r.count(Count.TIME_WAIT_CLIENT);
            if (server + client > 0) actual.get(r.timeNanos()).put(r.serverIp() + " " + r.serverPort(), new long[] {server, client});
            counted.merge("client", r.count(Count.CLOSES_CLIENT), Long::sum);
            counted.merge("server", r.count(Count.CLOSES_SERVER), Long::sum);
            counted.merge("both", r.count(Count.CLOSES_BOTH), Long::sum);
            assertTrue(r.partial(), "a sub-second capture lies within its first TIME_WAIT");
        }
        assertEquals(text(expected), text(actual));
        counted.values().removeIf(n -> n == 0);
        assertEquals(closes, counted, "every close, by close_initiator");
    }

    private static String text(Map<Long, Map<String, long[]>> populations) {
        StringBuilder b = new StringBuilder();
        populations.forEach((t, byEndpoint) -> byEndpoint.forEach((e, v) ->
            b.append(Instant.ofEpochSecond(0, t)).append(' ').append(e).append(" server ").append(v[0])
                .append(" client ").append(v[1]).append('\n')));
        return b.toString();
    }

    private static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static long ceil(long nanos) {
        return -Math.floorDiv(-nanos, STEP);
    }
}
