package dev.teardown.answer;

import dev.teardown.capture.CaptureFiles;
import dev.teardown.capture.PacketSource;
import dev.teardown.hostile.PcapBuilder;
import dev.teardown.hostile.PcapBuilder.Endpoint;
import dev.teardown.pipeline.Analysis;
import dev.teardown.pipeline.AnalyzeOptions;
import dev.teardown.report.CaptureTotals;
import dev.teardown.report.Summary;
import dev.teardown.report.SummaryFigures;
import dev.teardown.timewait.TimeWaitFigures;
import dev.teardown.timewait.TimeWaitOptions;
import dev.teardown.timewait.TimeWaitStage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Hand-written conversations with real HTTP/1.x payload bytes, each on its own tuple, put into one pcap in time order
 * (built packet by packet) and analysed by the real pipeline with a {@link Summary} sink and a whole
 * {@link TimeWaitStage}: what {@code teardown analyze} computes its findings from.
 */
final class Capture {
    static final long S = 1_000_000_000L;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final Endpoint SERVER = Endpoint.v4(10, 0, 0, 2, 80);
    /** A keep-alive HTTP/1.1 request and a response that keeps the connection open. */
    static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    /** A request asking to close, and a response announcing the close. */
    static final String GET_CLOSE = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    static final String OK_CLOSE = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";

    private record Segment(long nanos, int order, Endpoint src, Endpoint dst, int seq, int ack, int flags,
                           byte[] payload, Long ts) {}

    /** What the pipeline gave, and the findings of it. */
    record Result(SummaryFigures summary, Optional<TimeWaitFigures> timeWait, CaptureTotals totals,
                  List<Finding> findings) {
        /** The findings with {@code id}. */
        List<Finding> withId(String id) {
            return findings.stream().filter(f -> f.id().equals(id)).toList();
        }

        /** The one finding with {@code id}; fails when there is none or several. */
        Finding only(String id) {
            List<Finding> f = withId(id);
            if (f.size() != 1) throw new AssertionError("one " + id + " expected, found: " + findings);
            return f.get(0);
        }

        boolean has(String id) {
            return !withId(id).isEmpty();
        }

        /** The HTML report of this run alone, titled {@code title}, as {@code --html} writes it. */
        String page(String title) {
            return HtmlReport.page(title, List.of(HtmlReport.article(1, title, summary, totals, timeWait, findings,
                timeWait.map(t -> t.timeWaitNanos() / S).orElse(60L))));
        }
    }

    private final List<Segment> segments = new ArrayList<>();
    private int nextClientPort = 40000;
    TimeWaitOptions options = TimeWaitOptions.defaults(60 * S, 3600 * S);

    /** A sender's TCP timestamp clock: TSval = offset + hz * seconds, modulo 2^32 (RFC 7323 section 5.4). */
    record Clock(long offset, double hz) {
        long at(double sec) {
            return offset + Math.round(hz * sec) & 0xFFFF_FFFFL;
        }
    }

    /** A new connection from 10.0.0.1 (next port) to {@link #SERVER}. */
    Conn conn() {
        return conn(SERVER);
    }

    Conn conn(Endpoint server) {
        return new Conn(Endpoint.v4(10, 0, 0, 1, nextClientPort++), server);
    }

    Conn conn(Endpoint client, Endpoint server) {
        return new Conn(client, server);
    }

    /** One connection's segments; the next sequence number of each side is kept. */
    final class Conn {
        final Endpoint client;
        final Endpoint server;
        int cseq = 1000;
        int sseq = 5000;
        Clock clientClock;

        Conn(Endpoint client, Endpoint server) {
            this.client = client;
            this.server = server;
        }

        /** The client's segments carry TSvals from {@code clock}. */
        Conn clientClock(Clock clock) {
            clientClock = clock;
            return this;
        }

        Conn c(double sec, int flags, String payload) {
            cseq = send(sec, true, cseq, sseq, flags, payload);
            return this;
        }

        Conn s(double sec, int flags, String payload) {
            sseq = send(sec, false, sseq, cseq, flags, payload);
            return this;
        }

        Conn handshake(double sec) {
            return c(sec, SYN, "").s(sec + 0.001, SYN | ACK, "").c(sec + 0.002, ACK, "");
        }

        /** A request at {@code sec}, its response 1 ms later, the client's ACK 1 ms after that. */
        Conn exchange(double sec, String request, String response) {
            return c(sec, PSH | ACK, request).s(sec + 0.001, PSH | ACK, response).c(sec + 0.002, ACK, "");
        }

