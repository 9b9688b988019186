package dev.teardown.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.decode.TcpSegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A capture that begins mid-connection has no SYN to say who the client is: an HTTP start line in the first
 * payload decides it, before the port numbers. Ports 8080 and 9090 are both "registered", so only the payload
 * can get these right.
 */
class PayloadHintTest {

    private static TcpSegment midstream(int srcPort, int dstPort, String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        TcpSegment s = new TcpSegment();
        s.ipVersion = 4;
        s.srcLo = 0x0a000001;
        s.dstLo = 0x0a000002;
        s.srcPort = srcPort;
        s.dstPort = dstPort;
        s.flags = TcpSegment.ACK | TcpSegment.PSH;
        s.data = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, s.data, 7, bytes.length);
        s.payloadOffset = 7;
        s.payloadLength = bytes.length;
        s.capturedPayloadLength = bytes.length;
        return s;
    }

    @Test
    void aRequestLineMakesTheSenderTheClientWhateverThePorts() {
        assertTrue(ConnectionTracker.clientIsSource(midstream(8080, 9090, "GET / HTTP/1.1\r\n")));
        assertEquals(1, PayloadHint.httpDirection(midstream(8080, 9090, "POST /x HTTP/1.1\r\n")));
    }

    @Test
    void aStatusLineMakesTheSenderTheServerWhateverThePorts() {
        assertFalse(ConnectionTracker.clientIsSource(midstream(9090, 8080, "HTTP/1.1 200 OK\r\n")));
    }

    @Test
    void withoutAStartLineThePortsDecide() {
        assertEquals(0, PayloadHint.httpDirection(midstream(9090, 8080, "\u0016\u0003\u0001 tls")));
        // Equal rank: the higher port is taken for the client's ephemeral one.
        assertTrue(ConnectionTracker.clientIsSource(midstream(9090, 8080, "\u0016\u0003\u0001 tls")));
        assertFalse(ConnectionTracker.clientIsSource(midstream(80, 40000, "\u0016\u0003\u0001 tls")));
    }

    @Test
    void aPayloadCutBeforeTheMethodsSpaceGivesNoHint() {
        TcpSegment s = midstream(8080, 9090, "GET / HTTP/1.1\r\n");
        s.capturedPayloadLength = 3; // snaplen cut inside "GET "
        assertEquals(0, PayloadHint.httpDirection(s));
    }
}
