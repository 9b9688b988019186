package dev.teardown.pipeline;

import dev.teardown.capture.Frame;
import dev.teardown.capture.LinkTypes;
import dev.teardown.capture.PacketSource;
import dev.teardown.capture.PcapFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Generated traffic of many connections left open, as raw IPv4 frames: a SYN flood (half-open connections)
 * or HTTP/1.1 keep-alive connections idle after one exchange. For memory tests and hand checks:
 * {@code java -cp ... dev.teardown.pipeline.Traffic syn|keepalive N FILE.pcap}.
 */
public final class Traffic {
    /** The connections' shape. */
    public enum Kind { SYN, KEEPALIVE }

    private static final long START_NANOS = 1_700_000_000_000_000_000L;
    private static final int SERVER_IP = 0xc0000201; // 192.0.2.1
    private static final int CLIENTS_PER_IP = 50_000;
    private static final byte[] REQUEST = "GET /index.html HTTP/1.1\r\nHost: example.test\r\nUser-Agent: t/1\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=75\r\n\r\nok"
        .getBytes(StandardCharsets.US_ASCII);
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    private final byte[] buffer = new byte[1500];
    private final Frame frame = new Frame();
    private long time = START_NANOS;

    private Traffic() {}

    /** Hands {@code connections} connections of {@code kind}, frame by frame, to {@code sink} (the frame is reused). */
    public static void generate(Kind kind, int connections, Consumer<Frame> sink) {
        Traffic t = new Traffic();
        for (int i = 0; i < connections; i++) {
            int clientIp = 0x0a000000 + i / CLIENTS_PER_IP;
            int clientPort = 10_000 + i % CLIENTS_PER_IP;
            int cseq = 1000 + i;
            int sseq = 900_000 + i;
            t.send(sink, clientIp, clientPort, SERVER_IP, 80, cseq, 0, SYN, null);
            if (kind == Kind.SYN) continue;
            t.send(sink, SERVER_IP, 80, clientIp, clientPort, sseq, cseq + 1, SYN | ACK, null);
            t.send(sink, clientIp, clientPort, SERVER_IP, 80, cseq + 1, sseq + 1, ACK, null);
            t.send(sink, clientIp, clientPort, SERVER_IP, 80, cseq + 1, sseq + 1, ACK | PSH, REQUEST);
            t.send(sink, SERVER_IP, 80, clientIp, clientPort, sseq + 1, cseq + 1 + REQUEST.length, ACK | PSH, RESPONSE);
            t.send(sink, clientIp, clientPort, SERVER_IP, 80, cseq + 1 + REQUEST.length, sseq + 1 + RESPONSE.length,
                ACK, null);
        }
    }

    /**
     * A source of {@code connections} connections of {@code kind}, read from memory; {@code beforeFrame} is
     * told each frame's index before it is handed out, and {@code atEnd} (an IOException or an unchecked
     * throwable such as an OutOfMemoryError), if not null, is thrown instead of the end of the capture.
     */
    public static PacketSource source(Kind kind, int connections, IntConsumer beforeFrame, Throwable atEnd) {
        List<Frame> frames = new ArrayList<>();
        generate(kind, connections, f -> {
            Frame copy = new Frame();
            byte[] data = java.util.Arrays.copyOfRange(f.data(), f.offset(), f.offset() + f.capturedLength());
            copy.set(data, 0, data.length, f.originalLength(), f.timeNanos(), f.linkType(), 0);
            frames.add(copy);
        });
        return new PacketSource() {
            private int next;

            @Override
            public boolean next(Frame frame) throws IOException {
                if (next == frames.size()) {
                    if (atEnd instanceof IOException e) throw e;
                    if (atEnd instanceof RuntimeException e) throw e;
                    if (atEnd instanceof Error e) throw e;
                    return false;
                }
                beforeFrame.accept(next);
                Frame f = frames.get(next++);
                frame.set(f.data(), 0, f.capturedLength(), f.originalLength(), f.timeNanos(), f.linkType(), 0);
                return true;
            }

            @Override
            public String name() {
                return "generated " + kind.name().toLowerCase(java.util.Locale.ROOT);
            }

            @Override
            public List<String> warnings() {
                return List.of();
            }

            @Override
            public void close() {
            }
        };
    }

    /** {@link Churn}'s capture of {@code tuples} tuples over {@code seconds}, one pcap (for tests of other packages). */
    public static byte[] churn(long seed, int tuples, int seconds) {
        return Churn.captures(seed, tuples, seconds, 1).get(0);
    }

    /** {@link KeepAlive}'s capture of {@code clients} client addresses over {@code seconds} (for tests of other packages). */
    public static byte[] keepAlive(long seed, int clients, int seconds) {
        return KeepAlive.capture(seed, clients, seconds);
    }

    /** Writes {@code connections} connections of {@code kind} to a pcap file. */
    public static void writePcap(Path file, Kind kind, int connections) throws IOException {
        try (PcapFileWriter w = new PcapFileWriter(file, LinkTypes.RAW, 65535, true)) {
            generate(kind, connections, f -> {
                try {
                    w.write(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private void send(Consumer<Frame> sink, int src, int srcPort, int dst, int dstPort, int seq, int ack, int flags,
                      byte[] payload) {
        int length = 40 + (payload == null ? 0 : payload.length);
        byte[] b = buffer;
        b[0] = 0x45;
        b[1] = 0;
        put16(b, 2, length);
        put16(b, 4, 0);
        put16(b, 6, 0x4000); // don't fragment
        b[8] = 64;
        b[9] = 6;
        put16(b, 10, 0);
        put32(b, 12, src);
        put32(b, 16, dst);
        put16(b, 20, srcPort);
        put16(b, 22, dstPort);
        put32(b, 24, seq);
        put32(b, 28, ack);
        b[32] = 5 << 4;
        b[33] = (byte) flags;
        put16(b, 34, 64240);
        put16(b, 36, 0);
        put16(b, 38, 0);
        if (payload != null) System.arraycopy(payload, 0, b, 40, payload.length);
        time += 10_000; // 10 us apart
        frame.set(b, 0, length, length, time, LinkTypes.RAW, 0);
        sink.accept(frame);
    }

    private static void put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    private static void put32(byte[] b, int i, int v) {
        put16(b, i, v >>> 16);
        put16(b, i + 2, v);
    }

    /** {@code Traffic syn|keepalive N FILE.pcap}: writes a capture for a hand check. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Traffic syn|keepalive N FILE.pcap");
            System.exit(2);
        }
        writePcap(Path.of(args[2]), Kind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT)), Integer.parseInt(args[1]));
    }
}
