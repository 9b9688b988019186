package dev.teardown.timewait;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.pipeline.Analysis;
import dev.teardown.report.FlowRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Hand-written conversations, each on its own tuple, put into one pcap in time order and analysed by the real
 * pipeline with a timeline: each call sends one segment at the given second, numbered like a real sender.
 */
final class Script {
    static final long S = 1_000_000_000L;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final Endpoint SERVER = Endpoint.v4(10, 0, 0, 2, 80);

    /**
     * {@code ts}: the TSval of the timestamps option (RFC 7323), or null for a segment without options; payload
     * bytes: {@code text} when given, else {@code length} zero bytes.
     */
    private record Segment(long nanos, int order, Endpoint src, Endpoint dst, int seq, int ack, int flags, int length,
                           Long ts, byte[] text) {}

    /** An HTTP/1.1 request that keeps its connection (no Connection header). */
    static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    /** An HTTP/1.1 request that asks the server to close after its response. */
    static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    /** A complete response that keeps the connection. */
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final List<Segment> segments = new ArrayList<>();
    private int nextClientPort = 40000;

    /**
     * What the pipeline gave: the timeline's rows, with how many records had been written when each row was;
     * the records; the timeline (for its late count); the summary's warnings.
     */
    record Result(List<TimelineRow> rows, List<Integer> recordsBeforeRow, List<FlowRecord> records,
                  TimeWaitTimeline timeline, List<String> warnings) {

        /** The rows as "second port values" lines, values in column order, for instants {@code from..to} seconds. */
        List<String> lines(long from, long to) {
            return rows.stream().filter(r -> r.timeNanos() >= from * S && r.timeNanos() <= to * S)
                .map(Script::line).toList();
        }
    }

    /** A row as "second port values", values in column order ("partial" left out). */
    static String line(TimelineRow r) {
        StringBuilder b = new StringBuilder();
        b.append(r.timeNanos() % S == 0 ? Long.toString(r.timeNanos() / S) : Double.toString(r.timeNanos() / 1e9));
        b.append(' ').append(r.serverPort()).append(' ');
        long[] v = r.counts();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(v[i]);
        return b.toString();
    }

    /** A new connection from 10.0.0.1 (next port) to {@link #SERVER}. */
    Conn conn() {
        return conn(SERVER);
    }

    /** A new connection from 10.0.0.1 (next port) to {@code server}. */
    Conn conn(Endpoint server) {
        return new Conn(Endpoint.v4(10, 0, 0, 1, nextClientPort++), server);
    }

    /** A new connection from {@code client} to {@code server}. */
    Conn conn(Endpoint client, Endpoint server) {
        return new Conn(client, server);
    }

    /**
     * A sender's timestamp clock: TSval = offset + hz * seconds, taken modulo 2^32 (RFC 7323 section 5.4).
     */
    record Clock(long offset, double hz) {
        long at(double sec) {
            return offset + Math.round(hz * sec) & 0xFFFF_FFFFL;
        }
    }

    /** A new connection from 10.0.1.{@code host} (next port) to {@link #SERVER}. */
    Conn from(int host) {
        return new Conn(Endpoint.v4(10, 0, 1, host, nextClientPort++), SERVER);
    }

    /**
     * One connection's segments; the next sequence number each side sends is kept. With a clock set, that side's
     * segments carry the timestamps option.
     */
    final class Conn {
        final Endpoint client;
        final Endpoint server;
        int cseq = 1000;
        int sseq = 5000;
        Clock clientClock;
        Clock serverClock;
        /** A TSval for the client's next segment only, instead of its clock's. */
        Long nextClientTs;

        /** The client's segments carry TSvals from {@code clock}. */
        Conn clientClock(Clock clock) {
            clientClock = clock;
            return this;
        }

        /** The server's segments carry TSvals from {@code clock}. */
        Conn serverClock(Clock clock) {
            serverClock = clock;
            return this;
        }

        /** The client's next segment carries TSval {@code ts} (a repeated or odd value). */
        Conn nextTs(long ts) {
            nextClientTs = ts;
            return this;
        }

        Conn(Endpoint client, Endpoint server) {
            this.client = client;
            this.server = server;
        }

        /** A segment from the client at {@code sec} seconds with {@code flags} and {@code len} payload bytes. */
        Conn c(double sec, int flags, int len) {
            cseq = send(sec, client, server, cseq, sseq, flags, len);
            return this;
        }

        Conn s(double sec, int flags, int len) {
            sseq = send(sec, server, client, sseq, cseq, flags, len);
            return this;
        }

        /** A client segment at {@code sec} carrying {@code text}. */
        Conn c(double sec, int flags, String text) {
            cseq = send(sec, client, server, cseq, sseq, flags, text);
            return this;
        }

