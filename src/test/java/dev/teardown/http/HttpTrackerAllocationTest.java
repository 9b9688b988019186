package dev.teardown.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import dev.teardown.flow.FlowKey;
import dev.teardown.teardown.Connection;
import dev.teardown.teardown.Side;
import dev.teardown.tls.TlsBytes;
import dev.teardown.tls.TlsOutcome;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP stage runs on every packet: in-order segments of a keep-alive conversation, HTTP or TLS, allocate nothing.
 * (Its speed is measured by bench/run.sh, never by a timed test.)
 */
class HttpTrackerAllocationTest {
    private static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: Mozilla/5.0"
        + " (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0\r\nAccept: text/html,application/xhtml+xml\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: keep-alive\r\n\r\n";
    private static final String RESPONSE_HEAD = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Mon, 24 Nov 2026 10:00:00 GMT\r\n"
        + "Content-Type: text/html\r\nContent-Length: 4000\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\n\r\n";
    private static final int MSS = 1448;

    /** One frame: who sends it and its header fields; payload bytes sit at offset 54 of {@code frame}. */
    private record Frame(boolean client, int flags, int seqOffset, int ackOffset, byte[] frame, int length) {}

    private static byte[] httpResponse() {
        byte[] resp = new byte[RESPONSE_HEAD.length() + 4000];
        byte[] head = HttpWire.ascii(RESPONSE_HEAD);
        System.arraycopy(head, 0, resp, 0, head.length);
        java.util.Arrays.fill(resp, head.length, resp.length, (byte) 'x');
        return resp;
    }

