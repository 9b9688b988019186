package dev.teardown.tls;

import java.util.Arrays;

/**
 * Parses the bodies of the two cleartext hellos (RFC 8446 sections 4.1.2, 4.1.3 and 4.2; RFC 5246 section
 * 7.4.1), strictly: every length must fit inside the one that encloses it, and the extensions must end where
 * the message ends. A hello that breaks either rule is malformed as a whole ({@code null}): nothing from it is
 * kept, since a field beside a broken length may be anything.
 */
final class Hellos {
    static final int SERVER_NAME = 0;
    static final int ALPN = 16;
    static final int SESSION_TICKET = 35;
    static final int PRE_SHARED_KEY = 41;
    static final int SUPPORTED_VERSIONS = 43;
    /** RFC 8446 section 4.1.3: a HelloRetryRequest's random is SHA-256("HelloRetryRequest"). */
    private static final byte[] RETRY_RANDOM = {
        (byte) 0xcf, 0x21, (byte) 0xad, 0x74, (byte) 0xe5, (byte) 0x9a, 0x61, 0x11, (byte) 0xbe, 0x1d, (byte) 0x8c,
        0x02, 0x1e, 0x65, (byte) 0xb8, (byte) 0x91, (byte) 0xc2, (byte) 0xa2, 0x11, 0x16, 0x7a, (byte) 0xbb,
        (byte) 0x8c, 0x5e, 0x07, (byte) 0x9e, 0x09, (byte) 0xe2, (byte) 0xc8, (byte) 0xa8, 0x33, (byte) 0x9c};

    private Hellos() {}

    /** A bounds-checked reader over {@code b[from, end)}: a read past its end marks it bad and returns 0. */
    private static final class Cursor {
        final byte[] b;
        int p;
        final int end;
        boolean bad;

        Cursor(byte[] b, int from, int end) {
            this.b = b;
            this.p = from;
            this.end = end;
        }

        boolean has(int n) {
            if (n < 0 || end - p < n) bad = true;
            return !bad;
        }

        int u8() {
            return has(1) ? b[p++] & 0xff : 0;
        }

        int u16() {
            if (!has(2)) return 0;
            int v = (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
            p += 2;
            return v;
        }

        /** Skips {@code n} bytes, returning where they began. */
        int skip(int n) {
            int at = p;
            if (has(n)) p += n;
            return at;
        }
    }

    /** The ClientHello in {@code b[off, off + len)} (the message body, after its 4-byte header), or null if malformed. */
    static ClientHello client(byte[] b, int off, int len) {
        Cursor c = new Cursor(b, off, off + len);
        int legacy = c.u16();
        c.skip(32); // random
        byte[] sessionId = sessionId(c);
        int suites = c.u16();
        if (suites < 2) c.bad = true; // RFC 8446 section 4.1.2: cipher_suites<2..2^16-2>
        c.skip(suites);
        int compressions = c.u8();
        if (compressions < 1) c.bad = true; // legacy_compression_methods<1..2^8-1>
        c.skip(compressions);
        if (c.bad) return null;
        String sni = "";
        StringBuilder alpn = null;
        int highest = -1;
        boolean ticket = false;
        boolean psk = false;
        // TLS 1.2 and earlier may end here: extensions are optional before TLS 1.3 (RFC 5246 section 7.4.1.2).
        if (c.p < c.end) {
            Extensions ext = Extensions.of(c);
            if (ext == null) return null;
            while (ext.next()) {
                Cursor e = ext.body;
                switch (ext.type) {
                    case SERVER_NAME -> sni = serverName(e);
                    case ALPN -> alpn = protocols(e);
                    case SUPPORTED_VERSIONS -> highest = offeredVersions(e);
                    case SESSION_TICKET -> ticket = e.end > e.p;
                    case PRE_SHARED_KEY -> psk = true;
                    default -> { }
                }
                if (e.bad) return null;
            }
            if (ext.bad()) return null;
        }
        return new ClientHello(legacy, highest >= 0 ? highest : legacy, sni, alpn == null ? "" : alpn.toString(),
            sessionId, ticket, psk);
    }

