package dev.teardown.tls;

import dev.teardown.stream.LengthFramedReader;
import dev.teardown.teardown.Side;

/**
 * One direction's TLS record layer (RFC 8446 section 5.1, RFC 5246 section 6.2.1), framed incrementally from the
 * direction's in-order byte stream: 5-byte headers (content type, legacy version, 16-bit length), bodies skipped
 * by length without copying, records spanning segments and segments holding many records alike.
 *
 * <p>Of the bodies only three things are read: the side's first handshake message when it is its hello (the
 * ClientHello from the client, the ServerHello from the server; after a HelloRetryRequest the next one too),
 * copied into a buffer of its length while it arrives and dropped once parsed, at most {@link #MAX_HELLO} bytes;
 * and the first two bytes of an alert. Messages after the hello are not followed: from there on they may be
 * encrypted. Memory: a few fields, plus the hello's buffer while it is incomplete.
 *
 * <p>The framing and its resynchronisation are {@link LengthFramedReader}'s: a header that no TLS sender writes
 * ({@link #validHeader}) and a hole in the capture outside a record body make the direction wait for a delivered
 * chunk that starts with a plausible header, of the version its records had so far ({@link #plausibleAt}); a hole
 * inside a body of known length keeps the framing (the hello it was part of is lost). Bytes a direction sends while
 * lost are not records: they are not reported.
 */
final class RecordReader extends LengthFramedReader {
    /** Record header: ContentType, ProtocolVersion, uint16 length. */
    static final int HEADER = 5;
    /** RFC 5246 section 6.2.3: a record's length never exceeds 2^14 + 2048 (TLS 1.3's limit is lower, 2^14 + 256). */
    static final int MAX_RECORD = 16384 + 2048;
    /** The largest hello kept for parsing: one record's worth of plaintext (2^14), far above any real one. */
    static final int MAX_HELLO = 16384;
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;

    private final Side side;
    private final RecordListener listener;
    private int type;
    private int length;
    /** The version of the last valid record header, -1 before the first: a resynchronisation must match it. */
    private int recordVersion = -1;
    private int alert;
    private int alertBytes;

    /** Whether this direction's hello is still to come, and where its reading stands. */
    private boolean helloWanted = true;
    private int messageHeader;
    private int messageHeaderBytes;
    private byte[] hello;
    private int helloBytes;

    RecordReader(Side side, RecordListener listener) {
        super(HEADER, false);
        this.side = side;
        this.listener = listener;
    }

    /** Stops for good, dropping what a hello held. */
    @Override
    public void stop() {
        super.stop();
        hello = null;
    }

    @Override
    protected int header(byte[] h, int at) {
        type = h[at] & 0xff;
        int version = (h[at + 1] & 0xff) << 8 | (h[at + 2] & 0xff);
        length = (h[at + 3] & 0xff) << 8 | (h[at + 4] & 0xff);
        if (!validHeader(type, version, length)) return -1;
        if (recordVersion < 0 && type != HANDSHAKE) {
            // The first record is no handshake (a server's plain alert refusing the ClientHello): no hello to come.
            helloWanted = false;
        }
        recordVersion = version;
        alert = 0;
        alertBytes = 0;
        return length;
    }

    @Override
    protected void recordEnd(long t) {
        listener.onRecord(side, type, length, type == ALERT && alertBytes == 2 ? alert : -1, t);
    }

    @Override
    protected void body(byte[] b, int p, int n) {
        if (type == ALERT) {
            for (int i = p; i < p + n && alertBytes >= 0 && alertBytes < 2; i++) {
                alert = alert << 8 | (b[i] & 0xff);
                alertBytes++;
            }
        } else if (type == HANDSHAKE && helloWanted) {
            handshake(b, p, n);
        }
    }

    @Override
    protected void bodyLost() {
        if (type == HANDSHAKE) dropHello();
        if (type == ALERT && alertBytes < 2) alertBytes = -1; // its first bytes are lost: no description
    }

    @Override
    protected void trouble(Trouble trouble) {
        listener.onProblem(side, switch (trouble) {
            case GAP -> TlsProblem.STREAM_GAP;
            case BAD_HEADER -> TlsProblem.BAD_RECORD;
        });
    }

    /** Lost: no hello is looked for any more. */
    @Override
    protected void lost() {
        dropHello();
    }

    /** Handshake-layer bytes (RFC 8446 section 4: uint8 msg_type, uint24 length, body), while the hello is wanted. */
    private void handshake(byte[] b, int p, int n) {
        int end = p + n;
        while (p < end && helloWanted) {
            if (hello == null) {
                messageHeader = messageHeader << 8 | (b[p++] & 0xff);
                if (++messageHeaderBytes < 4) continue;
                int msgType = messageHeader >>> 24;
                int msgLength = messageHeader & 0xffffff;
                messageHeaderBytes = 0;
                messageHeader = 0;
                if (msgType != (side == Side.CLIENT ? CLIENT_HELLO : SERVER_HELLO)) {
                    helloWanted = false;
                    listener.onProblem(side, TlsProblem.BAD_HELLO);
                    return;
                }
                if (msgLength > MAX_HELLO) {
                    helloWanted = false;
                    listener.onProblem(side, TlsProblem.HELLO_TOO_LARGE);
                    return;
                }
                hello = new byte[msgLength];
                helloBytes = 0;
            }
            int take = Math.min(end - p, hello.length - helloBytes);
            System.arraycopy(b, p, hello, helloBytes, take);
            helloBytes += take;
            p += take;
            if (helloBytes == hello.length) {
                byte[] whole = hello;
                hello = null;
                helloWanted = listener.onHello(side, whole, whole.length);
            }
        }
    }

    private void dropHello() {
        if (!helloWanted) return;
        helloWanted = false;
        hello = null;
    }

    /**
     * A header some TLS sender could have written: content type 20-24, version 3.x with x at most 4 (SSL 3.0 to
     * TLS 1.3; TLS 1.3 writes 0x0303, RFC 8446 section 5.1), a length of at most {@link #MAX_RECORD}, and a body
     * for the types that must have one (RFC 8446 section 5.1, RFC 5246 section 6.2.1: no zero-length handshake,
     * alert or ChangeCipherSpec fragments; zero-length application data is allowed).
     */
    static boolean validHeader(int type, int version, int length) {
        if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) return false;
        if (version >>> 8 != 3 || (version & 0xff) > 4) return false;
        if (length > MAX_RECORD) return false;
        return length > 0 || type == APPLICATION_DATA;
    }

    /** Whether a lost direction may resume at the header at {@code b[at, at + 5)}: valid, and of the version so far. */
    @Override
    protected boolean plausibleAt(byte[] b, int at) {
        int t = b[at] & 0xff;
        int version = (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
        int len = (b[at + 3] & 0xff) << 8 | (b[at + 4] & 0xff);
        return validHeader(t, version, len) && (recordVersion < 0 || version == recordVersion);
    }
}
