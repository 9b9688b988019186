package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * tshark's packet-by-packet view of a capture, grouped into connections without tshark's {@code tcp.stream}
 * (which may merge a reused 4-tuple into one stream or split one connection): packets are grouped by 4-tuple
 * in capture order, and a SYN without ACK whose sequence number differs from the current lifetime's client ISN
 * (a retransmitted SYN repeats it) starts the tuple's next lifetime.
 */
final class TsharkView {
    static final Path TSHARK = Path.of("/usr/bin/tshark");
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    private TsharkView() {
    }

    /**
     * One TCP packet as tshark decoded it; times in microseconds since 1970, truncated downwards as the CSV's;
     * {@code frame} its number in the capture, from 1; {@code tunnel} its VXLAN VNI, Geneve VNI and GRE key
     * ({@code //} for none).
     */
    record Packet(int stream, long micros, int ipVersion, String src, String dst, int flags, long seq, long ack, long len,
                  int frame, String tunnel) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }

        boolean pureSyn() {
            return has(SYN) && !has(ACK);
        }
    }

    /** tshark's fields for every TCP packet of a capture (ICMP errors quoting a TCP header left out). */
    static List<Packet> read(Path capture) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-n", "-r", capture.toString(),
            "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "tcp.analyze_sequence_numbers:FALSE",
            "-Y", "tcp && !icmp && !icmpv6", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=l",
            // The crafted pseudo-wire capture's label: tshark does not guess Ethernet after a control word.
            "-d", "mpls.label==500,pwethcw"));
        // occurrence=l: the innermost header of a tunnelled packet. The VNI or GRE key keeps two tunnels apart.
        for (String field : List.of("tcp.stream", "frame.time_epoch", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst",
                "ipv6.dst", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "frame.number",
                "vxlan.vni", "geneve.vni", "gre.key")) {
            command.addAll(List.of("-e", field));
        }
        // stderr to a file, so a chatty tshark cannot block on a full pipe while we read stdout.
        Path errors = Files.createTempFile("tshark", ".err");
        String out;
        String err;
        try {
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
            err = Files.readString(errors, StandardCharsets.UTF_8);
            // tshark reads every link type the samples use; a file it cannot read fails here with its message.
            assertEquals(0, process.exitValue(), "tshark -r " + capture + ": " + err);
        } finally {
            Files.delete(errors);
        }
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            assertEquals(16, f.length, "tshark fields: " + line);
            boolean v4 = !f[2].isEmpty();
            packets.add(new Packet(Integer.parseInt(f[0]), micros(f[1]), v4 ? 4 : 6,
                endpoint(v4 ? f[2] : f[3], f[4]), endpoint(v4 ? f[5] : f[6], f[7]), Integer.decode(f[8]),
                Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11]), Integer.parseInt(f[12]),
                f[13] + "/" + f[14] + "/" + f[15]));
        }
        return packets;
    }

    /** The tab-separated fields tshark writes for {@code command} ({@code -T fields}), a row per line; stderr dropped. */
    static List<String[]> fields(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        List<String[]> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) rows.add(line.split("\t", -1));
        }
        return rows;
    }

    /** One lifetime of a 4-tuple: its packets in capture order and its client (null when no SYN or SYN-ACK shows it). */
    static final class Lifetime {
        final List<Packet> packets = new ArrayList<>();
        final String tuple;
        /** tshark's VNI and GRE key fields of its first packet ({@code //} for none). */
        final String tunnel;
        String client;
        Long clientIsn;
        Long serverIsn;

        Lifetime(String tuple, String tunnel) {
            this.tuple = tuple;
            this.tunnel = tunnel;
        }

        void add(Packet p) {
            packets.add(p);
            if (p.pureSyn() && clientIsn == null) {
                client = p.src();
                clientIsn = p.seq();
            } else if (p.has(SYN) && p.has(ACK) && serverIsn == null) {
                if (client == null) client = p.dst();
                serverIsn = p.seq();
            }
        }

        boolean fromClient(Packet p) {
            return p.src().equals(client);
        }
    }

    static List<Lifetime> lifetimes(List<Packet> packets) {
        Map<String, Lifetime> current = new HashMap<>();
        List<Lifetime> all = new ArrayList<>();
        for (Packet p : packets) {
            String tuple = tuple(p.src(), p.dst());
            // Two tunnels carrying one inner 4-tuple are two connections (the lifetime keeps the bare 4-tuple).
            String key = tuple + " " + p.tunnel();
            Lifetime l = current.get(key);
            // A retransmitted SYN repeats the ISN; a new ISN is a new connection on the same 4-tuple.
            boolean next = l == null || p.pureSyn() && (l.clientIsn == null ? l.serverIsn == null : l.clientIsn != p.seq());
            if (next) {
                l = new Lifetime(tuple, p.tunnel());
                current.put(key, l);
                all.add(l);
            }
            l.add(p);
        }
        return all;
    }

    /** {@code frame.time_epoch} (seconds with nine decimals, maybe negative) as microseconds, rounded down. */
    static long micros(String epoch) {
        return new BigDecimal(epoch).movePointRight(6).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** "address port" with the address as InetAddress prints it, so IPv6 spellings compare equal. */
    static String endpoint(String address, String port) {
        try {
            return InetAddress.getByName(address).getHostAddress() + " " + Integer.parseInt(port);
        } catch (IOException e) {
            throw new AssertionError("not an IP address literal: " + address, e);
        }
    }

    static String ip(String endpoint) {
        return endpoint.substring(0, endpoint.lastIndexOf(' '));
    }

    static String port(String endpoint) {
        return endpoint.substring(endpoint.lastIndexOf(' ') + 1);
    }

    /** The unordered pair of endpoints. */
    static String tuple(String a, String b) {
        return a.compareTo(b) <= 0 ? a + " <-> " + b : b + " <-> " + a;
    }
}
