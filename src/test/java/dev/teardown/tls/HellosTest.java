package dev.teardown.tls;

import static dev.teardown.tls.TlsBytes.clientHello;
import static dev.teardown.tls.TlsBytes.serverHello;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two cleartext hellos, field by field, and every way their lengths can lie. */
class HellosTest {
    private static ClientHello client(byte[] body) {
        return Hellos.client(body, 0, body.length);
    }

    private static ServerHello server(byte[] body) {
        return Hellos.server(body, 0, body.length);
    }

    @Test
    void clientHelloGivesServerNameAlpnOfferAndHighestOfferedVersionSkippingGrease() {
        ClientHello h = client(clientHello().sni("www.example.com").alpn("h2", "http/1.1")
            .versions(0x4a4a, TlsBytes.TLS13, TlsBytes.TLS12).body());
        assertNotNull(h);
        assertEquals("www.example.com", h.serverName());
        assertEquals("h2,http/1.1", h.alpn());
        assertEquals(TlsBytes.TLS13, h.highestOffered(), "0x4a4a is GREASE (RFC 8701): not a version");
        assertEquals(TlsBytes.TLS12, h.legacyVersion());
        assertEquals(32, h.sessionId().length);
        assertFalse(h.ticket());
        assertFalse(h.psk());
    }

    @Test
    void clientHelloWithoutExtensionsIsValidBeforeTls13AndOffersItsLegacyVersion() {
        ClientHello h = client(clientHello().legacy(0x0302).withoutExtensions().body());
        assertNotNull(h, "RFC 5246 section 7.4.1.2: extensions are optional");
        assertEquals(0x0302, h.highestOffered());
        assertEquals("", h.serverName());
        assertEquals("", h.alpn());
    }

    @Test
    void clientHelloResumptionOffersAreSeen() {
        ClientHello h = client(clientHello().ticket(100).psk().body());
        assertTrue(h.ticket(), "a non-empty SessionTicket");
        assertTrue(h.psk());
        assertFalse(client(clientHello().ticket(0).body()).ticket(), "an empty SessionTicket asks for one, presents none");
    }

    @Test
    void serverNameKeepsPrintableAsciiAndEscapesEverythingElseAndTheSeparators() {
        byte[] name = {'a', 0x1b, '[', '2', 'J', ',', '\\', (byte) 0xe9, ' ', 'b'};
        ClientHello h = client(clientHello().ext(0, TlsBytes.serverName(name)).body());
        assertEquals("a\\x1b[2J\\x2c\\x5c\\xe9\\x20b", h.serverName());
    }

    @Test
    void overlongServerNameIsCutAtWholeCharactersWithinTheBound() {
        byte[] name = new byte[1000];
        Arrays.fill(name, (byte) 1);
        String sni = client(clientHello().ext(0, TlsBytes.serverName(name)).body()).serverName();
        assertEquals(WireText.MAX_CHARS, sni.length(), "64 escapes of 4 characters");
        assertTrue(sni.endsWith("\\x01"));
    }

    @Test
    void alpnListStopsAtTheProtocolThatWouldPassTheBound() {
        String[] many = new String[20];
        Arrays.fill(many, "p".repeat(30));
        String alpn = client(clientHello().alpn(many).body()).alpn();
        assertEquals(8, alpn.split(",").length, "8 names of 30 and 7 commas fit in 256; a 9th would not");
        assertTrue(alpn.length() <= WireText.MAX_CHARS);
        assertEquals("a\\x2cb,c", client(clientHello().alpn("a,b", "c").body()).alpn(), "a comma inside a name is escaped");
    }

    @Test
    void serverHelloOfTls13TakesItsVersionFromSupportedVersionsAndHidesAlpn() {
        ServerHello h = server(serverHello().version(TlsBytes.TLS13).psk().body());
        assertEquals(TlsBytes.TLS13, h.version(), "legacy_version says 1.2; supported_versions decides");
        assertTrue(h.psk());
        assertEquals("", h.alpn());
        assertFalse(h.retry());
    }