        Conn s(double sec, int flags, String text) {
            sseq = send(sec, server, client, sseq, cseq, flags, text);
            return this;
        }

        /** {@code request} at {@code sec}, the server's {@link #OK} 1 ms later: the exchange ends at sec + 0.001. */
        Conn exchange(double sec, String request) {
            return c(sec, PSH | ACK, request).s(sec + 0.001, PSH | ACK, OK);
        }

        /** A {@link #GET} that keeps the connection, answered 1 ms later. */
        Conn exchange(double sec) {
            return exchange(sec, GET);
        }

        /** A segment with explicit numbers (crossed FINs). */
        Conn raw(boolean fromClient, double sec, int flags, int seq, int ack) {
            send(sec, fromClient ? client : server, fromClient ? server : client, seq, ack, flags, 0);
            return this;
        }

        Conn handshake(double sec) {
            return c(sec, SYN, 0).s(sec + 0.001, SYN | ACK, 0).c(sec + 0.002, ACK, 0);
        }

        /** The server's FIN at {@code sec}, then the client's ACK and FIN and the server's ACK, 1 ms apart. */
        Conn serverCloses(double sec) {
            return s(sec, FIN | ACK, 0).c(sec + 0.001, ACK, 0).c(sec + 0.002, FIN | ACK, 0).s(sec + 0.003, ACK, 0);
        }

        Conn clientCloses(double sec) {
            return c(sec, FIN | ACK, 0).s(sec + 0.001, ACK, 0).s(sec + 0.002, FIN | ACK, 0).c(sec + 0.003, ACK, 0);
        }

        private int send(double sec, Endpoint src, Endpoint dst, int seq, int ack, int flags, int len) {
            boolean fromClient = src.equals(client);
            Clock clock = fromClient ? clientClock : serverClock;
            Long ts = clock == null ? null : clock.at(sec);
            if (fromClient && nextClientTs != null) {
                ts = nextClientTs;
                nextClientTs = null;
            }
            segments.add(new Segment(Math.round(sec * 1e6) * 1000L, segments.size(), src, dst, seq,
                (flags & ACK) != 0 ? ack : 0, flags, len, ts, null));
            return seq + len + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        }

        private int send(double sec, Endpoint src, Endpoint dst, int seq, int ack, int flags, String text) {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            segments.add(new Segment(Math.round(sec * 1e6) * 1000L, segments.size(), src, dst, seq,
                (flags & ACK) != 0 ? ack : 0, flags, b.length, null, b));
            return seq + b.length + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        }
    }

    /** The capture, segments in time order (ties in the order written). */
    byte[] pcap() {
        PcapBuilder b = new PcapBuilder(segments.size());
        for (Segment s : segments.stream().sorted(Comparator.comparingLong(Segment::nanos).thenComparingInt(Segment::order)).toList()) {
            b.tcp(s.nanos(), s.src(), s.dst(), s.seq(), s.ack(), s.flags(), timestamps(s.ts()),
                s.text() != null ? s.text() : new byte[s.length()]);
        }
        return b.toByteArray();
    }

    /** NOP, NOP, then the timestamps option (kind 8, length 10) with {@code ts} and a zero TSecr; none for null. */
    private static byte[] timestamps(Long ts) {
        if (ts == null) return new byte[0];
        long v = ts;
        return new byte[] {1, 1, 8, 10, (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v, 0, 0, 0, 0};
    }

    /** Runs the capture through the pipeline with Linux's 60 s TIME_WAIT and the given idle timeout and step. */
    Result run(long idleNanos, long stepNanos) {
        return run(pcap(), new AnalyzeOptions(60 * S, idleNanos), stepNanos);
    }

    Result run(long stepNanos) {
        return run(3600 * S, stepNanos);
    }

    /** The same, with {@code more} parts told after the timeline. */
    static Result run(byte[] pcap, AnalyzeOptions options, long stepNanos, Part... more) {
        List<TimelineRow> rows = new ArrayList<>();
        List<Integer> before = new ArrayList<>();
        List<FlowRecord> records = new ArrayList<>();
        TimeWaitTimeline timeline = new TimeWaitTimeline(options.timeWaitNanos(), options.idleTimeoutNanos(), stepNanos,
            r -> {
                rows.add(r);
                before.add(records.size());
            });
        try (PacketSource source = CaptureFiles.open(new ByteArrayInputStream(pcap), "script.pcap")) {
            Part[] parts = new Part[more.length + 1];
            parts[0] = timeline;
            System.arraycopy(more, 0, parts, 1, more.length);
            Analysis.Result r = Analysis.run(source, options, List.of(records::add), TimeWaitStage.of(parts), () -> false);
            if (r.failure() != null) throw r.failure();
            return new Result(rows, before, records, timeline, r.totals().warnings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
