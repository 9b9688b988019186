package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import dev.teardown.decode.Seq;
import dev.teardown.decode.TcpSegment;
import dev.teardown.decode.Tunnel;
import dev.teardown.flow.FlowEntry;
import dev.teardown.flow.FlowKey;
import java.util.EnumSet;
import java.util.Set;

/**
 * One lifetime of a TCP 4-tuple: from its SYN (or first packet) to its end, with both sides' state, and the
 * typed state {@code S} the stages after the tracker keep for it (Zeek's analyzers attached to a connection).
 *
 * <p>Every segment is applied by {@link #onSegment}, which works out the events for the sender and the
 * receiver and moves each with {@link TcpState#next}; labels (close type, TIME-WAIT holder, Zeek's
 * conn_state) are computed from the two sides when asked, never stored.
 */
public final class Connection<S> extends FlowEntry implements ConnectionView {
    private final long id;
    private final int ipVersion;
    private final long clientHi;
    private final long clientLo;
    private final int clientPort;
    private final long serverHi;
    private final long serverLo;
    private final int serverPort;
    /** The encapsulation chain of the first packet ({@link dev.teardown.decode.Tunnel#describe}), empty for none. */
    private final String tunnel;
    private final Endpoint client = new Endpoint(Side.CLIENT);
    private final Endpoint server = new Endpoint(Side.SERVER);
    private final History history = new History();
    private final long firstNanos;
    private long lastNanos;
    private boolean handshakeAcked;
    private Set<Anomaly> anomalies;

    private boolean tupleReuse;
    private long reuseGapNanos = PacketTime.UNSET;
    /** The tuple's previous lifetime while it waits to learn whether our SYN ended its TIME-WAIT. */
    private Connection<S> predecessor;
    private boolean predecessorResolved;

    private boolean emitted;
    private long writtenOutNanos = PacketTime.UNSET;
    /** Whether the tracker has counted this connection's close (once, when it starts closing). */
    boolean closeCounted;
    /** The later stages' state for this connection, whose type teardown does not need to know. */
    private final S stage;

    /**
     * Starts a connection at its first segment {@code first}; {@code clientIsSource} says whether that
     * segment's sender is the client, and {@code stage} is the later stages' fresh state for it.
     */
    public Connection(long id, FlowKey key, TcpSegment first, boolean clientIsSource, S stage) {
        super(key);
        this.id = id;
        this.stage = stage;
        this.ipVersion = first.ipVersion;
        if (clientIsSource) {
            clientHi = first.srcHi; clientLo = first.srcLo; clientPort = first.srcPort;
            serverHi = first.dstHi; serverLo = first.dstLo; serverPort = first.dstPort;
        } else {
            clientHi = first.dstHi; clientLo = first.dstLo; clientPort = first.dstPort;
            serverHi = first.srcHi; serverLo = first.srcLo; serverPort = first.srcPort;
            history.flipped();
        }
        firstNanos = first.timeNanos;
        lastNanos = first.timeNanos;
        tunnel = Tunnel.describe(first);
    }

    /** Which side sent {@code seg}. */
    public Side senderOf(TcpSegment seg) {
        return seg.srcPort == clientPort && seg.srcLo == clientLo && seg.srcHi == clientHi
            ? Side.CLIENT : Side.SERVER;
    }

    public Endpoint endpoint(Side side) {
        return side == Side.CLIENT ? client : server;
    }

