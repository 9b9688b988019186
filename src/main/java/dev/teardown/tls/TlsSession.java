package dev.teardown.tls;

import dev.teardown.capture.PacketTime;
import dev.teardown.stream.StreamSink;
import dev.teardown.teardown.Side;
import dev.teardown.teardown.Sides;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The TLS view of one connection, without keys: each direction's record layer ({@link RecordReader}), the two
 * cleartext hellos, the request/response turns of the application data, and the first closing alert.
 *
 * <p>Turns. A client application-data burst answered by a server application-data burst is one exchange; the
 * bursts are counted by record, so record and segment sizes do not matter. Not counted as data: handshake and
 * ChangeCipherSpec records, alerts, application-data records of at most {@link #SMALL_RECORD} bytes (too small
 * for an HTTP/1.x message or an HTTP/2 frame; a TLS 1.3 alert or KeyUpdate has that size), and in TLS 1.3 the
 * handshake that travels as application data: the server's records before the client's Finished, and the
 * client's first protected record (its Finished, RFC 8446 section 4.4.4). The server's NewSessionTickets then
 * answer nothing unless the client's request is already out, in which case they begin the response.
 *
 * <p>Memory: the two readers, the hellos' few fields, and a hello buffer of at most {@link RecordReader#MAX_HELLO}
 * bytes per direction while a hello is incomplete.
 */
public final class TlsSession implements RecordListener {
    /**
     * Application-data records this small carry no HTTP message: an HTTP/2 frame has a 9-byte header and TLS adds
     * 17 bytes in 1.3 (content type and a 16-byte tag) and 24 in 1.2 with AES-GCM; a TLS 1.3 alert takes 19.
     */
    public static final int SMALL_RECORD = 24;

    /** Whether the connection is still taken for TLS. */
    public enum Status { ACTIVE, NOT_TLS }

    private final RecordReader client = new RecordReader(Side.CLIENT, this);
    private final RecordReader server = new RecordReader(Side.SERVER, this);
    private Status status = Status.ACTIVE;
    /** A hello parsed, or two records framed on one side: from then on, bad bytes are anomalies, not "not TLS". */
    private boolean confirmed;
    private final int[] records = new int[2];
    private ClientHello clientHello;
    private ServerHello serverHello;
    private Set<TlsProblem> problems;

    private long exchanges;
    private boolean clientTurn;
    /** TLS 1.3: the client's first protected record (its Finished) has been seen. */
    private boolean clientFinished;
    private long lastDataNanos = PacketTime.UNSET;

    private Sides alertFrom = Sides.NONE;
    private String alertDescription = "";
    private long alertNanos = PacketTime.UNSET;
    /** Per side: its last record was a small application-data record, at this time (else UNSET). */
    private final long[] smallLast = {PacketTime.UNSET, PacketTime.UNSET};