    /**
     * The ServerHello (or HelloRetryRequest) in {@code b[off, off + len)}, the message body, or null if malformed.
     */
    static ServerHello server(byte[] b, int off, int len) {
        Cursor c = new Cursor(b, off, off + len);
        int version = c.u16();
        int random = c.skip(32);
        byte[] sessionId = sessionId(c);
        c.skip(2); // cipher_suite
        c.skip(1); // legacy_compression_method
        if (c.bad) return null;
        boolean retry = Arrays.equals(b, random, random + 32, RETRY_RANDOM, 0, RETRY_RANDOM.length);
        String alpn = "";
        boolean psk = false;
        if (c.p < c.end) {
            Extensions ext = Extensions.of(c);
            if (ext == null) return null;
            while (ext.next()) {
                Cursor e = ext.body;
                switch (ext.type) {
                    case SUPPORTED_VERSIONS -> {
                        // RFC 8446 section 4.2.1: in a ServerHello, the one selected version.
                        version = e.u16();
                        if (e.p != e.end) e.bad = true;
                    }
                    case ALPN -> {
                        StringBuilder one = protocols(e);
                        alpn = one == null ? "" : one.toString();
                    }
                    case PRE_SHARED_KEY -> psk = true;
                    default -> { }
                }
                if (e.bad) return null;
            }
            if (ext.bad()) return null;
        }
        return new ServerHello(version, retry, alpn, sessionId, psk);
    }

    private static byte[] sessionId(Cursor c) {
        int n = c.u8();
        if (n > 32) c.bad = true; // opaque legacy_session_id<0..32>
        int at = c.skip(n);
        return c.bad ? null : Arrays.copyOfRange(c.b, at, at + n);
    }

    /** A hello's extensions block, walked one extension at a time (RFC 8446 section 4.2), for both hellos. */
    private static final class Extensions {
        private final Cursor block;
        int type;
        Cursor body;

        private Extensions(Cursor block) {
            this.block = block;
        }

        /** The block, which must end exactly where the message ends; null when it does not. */
        static Extensions of(Cursor c) {
            int n = c.u16();
            int at = c.skip(n);
            if (c.bad || c.p != c.end) return null;
            return new Extensions(new Cursor(c.b, at, at + n));
        }

        /** Moves to the next extension ({@link #type}, {@link #body}); false at the end or on an overrun. */
        boolean next() {
            if (block.p >= block.end) return false;
            type = block.u16();
            int n = block.u16();
            int at = block.skip(n);
            if (block.bad) return false;
            body = new Cursor(block.b, at, at + n);
            return true;
        }

        boolean bad() {
            return block.bad;
        }
    }

    /** RFC 6066 section 3: a ServerNameList; the first host_name (type 0), escaped. */
    private static String serverName(Cursor e) {
        int list = e.u16();
        if (e.bad || list != e.end - e.p) {
            e.bad = true;
            return "";
        }
        String found = null;
        while (e.p < e.end && !e.bad) {
            int type = e.u8();
            int n = e.u16();
            int at = e.skip(n);
            if (e.bad) break;
            if (type == 0 && found == null) {
                StringBuilder s = new StringBuilder(Math.min(n, WireText.MAX_CHARS));
                WireText.append(s, e.b, at, at + n); // a longer name is cut: no DNS name has over 253 characters
                found = s.toString();
            }
        }
        return found == null ? "" : found;
    }

    /**
     * RFC 7301 section 3.1: a ProtocolNameList of non-empty names, escaped and joined by {@code ,}; a name that
     * would take the text past {@link WireText#MAX_CHARS} ends it.
     */
    private static StringBuilder protocols(Cursor e) {
        int list = e.u16();
        if (e.bad || list != e.end - e.p || list < 2) {
            e.bad = true;
            return null;
        }
        StringBuilder s = new StringBuilder();
        boolean room = true;
        while (e.p < e.end && !e.bad) {
            int n = e.u8();
            if (n == 0) e.bad = true; // ProtocolName<1..2^8-1>
            int at = e.skip(n);
            if (e.bad || !room) continue;
            int mark = s.length();
            if (mark > 0) s.append(',');
            room = WireText.append(s, e.b, at, at + n);
            if (!room) s.setLength(mark);
        }
        return s;
    }

    /** RFC 8446 section 4.2.1: a ClientHello's versions list; the highest that is not GREASE, or -1 if none. */
    private static int offeredVersions(Cursor e) {
        int n = e.u8();
        if (e.bad || n != e.end - e.p || n < 2 || n % 2 != 0) {
            e.bad = true;
            return -1;
        }
        int highest = -1;
        while (e.p < e.end) {
            int v = e.u16();
            if (!ProtocolVersions.grease(v) && v > highest) highest = v;
        }
        return highest;
    }
}
