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
 * teardown stage and the HTTP tracker segment by segment: the close_reason of every connection, and for HTTPS its
 * exchanges, version and first alert.
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
            String counts = o.tls() == null ? o.requests() + "/" + o.responses()
                : o.tls().exchanges() + " exchanges " + o.tls().version() + " " + o.tls().alert();
            out.add(o.closeReason().label() + " " + counts + (o.anomalies().isEmpty() ? "" : " " + o.anomalies()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // HTTP/1.0 without keep-alive (ab, tdnet --http10): nginx echoes Connection: close and closes, but the
        // request decided it.
        "http10-server-close.pcap|http10-close 1/1;http10-close 1/1;http10-close 1/1;http10-close 1/1",
        "ab-http10.pcap|http10-close 1/1;http10-close 1/1;http10-close 1/1;http10-close 1/1;http10-close 1/1",
        // curl --http1.0 races nginx's FIN; in the last connection curl won (the kernel: the client holds TIME-WAIT).
        "http10-close-race.pcap|http10-close 1/1;http10-close 1/1;http10-close 1/1;http10-close 1/1;http10-close 1/1;"
            + "http10-close 1/1;http10-close 1/1;client-close 1/1",
        // Connection: close in the request, echoed by nginx; the first two FINs crossed.
        "curl-connection-close.pcap|simultaneous 1/1;client-requested-close 1/1;client-requested-close 1/1",
        "pipelined.pcap|client-requested-close 4/4",
        // python's HTTP/1.1 server does not echo the request's close.
        "python-http11-close.pcap|client-requested-close 1/1;client-requested-close 1/1;client-requested-close 1/1",
        // python's HTTP/1.0 server answers HTTP/1.1 requests as HTTP/1.0 without keep-alive.
        "python-http-server.pcap|http10-close 1/1;client-close 1/1;simultaneous 1/1;simultaneous 1/1",
        // keepalive_requests 3: the server's own budget, announced in the 3rd response.
        "nginx-keepalive-requests.pcap|server-close-announced 3/3;client-close 2/2;server-close-announced 3/3;"
            + "client-close 2/2",
        "ab-keepalive.pcap|client-close 4/4;client-close 2/2",
        "http11-client-close.pcap|client-close 1/1;client-close 1/1;client-close 1/1",
        // lighttpd, max-keep-alive-idle = 2, no Keep-Alive header: its FIN comes 2 to 3 s after the response.
        "keepalive-idle-timeout.pcap|server-idle-timeout 1/1",
        "nginx-idle-timeout.pcap|server-idle-timeout 2/2",
        // ab -n 1 (HTTP/1.0, the server closes), then curl HTTP/1.1 (the client closes).
        "ipv6.pcap|http10-close 1/1;client-close 1/1",
        "pcapng.pcapng|http10-close 1/1;client-close 1/1",
        "sll2-any.pcap|http10-close 1/1;client-close 1/1",
        "sll-any.pcap|http10-close 1/1;client-close 1/1",
        "nanosecond.pcap|http10-close 1/1;client-close 1/1",
        // curl reads the reply, then SO_LINGER 0; the second server (port 9000) does not speak HTTP.
        "rst-abort.pcap|client-abort 1/1;not-http 0/0",
        // tdnet's own protocols: "REQUEST: ..." and "ping".
        "half-close.pcap|not-http 0/0",
        "simultaneous-close.pcap|not-http 0/0",
        "crafted/simultaneous-close-a-first.pcap|simultaneous 1/1",
        "crafted/refused.pcap|server-abort 0/0",
        // HTTPS (nginx's $connection_requests: 3, 3, 2). curl's close_notify first, then nginx's FIN first.
        "tls-keepalive.pcap|client-close-notify 3 exchanges 1.3 client:by-size;"
            + "client-close-notify 3 exchanges 1.2 client:encrypted;client-close-notify 2 exchanges 1.2 client:encrypted",
        // Connection: close: nginx's close_notify and FIN, then a RST at curl's close_notify; or a RST alone.
        "tls-connection-close.pcap|server-close-encrypted 1 exchanges 1.3 server:by-size;"
            + "server-close-encrypted 1 exchanges 1.3 server:by-size;server-abort 1 exchanges 1.3 client:by-size;"
            + "server-close-encrypted 1 exchanges 1.2 server:encrypted;server-close-encrypted 1 exchanges 1.2 server:encrypted;"
            + "server-abort 1 exchanges 1.2 server:encrypted",
        // keepalive_timeout 2s: nginx's close_notify and FIN 2.0 s after the last response.
        "tls-idle-timeout.pcap|server-idle-timeout 2 exchanges 1.3 server:by-size;"
            + "server-idle-timeout 1 exchanges 1.2 server:encrypted",
    })
    void realCaptures(String file, String expected) throws IOException {
        assertEquals(List.of(expected.split(";")), reasons(file));
    }
}