    /**
     * Where {@code side}'s in-order bytes go: its record reader. Once the connection proved not to be TLS, or the
     * session was stopped, the readers take nothing more.
     */
    public StreamSink direction(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    /** Stops reading for good, dropping what a hello held. */
    public void stop() {
        client.stop();
        server.stop();
    }

    public Status status() {
        return status;
    }

    // --- what the readers report -----------------------------------------------------------------

    @Override
    public void onRecord(Side side, int type, int length, int alert, long t) {
        if (status != Status.ACTIVE) return;
        if (++records[side.ordinal()] >= 2) confirmed = true;
        smallLast[side.ordinal()] = PacketTime.UNSET;
        switch (type) {
            case RecordReader.CHANGE_CIPHER_SPEC, RecordReader.HANDSHAKE -> lastDataNanos = t;
            case RecordReader.ALERT -> alert(side, length, alert, t);
            case RecordReader.APPLICATION_DATA -> applicationData(side, length, t);
            default -> { } // heartbeat: not data, not activity
        }
    }

    private void alert(Side side, int length, int alert, long t) {
        if (alertFrom != Sides.NONE) return;
        alertFrom = Sides.of(side);
        // RFC 8446 section 5.1: an alert is never fragmented nor coalesced, so a clear one is exactly two bytes
        // (level, description); a protected one is longer by the cipher's nonce, MAC or tag.
        alertDescription = length == 2 && alert >= 0 ? Alerts.name(alert & 0xff) : "encrypted";
        alertNanos = t;
    }

    private void applicationData(Side side, int length, long t) {
        if (length <= SMALL_RECORD) {
            smallLast[side.ordinal()] = t;
            return;
        }
        lastDataNanos = t;
        if (version() == ProtocolVersions.TLS13 && !clientFinished) {
            // RFC 8446 section 2: after the ServerHello the handshake itself is protected. The server's records up
            // to the client's Finished are its EncryptedExtensions ... Finished; the client's first is its Finished.
            if (side == Side.CLIENT) clientFinished = true;
            return;
        }
        if (side == Side.CLIENT) {
            clientTurn = true;
        } else if (clientTurn) {
            exchanges++;
            clientTurn = false;
        }
    }

    @Override
    public boolean onHello(Side side, byte[] body, int length) {
        if (side == Side.CLIENT) {
            ClientHello h = Hellos.client(body, 0, length);
            if (h == null) {
                onProblem(side, TlsProblem.BAD_HELLO);
            } else if (clientHello == null) {
                clientHello = h;
                confirmed = true;
            }
            return false; // a second ClientHello (after a HelloRetryRequest) adds nothing kept here
        }
        ServerHello h = Hellos.server(body, 0, length);
        if (h == null) {
            onProblem(side, TlsProblem.BAD_HELLO);
            return false;
        }
        serverHello = h;
        confirmed = true;
        return h.retry();
    }

    @Override
    public void onProblem(Side side, TlsProblem problem) {
        if (!confirmed && (problem == TlsProblem.BAD_RECORD || problem == TlsProblem.BAD_HELLO)) {
            // The bytes that made the connection look like TLS were not: it is some other protocol.
            status = Status.NOT_TLS;
            stop();
            return;
        }
        if (problems == null) problems = EnumSet.noneOf(TlsProblem.class);
        problems.add(problem);
    }

    // --- the outcome -----------------------------------------------------------------------------

    /** The negotiated version from the last ServerHello read (a HelloRetryRequest's too), or -1. */
    private int version() {
        return serverHello == null ? -1 : serverHello.version();
    }

    /** What the connection said, as it stands; changes nothing. */
    public TlsOutcome outcome() {
        int v = version();
        Sides from = alertFrom;
        String description = alertDescription;
        if (v < 0 || v >= ProtocolVersions.TLS13) {
            // TLS 1.3 sends alerts as application data (RFC 8446 section 5.2): a side's last record of alert size
            // is taken for its closing alert, the earlier side's first.
            long at = alertNanos;
            for (Side side : Side.values()) {
                long small = smallLast[side.ordinal()];
                if (PacketTime.isSet(small) && (!PacketTime.isSet(at) || small < at)) {
                    at = small;
                    from = Sides.of(side);
                    description = "by-size";
                }
            }
        }
        return new TlsOutcome(v < 0 ? "" : ProtocolVersions.text(v),
            clientHello == null ? "" : ProtocolVersions.text(clientHello.highestOffered()),
            clientHello == null ? "" : clientHello.serverName(), clientHello == null ? "" : clientHello.alpn(),
            serverHello == null ? "" : serverHello.alpn(), resumed(v), from, description, exchanges, clientTurn,
            lastDataNanos, problems == null ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(problems)));
    }

    /**
     * TLS 1.3 resumes with a pre-shared key the ServerHello accepts (RFC 8446 section 2.2); earlier versions when
     * the ServerHello echoes the client's non-empty session id (RFC 5246 section 7.4.1.3, RFC 5077 section 3.4).
     */
    private Boolean resumed(int v) {
        if (serverHello == null || serverHello.retry()) return null;
        if (v >= ProtocolVersions.TLS13) return serverHello.psk();
        if (clientHello == null) return null;
        byte[] id = clientHello.sessionId();
        return id.length > 0 && Arrays.equals(id, serverHello.sessionId());
    }
}
