package dev.teardown.report;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.HalfClosed;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Hand-made flow records for the summary's tests. */
final class Records {
    static final long S = 1_000_000_000L;
    static final HttpOutcome NO_HTTP =
        new HttpOutcome(0, 0, "", "", "", "", null, -1, CloseReason.NOT_HTTP, -1, -1, -1, -1, 0, Set.of());

    private Records() {}

    /** A connection to {@code serverIp:serverPort} whose TIME_WAIT is held by {@code holder}. */
    static FlowRecord to(String serverIp, int serverPort, Sides holder, HttpOutcome http) {
        CloseType type = holder == Sides.NONE ? CloseType.RST : CloseType.FIN;
        return new FlowRecord(1, 0, S, new FlowRecord.Endpoints(4, "10.0.0.1", 40000, serverIp, serverPort),
            Handshake.FULL, new FlowRecord.Traffic(3, 3, 0, 0), "SF", "ShAFaf",
            new Teardown(holder == Sides.NONE ? Sides.SERVER : holder, type, holder, PacketTime.UNSET, PacketTime.UNSET),
            false, PacketTime.UNSET, Set.of(), http, HalfClosed.NONE, "", "");
    }

    /** A connection to {@code serverIp:serverPort} whose handshake the capture missed: it began before the capture. */
    static FlowRecord begunBefore(String serverIp, int serverPort) {
        return new FlowRecord(1, 0, S, new FlowRecord.Endpoints(4, "10.0.0.1", 40000, serverIp, serverPort),
            Handshake.MIDSTREAM, new FlowRecord.Traffic(3, 3, 0, 0), "OTH", "DaFf",
            new Teardown(Sides.SERVER, CloseType.FIN, Sides.SERVER, PacketTime.UNSET, PacketTime.UNSET),
            false, PacketTime.UNSET, Set.of(), NO_HTTP, HalfClosed.NONE, "", "");
    }

    /** A connection whose half-closed states were {@code halfClosed}. */
    static FlowRecord halfClosed(HalfClosed halfClosed) {
        FlowRecord r = to("10.0.0.2", 80, Sides.CLIENT, NO_HTTP);
        return new FlowRecord(r.flowId(), r.firstNanos(), r.lastNanos(), r.endpoints(), r.handshake(), r.traffic(),
            r.connState(), r.history(), r.teardown(), r.tupleReuse(), r.reuseGapNanos(), r.anomalies(), r.http(),
            halfClosed, r.file(), r.tunnel());
    }

    /** The {@code i}-th connection of a port scan: refused, each to a server endpoint of its own. */
    static FlowRecord scanned(int i) {
        int host = i / 65535;
        return to("10.128." + (host >> 8) + "." + (host & 0xff), 1 + i % 65535, Sides.NONE, NO_HTTP);
    }

    /** One HTTP request, then the server closed the idle connection after {@code idleNanos}. */
    static HttpOutcome idleClose(long idleNanos, int advertisedTimeout) {
        return new HttpOutcome(1, 1, "1.1", "", "", "", true, idleNanos, CloseReason.SERVER_IDLE_TIMEOUT,
            advertisedTimeout, -1, 0, 200, 0, Set.of());
    }

    /** An HTTPS connection: {@code exchanges} encrypted turns, closed for {@code reason} after {@code idleNanos}. */
    static HttpOutcome tls(long exchanges, CloseReason reason, long idleNanos) {
        TlsOutcome t = new TlsOutcome("1.3", "1.3", "tls.example", "http/1.1", "", Boolean.FALSE, Sides.NONE, "",
            exchanges, false, 0, Set.of());
        return new HttpOutcome(0, 0, "", "", "", "", null, idleNanos, reason, -1, -1, 0, -1, 0, Set.of(), t);
    }

    /**
     * A connection of any kind to one of {@code endpoints} server endpoints (the low-numbered ones busier):
     * every close type, initiator, holder, TCP and HTTP anomaly, HTTP close reason and up to 16 advertised
     * timeouts occur.
     */
    static FlowRecord anyKind(SplittableRandom r, int endpoints) {
        int e = (int) Math.min(endpoints - 1, Math.abs(r.nextGaussian()) * endpoints / 3);
        Set<Anomaly> anomalies = r.nextInt(10) == 0 ? Set.of(pick(r, Anomaly.values())) : Set.of();
        Set<HttpAnomaly> httpAnomalies = r.nextInt(10) == 0 ? Set.of(pick(r, HttpAnomaly.values())) : Set.of();
        long requests = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(1 + r.nextInt(8));
        CloseReason reason = r.nextInt(4) == 0 ? CloseReason.SERVER_IDLE_TIMEOUT : pick(r, CloseReason.values());
        long idle = r.nextInt(5) == 0 ? PacketTime.UNSET : r.nextLong(30 * S);
        int timeout = r.nextInt(4) == 0 ? -1 : 1 + r.nextInt(16);
        HttpOutcome http = new HttpOutcome(requests, requests, "1.1", "", "", "", null, idle, reason, timeout, -1, 0, 200,
            0, httpAnomalies);
        return new FlowRecord(1, 0, S,
            new FlowRecord.Endpoints(4, "10.0.0.1", 40000, "10.1." + (e >> 8) + "." + (e & 0xff), 80 + e % 7),
            Handshake.FULL, new FlowRecord.Traffic(3, 3, 0, 0), "SF", "ShAFaf",
            new Teardown(pick(r, Sides.values()), pick(r, CloseType.values()), pick(r, Sides.values()),
                PacketTime.UNSET, PacketTime.UNSET),
            r.nextInt(20) == 0, PacketTime.UNSET, anomalies, http, HalfClosed.NONE, "", "");
    }

    private static <T> T pick(SplittableRandom r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    /** The summary as printed for these records. */
    static String print(Summary s) {
        StringWriter out = new StringWriter();
        SummaryText.print(new PrintWriter(out), s.figures(), "test", new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, -1, -1), 60);
        return out.toString();
    }

    /** The printed lines that start with {@code prefix}. */
    static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
