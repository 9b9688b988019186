package dev.teardown.h2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** HTTP/2 frames built byte by byte (RFC 9113 section 4.1), for tests of the frame layer and the HTTP stage. */
public final class H2Bytes {
    private H2Bytes() {}

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PUSH_PROMISE = 5;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int PADDED = 0x8;
    public static final int PRIORITY = 0x20;

    /** The client connection preface. */
    public static byte[] preface() {
        return "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** One frame: a 9-byte header and {@code payload}. */
    public static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /**
     * A frame of {@code type} with PADDED set and a payload of {@code length} bytes: the Pad Length byte
     * {@code padLength} first, zeros after it (what else the frame holds is not read).
     */
    public static byte[] padded(int type, int flags, int stream, int padLength, int length) {
        byte[] p = new byte[length];
        p[0] = (byte) padLength;
        return frame(type, flags | PADDED, stream, p);
    }

    /** The payload of a SETTINGS frame with the given (id, value) pairs, 6 bytes each (RFC 9113 section 6.5.1). */
    public static byte[] settingsPayload(long... idValue) {
        byte[] f = settings(idValue);
        return java.util.Arrays.copyOfRange(f, 9, f.length);
    }

    /** A SETTINGS frame with the given (id, value) pairs. */
    public static byte[] settings(long... idValue) {
        byte[] p = new byte[idValue.length / 2 * 6];
        for (int i = 0; i + 1 < idValue.length; i += 2) {
            int o = i / 2 * 6;
            p[o] = (byte) (idValue[i] >>> 8);
            p[o + 1] = (byte) idValue[i];
            for (int k = 0; k < 4; k++) p[o + 2 + k] = (byte) (idValue[i + 1] >>> (24 - 8 * k));
        }
        return frame(SETTINGS, 0, 0, p);
    }

    public static byte[] settingsAck() {
        return frame(SETTINGS, ACK, 0, new byte[0]);
    }

    /** A HEADERS frame whose header block is {@code blockLength} bytes (not HPACK: nobody decodes it). */
    public static byte[] headers(int stream, int flags, int blockLength) {
        return frame(HEADERS, flags | END_HEADERS, stream, new byte[blockLength]);
    }

    public static byte[] data(int stream, int flags, int length) {
        return frame(DATA, flags, stream, new byte[length]);
    }

    public static byte[] goaway(int lastStream, int error, int debugLength) {
        byte[] p = new byte[8 + debugLength];
        for (int k = 0; k < 4; k++) {
            p[k] = (byte) (lastStream >>> (24 - 8 * k));
            p[4 + k] = (byte) (error >>> (24 - 8 * k));
        }
        return frame(GOAWAY, 0, 0, p);
    }

    public static byte[] rstStream(int stream, int error) {
        return frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, (byte) error});
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
