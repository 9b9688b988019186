package dev.teardown.report;

import dev.teardown.decode.Anomaly;
import dev.teardown.h2.H2Outcome;
import dev.teardown.h2.H2Problem;
import dev.teardown.http.CloseReason;
import dev.teardown.http.HttpAnomaly;
import dev.teardown.http.HttpOutcome;
import dev.teardown.teardown.CloseType;
import dev.teardown.teardown.HalfClosed;
import dev.teardown.teardown.Handshake;
import dev.teardown.teardown.Sides;
import dev.teardown.teardown.Teardown;
import dev.teardown.tls.TlsOutcome;
import dev.teardown.tls.TlsProblem;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A {@link FlowRecord} as bytes and back, field by field, for a record built in one process and counted in another
 * (a sharded run's shards build records, its merge feeds the summary and the TIME_WAIT stage): what is read back
 * equals what was written. Enums go by ordinal, sets of them as a count and ordinals, text as modified UTF-8 with a
 * null marker; both ends run the same build, so there is no version field.
 */
public final class RecordCodec {
    private static final Handshake[] HANDSHAKES = Handshake.values();
    private static final Sides[] SIDES = Sides.values();
    private static final CloseType[] CLOSE_TYPES = CloseType.values();
    private static final CloseReason[] CLOSE_REASONS = CloseReason.values();
    private static final HalfClosed.End[] ENDS = HalfClosed.End.values();

    private RecordCodec() {}

    /** Writes {@code r} to {@code out}. */
    public static void write(DataOutput out, FlowRecord r) throws IOException {
        out.writeLong(r.flowId());
        out.writeLong(r.firstNanos());
        out.writeLong(r.lastNanos());
        FlowRecord.Endpoints e = r.endpoints();
        out.writeByte(e.ipVersion());
        text(out, e.clientIp());
        out.writeShort(e.clientPort());
        text(out, e.serverIp());
        out.writeShort(e.serverPort());
        out.writeByte(r.handshake().ordinal());
        FlowRecord.Traffic t = r.traffic();
        out.writeLong(t.packetsC2s());
        out.writeLong(t.packetsS2c());
        out.writeLong(t.bytesC2s());
        out.writeLong(t.bytesS2c());
        text(out, r.connState());
        text(out, r.history());
        Teardown d = r.teardown();
        out.writeByte(d.initiator().ordinal());
        out.writeByte(d.type().ordinal());
        out.writeByte(d.timeWaitSide().ordinal());
        out.writeLong(d.timeWaitStartNanos());
        out.writeLong(d.timeWaitEndNanos());
        out.writeBoolean(r.tupleReuse());
        out.writeLong(r.reuseGapNanos());
        enums(out, r.anomalies());
        http(out, r.http());
        HalfClosed h = r.halfClosed();
        out.writeLong(h.finWait2StartNanos());
        out.writeLong(h.closeWaitStartNanos());
        out.writeLong(h.endNanos());
        out.writeByte(h.end().ordinal());
        text(out, r.file());
        text(out, r.tunnel());
    }

    /** Reads a record {@link #write} wrote. */
    public static FlowRecord read(DataInput in) throws IOException {
        long flowId = in.readLong();
        long first = in.readLong();
        long last = in.readLong();
        FlowRecord.Endpoints endpoints = new FlowRecord.Endpoints(in.readByte(), text(in), in.readUnsignedShort(),
            text(in), in.readUnsignedShort());
        Handshake handshake = HANDSHAKES[in.readByte()];
        FlowRecord.Traffic traffic = new FlowRecord.Traffic(in.readLong(), in.readLong(), in.readLong(), in.readLong());
        String connState = text(in);
        String history = text(in);
        Teardown teardown = new Teardown(SIDES[in.readByte()], CLOSE_TYPES[in.readByte()], SIDES[in.readByte()],
            in.readLong(), in.readLong());
        boolean tupleReuse = in.readBoolean();
        long reuseGap = in.readLong();
        Set<Anomaly> anomalies = enums(in, Anomaly.class);
        HttpOutcome http = http(in);
        HalfClosed halfClosed = new HalfClosed(in.readLong(), in.readLong(), in.readLong(), ENDS[in.readByte()]);
        return new FlowRecord(flowId, first, last, endpoints, handshake, traffic, connState, history, teardown,
            tupleReuse, reuseGap, anomalies, http, halfClosed, text(in), text(in));
    }

    private static void http(DataOutput out, HttpOutcome h) throws IOException {
        out.writeLong(h.requests());
        out.writeLong(h.responses());
        text(out, h.version());
        text(out, h.requestConnection());
        text(out, h.responseConnection());
        text(out, h.keepAlive());
        bool(out, h.persistentExpected());
        out.writeLong(h.idleBeforeCloseNanos());
        out.writeByte(h.closeReason().ordinal());
        out.writeInt(h.keepAliveTimeoutSeconds());
        out.writeInt(h.keepAliveMax());
        out.writeLong(h.lastMessageEndNanos());
        out.writeInt(h.lastStatus());
        out.writeLong(h.interimResponses());
        enums(out, h.anomalies());
        h2(out, h.h2());
        TlsOutcome t = h.tls();
        out.writeBoolean(t != null);
        if (t == null) return;
        text(out, t.version());
        text(out, t.offered());
        text(out, t.serverName());
        text(out, t.alpn());
        text(out, t.alpnSelected());
        bool(out, t.resumed());
        out.writeByte(t.alertFrom().ordinal());
        text(out, t.alertDescription());
        out.writeLong(t.exchanges());
        out.writeBoolean(t.clientTurnOpen());
        out.writeLong(t.lastDataNanos());
        enums(out, t.problems());
    }

    private static HttpOutcome http(DataInput in) throws IOException {
        long requests = in.readLong();
        long responses = in.readLong();
        String version = text(in);
        String requestConnection = text(in);
        String responseConnection = text(in);
        String keepAlive = text(in);
        Boolean persistent = bool(in);
        long idle = in.readLong();
        CloseReason reason = CLOSE_REASONS[in.readByte()];
        int keepAliveTimeout = in.readInt();
        int keepAliveMax = in.readInt();
        long lastMessageEnd = in.readLong();
        int lastStatus = in.readInt();
        long interim = in.readLong();
        Set<HttpAnomaly> anomalies = enums(in, HttpAnomaly.class);
        H2Outcome h2 = h2(in);
        TlsOutcome tls = null;
        if (in.readBoolean()) {
            tls = new TlsOutcome(text(in), text(in), text(in), text(in), text(in), bool(in), SIDES[in.readByte()],
                text(in), in.readLong(), in.readBoolean(), in.readLong(), enums(in, TlsProblem.class));
        }
        return new HttpOutcome(requests, responses, version, requestConnection, responseConnection, keepAlive,
            persistent, idle, reason, keepAliveTimeout, keepAliveMax, lastMessageEnd, lastStatus, interim, anomalies, tls,
            h2);
    }

    private static void h2(DataOutput out, H2Outcome h) throws IOException {
        out.writeBoolean(h != null);
        if (h == null) return;
        out.writeLong(h.requests());
        out.writeLong(h.refused());
        out.writeLong(h.responses());
        out.writeInt(h.openStreams());
        out.writeByte(h.goawayFrom().ordinal());
        out.writeInt(h.goawayLastStream());
        out.writeLong(h.goawayError());
        out.writeLong(h.lastStreamNanos());
        enums(out, h.problems());
    }

    private static H2Outcome h2(DataInput in) throws IOException {
        if (!in.readBoolean()) return null;
        return new H2Outcome(in.readLong(), in.readLong(), in.readLong(), in.readInt(), SIDES[in.readByte()],
            in.readInt(), in.readLong(), in.readLong(), enums(in, H2Problem.class));
    }

    private static void text(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) out.writeUTF(s);
    }

    private static String text(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void bool(DataOutput out, Boolean b) throws IOException {
        out.writeByte(b == null ? 2 : b ? 1 : 0);
    }

    private static Boolean bool(DataInput in) throws IOException {
        int b = in.readByte();
        return b == 2 ? null : b == 1;
    }

    private static void enums(DataOutput out, Set<? extends Enum<?>> set) throws IOException {
        out.writeShort(set.size());
        for (Enum<?> e : set) out.writeShort(e.ordinal());
    }

    /** A set of {@code type} in declaration order, unmodifiable, as the stages make them. */
    private static <E extends Enum<E>> Set<E> enums(DataInput in, Class<E> type) throws IOException {
        int n = in.readUnsignedShort();
        if (n == 0) return Set.of();
        E[] all = type.getEnumConstants();
        EnumSet<E> set = EnumSet.noneOf(type);
        for (int i = 0; i < n; i++) set.add(all[in.readUnsignedShort()]);
        return Collections.unmodifiableSet(set);
    }
}
