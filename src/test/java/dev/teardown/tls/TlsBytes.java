package dev.teardown.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS bytes built by hand for tests, field by field as RFC 8446 (sections 4.1.2, 4.1.3, 4.2 and 5.1), RFC 6066
 * (server_name) and RFC 7301 (ALPN) lay them out: records, handshake messages, and ClientHello and ServerHello
 * bodies with the extensions a test asks for.
 */
public final class TlsBytes {
    public static final int CCS = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int DATA = 23;
    public static final int TLS10 = 0x0301;
    public static final int TLS12 = 0x0303;
    public static final int TLS13 = 0x0304;
    /** RFC 8446 section 4.1.3: the random of a HelloRetryRequest. */
    static final byte[] RETRY_RANDOM = hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private TlsBytes() {}

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    public static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    /** One record: type, version, 16-bit length of {@code body}, body. */
    public static byte[] record(int type, int version, byte[] body) {
        return concat(new byte[] {(byte) type, (byte) (version >>> 8), (byte) version, (byte) (body.length >>> 8),
            (byte) body.length}, body);
    }

    /** A record of {@code length} body bytes of filler: encrypted application data as far as a reader can tell. */
    public static byte[] data(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) body[i] = (byte) (0x5a ^ i * 31);
        return record(DATA, TLS12, body);
    }

    /** A handshake message: type, 24-bit length, body. */
    public static byte[] handshake(int type, byte[] body) {
        return concat(new byte[] {(byte) type, (byte) (body.length >>> 16), (byte) (body.length >>> 8),
            (byte) body.length}, body);
    }

    /** A clear alert record (two bytes: level, description). */
    public static byte[] alert(int level, int description) {
        return record(ALERT, TLS12, new byte[] {(byte) level, (byte) description});
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    /** {@code body} behind a 16-bit length. */
    static byte[] vec16(byte[] body) {
        return concat(u16(body.length), body);
    }

    /** {@code body} behind an 8-bit length. */
    static byte[] vec8(byte[] body) {
        return concat(new byte[] {(byte) body.length}, body);
    }

    static byte[] extension(int type, byte[] data) {
        return concat(u16(type), vec16(data));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The server_name extension's data: one host_name entry. */
    static byte[] serverName(byte[] name) {
        return vec16(concat(new byte[] {0}, vec16(name)));
    }

    /** The ALPN extension's data: a ProtocolNameList. */
    static byte[] alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String p : protocols) list.writeBytes(vec8(ascii(p)));
        return vec16(list.toByteArray());
    }

    /** A ClientHello body, built field by field. */
    public static final class Client {
        int legacy = TLS12;
        byte[] sessionId = hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        final List<byte[]> extensions = new ArrayList<>();
        boolean noExtensions;

        public Client legacy(int v) {
            legacy = v;
            return this;
        }

        public Client sessionId(byte[] id) {
            sessionId = id;
            return this;
        }

        public Client sni(String name) {
            return ext(0, serverName(ascii(name)));
        }

        public Client alpn(String... protocols) {
            return ext(16, TlsBytes.alpn(protocols));
        }

        public Client versions(int... versions) {
            ByteArrayOutputStream list = new ByteArrayOutputStream();
            for (int v : versions) list.writeBytes(u16(v));
            return ext(43, vec8(list.toByteArray()));
        }

        public Client ticket(int length) {
            return ext(35, new byte[length]);
        }

        public Client psk() {
            return ext(41, vec16(new byte[] {0, 4, 1, 2, 3, 4, 0, 0, 0, 1}));
        }

        public Client ext(int type, byte[] data) {
            extensions.add(extension(type, data));
            return this;
        }

        public Client withoutExtensions() {
            noExtensions = true;
            return this;
        }

        public byte[] body() {
            byte[] head = concat(u16(legacy), new byte[32], vec8(sessionId), vec16(hex("130113021303c02f")),
                vec8(new byte[] {0}));
            return noExtensions ? head : concat(head, vec16(concat(extensions.toArray(new byte[0][]))));
        }

        /** The whole ClientHello in one handshake record (record version 0x0301, as clients write it). */
        public byte[] record() {
            return TlsBytes.record(HANDSHAKE, TLS10, handshake(1, body()));
        }
    }

    /** A ServerHello body, built field by field. */
    public static final class Server {
        int legacy = TLS12;
        byte[] random = new byte[32];
        byte[] sessionId = new byte[0];
        final List<byte[]> extensions = new ArrayList<>();

        public Server legacy(int v) {
            legacy = v;
            return this;
        }

        public Server sessionId(byte[] id) {
            sessionId = id;
            return this;
        }

        public Server retry() {
            random = RETRY_RANDOM;
            return this;
        }

        public Server version(int v) {
            return ext(43, u16(v));
        }

        public Server alpn(String protocol) {
            return ext(16, TlsBytes.alpn(protocol));
        }

        public Server psk() {
            return ext(41, u16(0));
        }

        public Server ext(int type, byte[] data) {
            extensions.add(extension(type, data));
            return this;
        }

        public byte[] body() {
            return concat(u16(legacy), random, vec8(sessionId), u16(0x1301), new byte[] {0},
                vec16(concat(extensions.toArray(new byte[0][]))));
        }

        /** The whole ServerHello in one handshake record. */
        public byte[] record() {
            return TlsBytes.record(HANDSHAKE, TLS12, handshake(2, body()));
        }
    }

    public static Client clientHello() {
        return new Client();
    }

    public static Server serverHello() {
        return new Server();
    }
}