    /** Applies one segment of this connection. */
    public void onSegment(TcpSegment seg) {
        Side from = senderOf(seg);
        if (seg.badChecksum) {
            // The receiver drops it (RFC 9293 section 3.1, checksum): Zeek records c and goes no further.
            history.badChecksum(from);
            return;
        }
        Endpoint s = endpoint(from);
        Endpoint r = endpoint(from.other());
        long t = seg.timeNanos;
        if (t > lastNanos) lastNanos = t;
        s.packets++;
        s.bytes += seg.payloadLength;
        // Before any event: a FIN that starts the peer's TIME_WAIT counts with its own TSval (Linux stores
        // ts_recent before it changes state).
        if (seg.hasTimestamp) s.noteTimestamp(seg.tsVal, t);

        int dataEnd = seg.seq + seg.payloadLength + (seg.has(TcpSegment.SYN) ? 1 : 0);
        boolean retransmission = seg.payloadLength > 0 && s.seqKnown && Seq.le(dataEnd, s.seqEnd);
        history.record(from, seg, retransmission, s, r);
        if (seg.payloadLength > 0 && (s.state == TcpState.RESET || r.state == TcpState.RESET)) {
            flag(Anomaly.DATA_AFTER_RESET);
        }

        if (seg.has(TcpSegment.RST)) {
            onReset(s, r, t);
            return;
        }
        if (seg.has(TcpSegment.SYN)) {
            onSyn(seg, s, r, t);
        } else if (s.state == TcpState.NONE && r.state == TcpState.NONE) {
            // No handshake seen: the capture began mid-stream.
            s.apply(TcpEvent.MIDSTREAM, t);
            r.apply(TcpEvent.MIDSTREAM, t);
        }
        boolean ackedPeerFinNow = seg.has(TcpSegment.ACK) && onAck(seg, s, r, t);
        if (seg.payloadLength > 0 && !retransmission) onNewData(seg, s, r);
        if (seg.has(TcpSegment.FIN)) onFin(seg, s, r, t, ackedPeerFinNow);
        if (!s.seqKnown || Seq.gt(dataEnd, s.seqEnd)) {
            s.seqEnd = dataEnd;
            s.seqKnown = true;
        }
        // After the state moved, as Zeek does, so a gap revealed by the ACK in a FIN still counts. Zeek records gaps
        // only while both SYNs are seen and no RST: elsewhere they are unreliable (a partial connection's unseen
        // start, the sequence numbers of a RST).
        int holes = seg.has(TcpSegment.ACK) && r.synSeen ? r.acknowledged(seg.ack) : 0;
        if (holes > 0 && client.synSeen && server.synSeen && !client.rstSeen && !server.rstSeen) {
            history.gaps(r.side, holes);
        }
        if (seg.payloadLength > 0 && s.synSeen) {
            int first = seg.seq + (seg.has(TcpSegment.SYN) ? 1 : 0);
            s.bytesSeen(first, first + seg.payloadLength);
        }
    }

    private void onSyn(TcpSegment seg, Endpoint s, Endpoint r, long t) {
        if (seg.has(TcpSegment.FIN)) flag(Anomaly.SYN_FIN);
        if (seg.payloadLength > 0) flag(Anomaly.SYN_WITH_DATA);
        if (!s.synSeen) {
            s.synSeen = true;
            s.isn = seg.seq;
            s.startBytes(seg.seq);
        }
        if (seg.has(TcpSegment.ACK)) {
            s.apply(TcpEvent.SEND_SYN_ACK, t);
            r.apply(TcpEvent.RECV_SYN_ACK, t);
            resolvePredecessorAccepted();
        } else {
            s.apply(TcpEvent.SEND_SYN, t);
        }
    }

    /** Applies the ACK field; returns whether it acknowledged the receiver's FIN for the first time. */
    private boolean onAck(TcpSegment seg, Endpoint s, Endpoint r, long t) {
        int ack = seg.ack;
        if (!seg.has(TcpSegment.SYN) && r.state == TcpState.SYN_RECEIVED && r.synSeen && ack == r.isn + 1) {
            r.apply(TcpEvent.RECV_ACK_OF_SYN, t);
            handshakeAcked = true;
        }
        if (s.state == TcpState.NONE && r.state == TcpState.SYN_SENT && !seg.has(TcpSegment.SYN)) {
            // A bare ACK answering a SYN: the 4-tuple is still in TIME-WAIT on this side, which refused
            // the new SYN (FACTS: Linux tcp_timewait_state_process).
            flag(Anomaly.SYN_TO_TIME_WAIT_REJECTED);
        }
        if (r.finAckedBy(ack)) {
            if (!s.ackedPeerFin) s.ackedPeerFin(t);
            if (!r.finAcked) {
                r.finAcked = true;
                r.apply(TcpEvent.RECV_ACK_OF_FIN, t);
                return true;
            }
        }
        return false;
    }

    private void onNewData(TcpSegment seg, Endpoint s, Endpoint r) {
        if (s.finSeen) flag(Anomaly.DATA_AFTER_FIN);
        else if (r.finSeen) s.dataAfterPeerFin = true;
    }

