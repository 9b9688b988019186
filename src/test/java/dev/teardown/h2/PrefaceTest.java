package dev.teardown.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two ways an HTTP/2 connection announces itself to a parser of HTTP/1.x. */
class PrefaceTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theFirstLineIsThePrefacesWithItsCr() {
        byte[] line = ascii("PRI * HTTP/2.0\r");
        assertTrue(Preface.firstLine(line, 0, line.length));
        assertFalse(Preface.firstLine(line, 0, line.length - 1), "a bare LF is no preface");
        byte[] other = ascii("PRI * HTTP/2.1\r");
        assertFalse(Preface.firstLine(other, 0, other.length));
        assertArrayEquals(ascii("PRI * HTTP/2.0\r\n"), Preface.firstLineBytes());
    }

    @Test
    void aServersFirstBytesMayBeginASettingsFrameAsFarAsTheyGo() {
        byte[] settings = H2Bytes.settings(3, 100, 4, 65535);
        for (int n = 1; n <= settings.length; n++) assertTrue(Preface.serverStart(settings, 0, n), n + " bytes");
        assertFalse(Preface.serverStart(settings, 0, 0));
        assertFalse(Preface.serverStart(H2Bytes.settingsAck(), 0, 9), "an ACK is no server preface");
        assertFalse(Preface.serverStart(H2Bytes.headers(1, 0, 6), 0, 15));
        byte[] odd = Arrays.copyOf(settings, 9);
        odd[2] = 7;
        assertFalse(Preface.serverStart(odd, 0, 9), "not a multiple of 6");
        assertFalse(Preface.serverStart(ascii("HTTP/1.1 200 OK\r\n"), 0, 17));
    }
}