    /** One keep-alive exchange: request, ACK, response over several segments, ACK. */
    private static List<Frame> exchange(byte[] req, byte[] resp) {
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(true, 0, 0, req, 0, req.length));
        frames.add(frame(false, 0, req.length, req, 0, 0));
        for (int off = 0; off < resp.length; off += MSS) {
            frames.add(frame(false, off, req.length, resp, off, Math.min(MSS, resp.length - off)));
        }
        frames.add(frame(true, req.length, resp.length, req, 0, 0));
        return frames;
    }

    private static Frame frame(boolean client, int seqOffset, int ackOffset, byte[] src, int off, int len) {
        byte[] f = new byte[54 + len];
        System.arraycopy(src, off, f, 54, len);
        return new Frame(client, TcpSegment.ACK | (len > 0 ? TcpSegment.PSH : 0), seqOffset, ackOffset, f, len);
    }

    private static final class Run {
        final HttpTracker tracker = new HttpTracker();
        final TcpSegment seg = new TcpSegment();
        final Connection<HttpConnection> connection;
        final Frame[] frames;
        final int requestLength;
        final int responseLength;
        int cseq = 1001;
        int sseq = 5001;

        Run() {
            this(HttpWire.ascii(REQUEST), httpResponse());
        }

        /** A connection whose exchanges are {@code request} and {@code response}, after the handshake. */
        Run(byte[] request, byte[] response) {
            frames = exchange(request, response).toArray(new Frame[0]);
            requestLength = request.length;
            responseLength = response.length;
            seg.ipVersion = 4;
            seg.srcLo = 0x0a000001;
            seg.dstLo = 0x0a000002;
            seg.srcPort = 40000;
            seg.dstPort = 80;
            seg.flags = TcpSegment.SYN;
            seg.seq = 1000;
            FlowKey key = new FlowKey();
            key.setFrom(seg, dev.teardown.flow.HashKey.seeded(1));
            connection = new Connection<>(1, key, seg, true, tracker.open());
            connection.onSegment(seg);
            tracker.onSegment(connection.stage(), connection, Side.CLIENT, seg);
            swap();
            seg.flags = TcpSegment.SYN | TcpSegment.ACK;
            seg.seq = 5000;
            seg.ack = 1001;
            connection.onSegment(seg);
            tracker.onSegment(connection.stage(), connection, Side.SERVER, seg);
        }

        private void swap() {
            long lo = seg.srcLo;
            seg.srcLo = seg.dstLo;
            seg.dstLo = lo;
            int port = seg.srcPort;
            seg.srcPort = seg.dstPort;
            seg.dstPort = port;
        }

        /** Runs {@code n} exchanges; returns the number of segments. */
        long exchanges(int n) {
            long segments = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < frames.length; k++) { // indexed: an iterator would be the only allocation
                    Frame f = frames[k];
                    boolean client = f.client;
                    seg.srcLo = client ? 0x0a000001 : 0x0a000002;
                    seg.dstLo = client ? 0x0a000002 : 0x0a000001;
                    seg.srcPort = client ? 40000 : 80;
                    seg.dstPort = client ? 80 : 40000;
                    seg.seq = (client ? cseq : sseq) + f.seqOffset;
                    seg.ack = (client ? sseq : cseq) + f.ackOffset;
                    seg.flags = f.flags;
                    seg.data = f.frame;
                    seg.payloadOffset = 54;
                    seg.payloadLength = f.length;
                    seg.capturedPayloadLength = f.length;
                    seg.timeNanos += 1000;
                    tracker.onSegment(connection.stage(), connection, client ? Side.CLIENT : Side.SERVER, seg);
                    segments++;
                }
                cseq += requestLength;
                sseq += responseLength;
            }
            return segments;
        }

        Conversation conversation() {
            return connection.stage().conversation;
        }

        /** Sends {@code hello} from the client and {@code flight} from the server, as one segment each. */
        Run tlsHandshake(byte[] hello, byte[] flight) {
            Frame[] kept = frames.clone();
            frames[0] = frame(true, 0, 0, hello, 0, hello.length);
            frames[1] = frame(false, 0, hello.length, flight, 0, flight.length);
            for (int k = 0; k < 2; k++) {
                Frame f = frames[k];
                boolean client = f.client;
                seg.srcLo = client ? 0x0a000001 : 0x0a000002;
                seg.dstLo = client ? 0x0a000002 : 0x0a000001;
                seg.srcPort = client ? 40000 : 80;
                seg.dstPort = client ? 80 : 40000;
                seg.seq = client ? cseq : sseq;
                seg.ack = client ? sseq : cseq + hello.length;
                seg.flags = f.flags;
                seg.data = f.frame;
                seg.payloadOffset = 54;
                seg.payloadLength = f.length;
                seg.capturedPayloadLength = f.length;
                seg.timeNanos += 1000;
                connection.onSegment(seg);
                tracker.onSegment(connection.stage(), connection, client ? Side.CLIENT : Side.SERVER, seg);
            }
            System.arraycopy(kept, 0, frames, 0, 2);
            cseq += hello.length;
            sseq += flight.length;
            return this;
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void inOrderKeepAliveTrafficAllocatesNothingPerSegment() {
        Run run = new Run();
        run.exchanges(20_000); // warm up: the JIT and the first messages' Strings
        long before = allocatedBytes();
        long segments = run.exchanges(20_000);
        long allocated = allocatedBytes() - before;
        assertEquals(40_000, run.conversation().requests());
        assertEquals(40_000, run.conversation().responses());
        assertEquals(java.util.Set.of(), run.conversation().anomalies());
        assertTrue(allocated < segments / 10, allocated + " bytes allocated for " + segments + " segments");
    }

    @Test
    void inOrderTlsTrafficAllocatesNothingPerSegment() {
        // Records crossing segment boundaries both ways: a 405-byte request, a response of three records over
        // three segments.
        byte[] response = TlsBytes.concat(TlsBytes.data(1400), TlsBytes.data(1400), TlsBytes.data(1185));
        Run run = new Run(TlsBytes.data(400), response).tlsHandshake(TlsBytes.clientHello().sni("alloc.example").record(),
            TlsBytes.serverHello().alpn("http/1.1").record());
        run.exchanges(20_000);
        long before = allocatedBytes();
        long segments = run.exchanges(20_000);
        long allocated = allocatedBytes() - before;
        TlsOutcome o = run.connection.stage().tls.outcome();
        assertEquals(40_000, o.exchanges());
        assertEquals("alloc.example", o.serverName());
        assertEquals(java.util.Set.of(), o.problems());
        assertTrue(allocated < segments / 10, allocated + " bytes allocated for " + segments + " segments");
    }
}
