package dev.teardown.report;

import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Sides;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hand-made flow records for the summary's tests. */
final class Records {
    static final long S = 1_000_000_000L;
    static final HttpOutcome NO_HTTP =
        new HttpOutcome(0, 0, "", "", "", "", null, -1, CloseReason.NOT_HTTP, -1, -1, -1, -1, 0, Set.of());

    private Records() {}

    /** A connection to {@code serverIp:serverPort} whose TIME_WAIT is held by {@code holder}. */
    static FlowRecord to(String serverIp, int serverPort, Sides holder, HttpOutcome http) {
        CloseType type = holder == Sides.NONE ? CloseType.RST : CloseType.FIN;
        return new FlowRecord(1, 0, S, 4, "10.0.0.1", 40000, serverIp, serverPort, Handshake.FULL, 3, 3, 0, 0,
            "SF", "ShAFaf", holder == Sides.NONE ? Sides.SERVER : holder, type, holder, -1, -1, false, -1,
            Set.of(), http);
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

    /** The summary as printed for these records. */
    static String print(Summary s) {
        StringWriter out = new StringWriter();
        s.print(new PrintWriter(out), "test", new CaptureTotals(0, 0, Map.of(), Map.of(), List.of(), 0, -1, -1), 60);
        return out.toString();
    }

    /** The printed lines that start with {@code prefix}. */
    static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }
}