    @Test
    void serverHelloOfTls12CarriesTheSelectedAlpnAndTheSessionId() {
        byte[] id = TlsBytes.hex("0102030405");
        ServerHello h = server(serverHello().sessionId(id).alpn("http/1.1").body());
        assertEquals(TlsBytes.TLS12, h.version());
        assertEquals("http/1.1", h.alpn());
        assertArrayEquals(id, h.sessionId());
    }

    @Test
    void helloRetryRequestIsToldByItsFixedRandom() {
        assertTrue(server(serverHello().retry().version(TlsBytes.TLS13).body()).retry());
    }

    @Test
    void everyTruncationOfAClientHelloIsMalformedExceptAtTheEndOfItsFixedPart() {
        byte[] whole = clientHello().sni("a.example").alpn("h2").versions(TlsBytes.TLS13).body();
        byte[] fixedPart = clientHello().withoutExtensions().body();
        for (int n = 0; n < whole.length; n++) {
            ClientHello h = Hellos.client(whole, 0, n);
            if (n == fixedPart.length) assertNotNull(h, "cut right after the compression methods: no extensions");
            else assertNull(h, "cut at " + n + " of " + whole.length);
        }
        assertNotNull(Hellos.client(whole, 0, whole.length));
    }

    @Test
    void everyTruncationOfAServerHelloIsMalformedExceptAtTheEndOfItsFixedPart() {
        byte[] whole = serverHello().version(TlsBytes.TLS13).alpn("h2").body();
        int fixed = 2 + 32 + 1 + 2 + 1;
        for (int n = 0; n < whole.length; n++) {
            if (n == fixed) assertNotNull(Hellos.server(whole, 0, n), "no extensions: a TLS 1.2 ServerHello may end there");
            else assertNull(Hellos.server(whole, 0, n), "cut at " + n);
        }
    }

    @Test
    void lengthsThatOverrunTheirEnclosingVectorMakeTheHelloMalformed() {
        // Trailing bytes after the extensions block.
        assertNull(client(TlsBytes.concat(clientHello().sni("x").body(), new byte[] {0})));
        // A session id over 32 bytes (RFC 8446 section 4.1.2: legacy_session_id<0..32>).
        assertNull(client(clientHello().sessionId(new byte[33]).body()));
        // An extension whose length runs past the block.
        assertNotNull(client(clientHello().sni("x").body()));
        assertNull(client(overrunLastExtension(clientHello().sni("x").body())));
        // A server_name list length that disagrees with the extension's.
        assertNull(client(clientHello().ext(0, new byte[] {0, 9, 0, 0, 1, 'x'}).body()));
        // A host_name length past the list.
        assertNull(client(clientHello().ext(0, new byte[] {0, 4, 0, 0, 9, 'x'}).body()));
        // An ALPN name of length 0 (ProtocolName<1..2^8-1>), and a name running past its list.
        assertNull(client(clientHello().ext(16, new byte[] {0, 2, 0, 'x'}).body()));
        assertNull(client(clientHello().ext(16, new byte[] {0, 2, 5, 'x'}).body()));
        // supported_versions of odd length.
        assertNull(client(clientHello().ext(43, new byte[] {3, 3, 4, 3}).body()));
        // A ServerHello's supported_versions with more than one version.
        assertNull(server(serverHello().ext(43, new byte[] {3, 4, 3, 3}).body()));
        // No cipher suite, no compression method.
        byte[] body = clientHello().withoutExtensions().sessionId(new byte[0]).body();
        byte[] noSuites = TlsBytes.concat(Arrays.copyOfRange(body, 0, 35), new byte[] {0, 0, 1, 0});
        assertNull(client(noSuites));
        byte[] noCompression = TlsBytes.concat(Arrays.copyOfRange(body, 0, 35), new byte[] {0, 2, 0x13, 0x01, 0});
        assertNull(client(noCompression));
    }

    /** The body with its last extension's length raised by one: it now runs past the extensions block. */
    private static byte[] overrunLastExtension(byte[] body) {
        byte[] b = body.clone();
        // server_name "x": extension type (2), length (2), data (6); its length field sits 8 bytes from the end.
        b[b.length - 7]++;
        return b;
    }
}