        /**
         * The server's FIN at {@code sec}, the client's bare ACK (the server enters FIN-WAIT-2), the client's FIN
         * 1 ms later, the server's last ACK: 1 ms apart.
         */
        Conn serverCloses(double sec) {
            return s(sec, FIN | ACK, "").c(sec + 0.001, ACK, "").c(sec + 0.002, FIN | ACK, "").s(sec + 0.003, ACK, "");
        }

        /** The server's FIN, the client's FIN acknowledging it (no FIN-WAIT-2), the server's last ACK. */
        Conn serverClosesPiggybacked(double sec) {
            return s(sec, FIN | ACK, "").c(sec + 0.001, FIN | ACK, "").s(sec + 0.002, ACK, "");
        }

        /** The client's FIN at {@code sec}, the server's FIN acknowledging it, the client's last ACK. */
        Conn clientCloses(double sec) {
            return c(sec, FIN | ACK, "").s(sec + 0.001, FIN | ACK, "").c(sec + 0.002, ACK, "");
        }

        private int send(double sec, boolean fromClient, int seq, int ack, int flags, String payload) {
            byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
            Long ts = fromClient && clientClock != null ? clientClock.at(sec) : null;
            segments.add(new Segment(Math.round(sec * 1e6) * 1000L, segments.size(), fromClient ? client : server,
                fromClient ? server : client, seq, (flags & ACK) != 0 ? ack : 0, flags, p, ts));
            return seq + p.length + ((flags & (SYN | FIN)) != 0 ? 1 : 0);
        }
    }

    /** The capture, segments in time order (ties in the order written). */
    byte[] pcap() {
        PcapBuilder b = new PcapBuilder(segments.size());
        for (Segment s : segments.stream().sorted(Comparator.comparingLong(Segment::nanos)
            .thenComparingInt(Segment::order)).toList()) {
            b.tcp(s.nanos(), s.src(), s.dst(), s.seq(), s.ack(), s.flags(), timestamps(s.ts()), s.payload());
        }
        return b.toByteArray();
    }

    /** NOP, NOP, then the timestamps option (kind 8, length 10) with {@code ts} and a zero TSecr; none for null. */
    private static byte[] timestamps(Long ts) {
        if (ts == null) return new byte[0];
        long v = ts;
        return new byte[] {1, 1, 8, 10, (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v, 0, 0, 0, 0};
    }

    /** Runs the capture through the pipeline with {@link #options} and takes its findings. */
    Result run() {
        return run(pcap(), "script.pcap", options);
    }

    /** Runs {@code pcap} through the pipeline as {@code teardown analyze} does, with {@code options}. */
    static Result run(byte[] pcap, String name, TimeWaitOptions options) {
        return run(() -> CaptureFiles.open(new ByteArrayInputStream(pcap), name), options);
    }

    /** Opens the capture a run reads. */
    private interface Opener {
        PacketSource open() throws IOException;
    }

    private static Result run(Opener opener, TimeWaitOptions options) {
        Summary summary = new Summary();
        TimeWaitStage stage = new TimeWaitStage(options, null);
        try (PacketSource source = opener.open()) {
            Analysis.Result r = Analysis.run(source, new AnalyzeOptions(options.timeWaitNanos(), options.idleNanos()),
                List.of(summary), stage, () -> false);
            if (r.failure() != null) throw r.failure();
            SummaryFigures s = summary.figures();
            return new Result(s, stage.figures(), r.totals(), Findings.of(s, stage.figures()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The TIME_WAIT stage's options of {@code teardown analyze} without options. */
    static TimeWaitOptions options() {
        return TimeWaitOptions.defaults(AnalyzeOptions.DEFAULT_TIME_WAIT_SECONDS * S,
            AnalyzeOptions.DEFAULT_IDLE_TIMEOUT_SECONDS * S);
    }

    /** Runs capture files (one capture, as {@code teardown analyze FILE...} reads them) through the pipeline. */
    static Result run(List<java.nio.file.Path> files, TimeWaitOptions options) {
        return run(() -> CaptureFiles.open(files), options);
    }

    /** The same options with {@code tcp_max_tw_buckets} given. */
    static TimeWaitOptions withBuckets(TimeWaitOptions o, long buckets) {
        return new TimeWaitOptions(o.timeWaitNanos(), o.idleNanos(), o.stepNanos(), buckets, o.portLow(), o.portHigh(),
            o.whatIfIdleSeconds(), true, o.portRangeGiven());
    }

    /** The same options with the ephemeral port range given. */
    static TimeWaitOptions withPorts(TimeWaitOptions o, int low, int high) {
        return new TimeWaitOptions(o.timeWaitNanos(), o.idleNanos(), o.stepNanos(), o.maxTwBuckets(), low, high,
            o.whatIfIdleSeconds(), o.maxTwBucketsGiven(), true);
    }
}
