package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.Frame;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PacketTime;
import dev.teardown.decode.DecodeStats;
import dev.teardown.decode.PacketDecoder;
import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowKey;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Teardown;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real captures in samples/ (nginx, lighttpd, curl, ab; see samples/README.md), decoded and fed to the
 * teardown stage and the HTTP tracker segment by segment: the close_reason of every connection.
 */
class HttpSamplesTest {
    private static final long TW = 60_000_000_000L;

    /** Every connection of a capture, in order of first packet, as "close_reason requests/responses". */
    static List<String> reasons(String file) throws IOException {
        Map<FlowKey, Connection<HttpConnection>> open = new HashMap<>();
        List<Connection<HttpConnection>> all = new ArrayList<>();
        HttpTracker http = new HttpTracker();
        Frame frame = new Frame();
        TcpSegment seg = new TcpSegment();
        PacketDecoder decoder = new PacketDecoder(new DecodeStats());
        try (PacketSource source = CaptureFiles.open(Path.of("samples", file))) {
            while (source.next(frame)) {
                if (decoder.decode(frame, seg) != PacketDecoder.Result.TCP) continue;
                FlowKey probe = new FlowKey();
                probe.setFrom(seg, dev.teardown.flow.HashKey.seeded(1));
                Connection<HttpConnection> c = open.get(probe);
                boolean newSyn = seg.has(TcpSegment.SYN) && !seg.has(TcpSegment.ACK);
                if (c == null || newSyn && PacketTime.isSet(c.firstCloseNanos())) {
                    c = new Connection<>(all.size() + 1, probe, seg, !seg.has(TcpSegment.SYN) || !seg.has(TcpSegment.ACK), http.open());
                    open.put(probe, c);
                    all.add(c);
                }
                c.onSegment(seg);
                http.onSegment(c.stage(), c, c.senderOf(seg), seg);
            }
        }
        List<String> out = new ArrayList<>();
        for (Connection<HttpConnection> c : all) {
            http.finish(c.stage(), c);
            HttpOutcome o = http.outcome(c.stage(), c, Teardown.of(c, TW));
            out.add(o.closeReason().label() + " " + o.requests() + "/" + o.responses()
                + (o.anomalies().isEmpty() ? "" : " " + o.anomalies()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // nginx answers HTTP/1.0 without keep-alive with Connection: close, then closes.
        "http10-server-close.pcap|server-close-announced 1/1;server-close-announced 1/1;server-close-announced 1/1;"
            + "server-close-announced 1/1",
        // curl --http1.0 races nginx's FIN; in the last connection curl won (the kernel: the client holds TIME-WAIT).
        "http10-close-race.pcap|server-close-announced 1/1;server-close-announced 1/1;server-close-announced 1/1;"
            + "server-close-announced 1/1;server-close-announced 1/1;server-close-announced 1/1;"
            + "server-close-announced 1/1;client-close 1/1",
        "http11-client-close.pcap|client-close 1/1;client-close 1/1;client-close 1/1",
        // lighttpd, max-keep-alive-idle = 2, no Keep-Alive header: its FIN comes 2 to 3 s after the response.
        "keepalive-idle-timeout.pcap|server-idle-timeout 1/1",
        "ipv6.pcap|server-close-announced 1/1;client-close 1/1",
        "pcapng.pcapng|server-close-announced 1/1;client-close 1/1",
        "sll2-any.pcap|server-close-announced 1/1;client-close 1/1",
        // curl reads the reply, then SO_LINGER 0; the second server (port 9000) does not speak HTTP.
        "rst-abort.pcap|client-abort 1/1;not-http 0/0",
        // tdnet's own protocols: "REQUEST: ..." and "ping".
        "half-close.pcap|not-http 0/0",
        "simultaneous-close.pcap|not-http 0/0",
        "crafted/simultaneous-close-a-first.pcap|simultaneous 1/1",
        "crafted/refused.pcap|server-abort 0/0",
    })
    void realCaptures(String file, String expected) throws IOException {
        assertEquals(List.of(expected.split(";")), reasons(file));
    }
}
