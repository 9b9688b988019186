package dev.teardown.http;

import dev.teardown.decode.TcpSegment;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import java.util.LinkedHashMap;
import java.util.Map;

/** Follows the HTTP/1.x conversation of every connection. */
public final class HttpTracker {
    /** What a connection found not to be HTTP keeps in its extension slot: one shared object. */
    static final Object NOT_HTTP = new Object() {
        @Override
        public String toString() {
            return "not-http";
        }
    };
    private static final HttpAnomaly[] ANOMALIES = HttpAnomaly.values();
    private final HttpLimits limits;
    private final long[] counters = new long[ANOMALIES.length];

    public HttpTracker() {
        this(HttpLimits.defaults());
    }

    public HttpTracker(HttpLimits limits) {
        this.limits = limits;
    }

    /**
     * Applies one segment of {@code c}, sent by {@code from}, after the teardown stage applied it. Pass every
     * segment: SYNs anchor each stream's first byte and ACKs reveal bytes the capture missed; a segment with
     * neither payload nor SYN costs a type check. The state lives in {@link Connection#extension()}: nothing
     * until a SYN, the initial sequence numbers until the first payload, then the conversation; a connection
     * found not to be HTTP keeps only a shared marker.
     */
    public void onSegment(Connection c, Side from, TcpSegment seg) {
        Object state = c.extension();
        if (state instanceof Conversation conv) {
            conv.onSegment(c, from, seg);
            if (conv.status() == Conversation.Status.NOT_HTTP) c.setExtension(NOT_HTTP);
            return;
        }
        if (state == NOT_HTTP || state != null && !(state instanceof SynAnchors)) return;
        SynAnchors anchors = (SynAnchors) state;
        if (seg.payloadLength <= 0 || seg.has(TcpSegment.RST)) {
            if (!seg.has(TcpSegment.SYN)) return;
            if (anchors == null) {
                anchors = new SynAnchors();
                c.setExtension(anchors);
            }
            anchors.onSyn(from, seg.seq);
            return;
        }
        Conversation conv = new Conversation(limits, counters, anchors);
        c.setExtension(conv);
        conv.onSegment(c, from, seg);
        if (conv.status() == Conversation.Status.NOT_HTTP) c.setExtension(NOT_HTTP);
    }

    /** How often {@code a} happened, across all connections. */
    public long count(HttpAnomaly a) {
        return counters[a.ordinal()];
    }

    /** How often the anomaly named {@code anomalyName} happened; 0 for unknown names. */
    public long count(String anomalyName) {
        for (HttpAnomaly a : ANOMALIES) if (a.name().equals(anomalyName)) return counters[a.ordinal()];
        return 0;
    }

    /** The anomalies that happened, by name, in declaration order. */
    public Map<String, Long> anomalies() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (HttpAnomaly a : ANOMALIES) if (counters[a.ordinal()] > 0) m.put(a.name(), counters[a.ordinal()]);
        return m;
    }
}