    /** Applies a FIN; {@code ackedPeerFinNow}: the same segment acknowledged the receiver's FIN first. */
    private void onFin(TcpSegment seg, Endpoint s, Endpoint r, long t, boolean ackedPeerFinNow) {
        int finSeq = seg.seq + seg.payloadLength + (seg.has(TcpSegment.SYN) ? 1 : 0);
        if (!s.finSeen) {
            s.finSeen = true;
            s.finSeq = finSeq;
            s.finNanos = t;
            s.finCarriedAck = seg.has(TcpSegment.ACK);
            s.finAck = seg.ack;
            // RFC 9293 section 3.6: did we already hold the peer's FIN when we sent ours?
            TcpEvent event = !r.finSeen ? TcpEvent.SEND_FIN
                : s.finCarriedAck && r.finAckedBy(seg.ack) ? TcpEvent.SEND_FIN_AFTER_PEER
                : TcpEvent.SEND_FIN_CROSSED;
            s.apply(event, t);
        } else if (s.finSeq == finSeq) {
            flag(Anomaly.FIN_RETRANSMITTED);
        } else {
            flag(Anomaly.FIN_CHANGED_SEQ);
            return;
        }
        r.peerFinArrived(t);
        r.apply(TcpEvent.RECV_FIN, t);
        if (ackedPeerFinNow) r.skippedFinWait2();
    }

    private void onReset(Endpoint s, Endpoint r, long t) {
        if (s.state == TcpState.SYN_SENT && r.state == TcpState.NONE && r.packets > 0) {
            // RFC 9293 section 3.10.7.3: the SYN sender answers the TIME-WAIT socket's ACK with a RST and
            // keeps trying. That RST reaches the old lifetime and ends its TIME-WAIT (tcp_rfc1337=0).
            resolvePredecessorReset(t);
            return;
        }
        if (!s.rstSeen) {
            s.rstSeen = true;
            s.rstNanos = t;
        }
        s.apply(TcpEvent.SEND_RST, t);
        if (r.apply(TcpEvent.RECV_RST, t) == TcpState.TIME_WAIT) {
            r.timeWaitCutNanos = t;
            flag(Anomaly.RST_IN_TIME_WAIT);
        }
    }

    /** Marks this connection as a new lifetime of the tuple {@code previous} held, at packet time {@code t}. */
    void follow(Connection<S> previous, long t, long timeWaitNanos) {
        reuseGapNanos = t - previous.closeNanos();
        for (Side side : Side.BOTH) {
            Endpoint e = previous.endpoint(side);
            if (PacketTime.isSet(e.timeWaitStartNanos) && t < e.timeWaitEndNanos(timeWaitNanos)) tupleReuse = true;
        }
        if (tupleReuse) predecessor = previous;
    }

    /** The server answered our SYN with a SYN-ACK: the old lifetime's TIME-WAIT ended at our SYN. */
    private void resolvePredecessorAccepted() {
        if (predecessor == null || predecessorResolved) return;
        predecessor.cutTimeWait(firstNanos);
        predecessorResolved = true;
    }

    private void resolvePredecessorReset(long t) {
        if (predecessor == null || predecessorResolved) return;
        predecessor.cutTimeWait(t);
        predecessor.flag(Anomaly.RST_IN_TIME_WAIT);
        predecessorResolved = true;
    }

    private void cutTimeWait(long t) {
        for (Side side : Side.BOTH) {
            Endpoint e = endpoint(side);
            if (PacketTime.isSet(e.timeWaitStartNanos) && (!PacketTime.isSet(e.timeWaitCutNanos) || t < e.timeWaitCutNanos)) {
                e.timeWaitCutNanos = t;
            }
        }
    }

    /**
     * Hands over the predecessor (once) so it can be written before this connection: when its TIME-WAIT
     * question is settled, or unconditionally when {@code force}.
     */
    Connection<S> takePredecessor(boolean force) {
        if (predecessor == null || !(force || predecessorResolved)) return null;
        Connection<S> p = predecessor;
        predecessor = null;
        return p;
    }


    void flag(Anomaly a) {
        if (anomalies == null) anomalies = EnumSet.noneOf(Anomaly.class);
        anomalies.add(a);
    }

    /** When the close happened: the latest FIN or RST, or the last packet if there was neither. */
    long closeNanos() {
        long c = PacketTime.UNSET; // the smallest long, so any set time wins the max
        for (Side side : Side.BOTH) {
            Endpoint e = endpoint(side);
            c = Math.max(c, Math.max(e.finNanos, e.rstNanos));
        }
        return PacketTime.isSet(c) ? c : lastNanos;
    }

    /** True when a RST aborted the connection (not merely ended a TIME-WAIT). */
    @Override
    public boolean wasReset() {
        return client.state == TcpState.RESET || server.state == TcpState.RESET;
    }

    /** True when both sides are done: aborted, or both FINs sent and acknowledged. */
    public boolean isFinished() {
        return wasReset() || (client.state.isFinal() && server.state.isFinal());
    }

    boolean bothFinsSeen() {
        return client.finSeen && server.finSeen;
    }

    boolean handshakeAcked() {
        return handshakeAcked;
    }

    History history() {
        return history;
    }

    /** Marks this connection handed on at packet time {@code now}; false if it already was. */
    boolean markEmitted(long now) {
        if (emitted) return false;
        emitted = true;
        writtenOutNanos = now;
        return true;
    }

    /**
     * Closing: only TIME_WAIT (or lingering after a RST) is left, so the table keeps it that long (in its closing
     * expiry list, which expires before the open one).
     */
    @Override
    public boolean closing() {
        return isFinished() || bothFinsSeen();
    }

    /** The later stages' state for this connection. */
    public S stage() { return stage; }

    /** When the close began: the first FIN or RST of either side, or {@link PacketTime#UNSET} if there was none. */
    @Override
    public long firstCloseNanos() {
        long first = PacketTime.UNSET;
        for (Side side : Side.BOTH) {
            Endpoint e = endpoint(side);
            first = PacketTime.earlier(first, PacketTime.earlier(e.finNanos, e.rstNanos));
        }
        return first;
    }

    // --- read-only view for reports and the TIME_WAIT stage -------------------------------------

    @Override
    public Sides initiator() { return Teardown.initiator(client, server); }

    @Override
    public long packets(Side side) { return endpoint(side).packets; }

    @Override
    public long timeWaitStartNanos(Side side) { return endpoint(side).timeWaitStartNanos; }

    @Override
    public long timeWaitEndNanos(Side side, long timeWaitNanos) { return endpoint(side).timeWaitEndNanos(timeWaitNanos); }

    @Override
    public int tsRecent(Side side) { return endpoint(side).tsRecent; }

    @Override
    public long tsRecentNanos(Side side) { return endpoint(side).tsRecentNanos; }

    @Override
    public long id() { return id; }

    @Override
    public int ipVersion() { return ipVersion; }

    /** The encapsulation chain the connection's first packet came through ({@code vxlan:42}), empty for none. */
    public String tunnel() { return tunnel; }

    @Override
    public long clientHi() { return clientHi; }

    @Override
    public long clientLo() { return clientLo; }

    @Override
    public int clientPort() { return clientPort; }

    @Override
    public long serverHi() { return serverHi; }

    @Override
    public long serverLo() { return serverLo; }

    @Override
    public int serverPort() { return serverPort; }

    @Override
    public long firstNanos() { return firstNanos; }

    @Override
    public long lastNanos() { return lastNanos; }

    /**
     * The packet time when the tracker handed this connection on (its TIME-WAIT over, idle too long, a full table,
     * the tuple's next lifetime, or the end of the input: then the latest packet time of the input), or its last
     * packet's time while it is still held: how far the tap's view of it reaches.
     */
    public long observedUntilNanos() {
        return PacketTime.isSet(writtenOutNanos) ? writtenOutNanos : lastNanos;
    }

    public boolean tupleReuse() { return tupleReuse; }

    /** Time from the tuple's previous close to this connection's first packet, or {@link PacketTime#UNSET} if none was known. */
    public long reuseGapNanos() { return reuseGapNanos; }

    /** Connection-level anomalies, in declaration order. */
    public Set<Anomaly> anomalies() {
        return anomalies == null ? Set.of() : anomalies;
    }

    /** Zeek's history string. */
    public String historyText() {
        return history.toString();
    }
}
