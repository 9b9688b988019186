package dev.teardown.pipeline;

import static dev.teardown.pipeline.TsharkView.ACK;
import static dev.teardown.pipeline.TsharkView.FIN;
import static dev.teardown.pipeline.TsharkView.RST;
import static dev.teardown.pipeline.TsharkView.SYN;

import dev.teardown.pipeline.TsharkView.Lifetime;
import dev.teardown.pipeline.TsharkView.Packet;
import java.util.Locale;
import java.util.Map;

/**
 * The close of one connection lifetime seen by tshark, with docs/output.md's rules for close_type,
 * close_initiator, time_wait_side, time_wait_start/end, tuple_reuse, reuse_gap_s, fin_wait2_s, close_wait_s and
 * half_closed_end applied to it.
 */
final class DocumentedClose {
    /** docs/output.md: {@code --time-wait}, default 60 s. */
    static final long TIME_WAIT_MICROS = 60_000_000L;

    final Lifetime l;
    final String client;
    final int firstRst;
    final int[] firstFin = {-1, -1};
    final int[] finAcked = {-1, -1};
    final String type;
    final String initiator;
    final String holder;

    DocumentedClose(Lifetime l, String client) {
        this.l = l;
        this.client = client;
        int rst = -1;
        for (int i = 0; i < l.packets.size(); i++) {
            Packet p = l.packets.get(i);
            int side = side(p);
            if (p.has(RST) && rst < 0) rst = i;
            if (p.has(FIN) && firstFin[side] < 0) firstFin[side] = i;
            int peer = 1 - side;
            if (p.has(ACK) && firstFin[peer] >= 0 && finAcked[peer] < 0 && covers(p.ack(), finEnd(firstFin[peer]))) {
                finAcked[peer] = i;
            }
        }
        firstRst = rst;
        initiator = initiator();
        type = type();
        holder = switch (type) {
            case "fin", "half-close", "fin-incomplete" -> initiator;
            case "simultaneous" -> "both";
            default -> "none";
        };
    }

    /** docs/output.md {@code close_type}. */
    private String type() {
        int end = firstRst < 0 ? Integer.MAX_VALUE : firstRst;
        // Both FINs sent and acknowledged before any RST: the close finished.
        boolean clean = finAcked[0] >= 0 && finAcked[0] < end && finAcked[1] >= 0 && finAcked[1] < end;
        if (!finBefore(Integer.MAX_VALUE) && firstRst < 0) return "none";
        if (firstRst >= 0 && !finBefore(firstRst)) return "rst";
        if (clean && initiator.equals("both")) return "simultaneous";
        if (clean) return dataAfterFirstFin(initiator.equals("client") ? 1 : 0) ? "half-close" : "fin";
        return firstRst >= 0 ? "fin-rst" : "fin-incomplete";
    }

    /** 0 for the client, 1 for the server. */
    int side(Packet p) {
        return p.src().equals(client) ? 0 : 1;
    }

    /** The sequence number just past a FIN segment: its data, then the FIN itself. */
    long finEnd(int index) {
        Packet p = l.packets.get(index);
        return (p.seq() + p.len() + (p.has(SYN) ? 1 : 0) + 1) & 0xffffffffL;
    }

    /** Does {@code ack} reach {@code end}? Signed 32-bit difference, as sequence numbers wrap. */
    static boolean covers(long ack, long end) {
        return (int) (ack - end) >= 0;
    }

    boolean finBefore(int index) {
        return firstFin[0] >= 0 && firstFin[0] < index || firstFin[1] >= 0 && firstFin[1] < index;
    }

    /**
     * The expected close columns; {@code next} is the tuple's next lifetime (null if none) and {@code inputEnd}
     * the latest packet time of the whole capture, in microseconds.
     */
    void expect(Map<String, String> m, DocumentedClose previous, Lifetime next, long inputEnd) {
        m.put("close_type", type);
        m.put("close_initiator", initiator);
        m.put("time_wait_side", holder);
        long[] tw = window(next);
        m.put("time_wait_start", tw == null ? "" : Long.toString(tw[0]));
        m.put("time_wait_end", tw == null ? "" : Long.toString(tw[1]));

        // tuple_reuse: the first SYN came while the previous lifetime was in TIME_WAIT (as it would have
        // run without that SYN); reuse_gap_s: from its last FIN or RST, when teardown still held it.
        long[] before = previous == null ? null : previous.window(null);
        Packet first = l.packets.get(0);
        Packet syn = l.packets.stream().filter(Packet::pureSyn).findFirst().orElse(null);
        boolean reuse = before != null && syn != null && syn.micros() >= before[0] && syn.micros() < before[1];
        m.put("tuple_reuse", Boolean.toString(reuse));
        if (previous == null || reuse) {
            m.put("reuse_gap_s", reuse ? seconds(first.micros() - previous.lastFinOrRst()) : "");
        }
        // A connection whose close never finished is written out at the end of the input, or when the tuple's
        // next lifetime opens (its first packet).
        halfClosed(m, next != null ? next.packets.get(0).micros() : inputEnd);
    }

    /**
     * docs/output.md {@code fin_wait2_s}, {@code close_wait_s}, {@code half_closed_end}, with A the close initiator
     * and B the other side: B's CLOSE-WAIT runs from A's first FIN, A's FIN-WAIT-2 from B's first segment that
     * acknowledges that FIN, unless that segment is B's FIN itself (FIN-WAIT-1 straight to TIME-WAIT); both end
     * at B's first FIN or the first RST after A's FIN, whichever comes first, else they are still running when the
     * connection is written out ({@code writtenOut}). Empty after crossed FINs, without a FIN, or when a RST came
     * before the FIN.
     */
    private void halfClosed(Map<String, String> m, long writtenOut) {
        String finWait2 = "";
        String closeWait = "";
        String end = "";
        int a = initiator.equals("client") ? 0 : initiator.equals("server") ? 1 : -1;
        int fin = a < 0 ? -1 : firstFin[a];
        if (fin >= 0 && (firstRst < 0 || firstRst > fin)) {
            int b = 1 - a;
            int stop = -1;
            for (int i = fin + 1; i < l.packets.size() && stop < 0; i++) {
                Packet p = l.packets.get(i);
                if (p.has(RST) || side(p) == b && p.has(FIN)) stop = i;
            }
            long endMicros = stop < 0 ? writtenOut : l.packets.get(stop).micros();
            end = stop < 0 ? "running" : l.packets.get(stop).has(RST) ? "rst" : "fin";
            closeWait = seconds(Math.max(0, endMicros - l.packets.get(fin).micros()));
            for (int i = fin + 1; i < (stop < 0 ? l.packets.size() : stop); i++) {
                Packet p = l.packets.get(i);
                if (side(p) == b && p.has(ACK) && covers(p.ack(), finEnd(fin))) {
                    finWait2 = seconds(Math.max(0, endMicros - p.micros()));
                    break;
                }
            }
        }
        m.put("fin_wait2_s", finWait2);
        m.put("close_wait_s", closeWait);
        m.put("half_closed_end", end);
    }

    /** The TIME_WAIT [start, end) in microseconds, null when nobody holds it or it has not begun. */
    long[] window(Lifetime next) {
        return switch (holder) {
            case "client" -> timeWait(0, next);
            case "server" -> timeWait(1, next);
            case "both" -> {
                long[] c = timeWait(0, next);
                long[] s = timeWait(1, next);
                yield c == null || s == null ? null : new long[] {Math.min(c[0], s[0]), Math.max(c[1], s[1])};
            }
            default -> null;
        };
    }

    /** Seconds with six decimals, as the CSV writes durations. */
    static String seconds(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    /** The time of the lifetime's last FIN or RST: where reuse_gap_s counts from. */
    long lastFinOrRst() {
        long t = Long.MIN_VALUE;
        for (Packet p : l.packets) if (p.has(FIN) || p.has(RST)) t = p.micros();
        return t;
    }

    /** The side whose FIN the other side's FIN acknowledges; both if neither; else the one FIN's or first RST's sender. */
    String initiator() {
        if (firstFin[0] >= 0 && firstFin[1] >= 0) {
            if (covers(l.packets.get(firstFin[1]).ack(), finEnd(firstFin[0]))) return "client";
            if (covers(l.packets.get(firstFin[0]).ack(), finEnd(firstFin[1]))) return "server";
            return "both";
        }
        if (firstFin[0] >= 0) return "client";
        if (firstFin[1] >= 0) return "server";
        if (firstRst >= 0) return side(l.packets.get(firstRst)) == 0 ? "client" : "server";
        return "none";
    }

    /** half-close: the passive side sent payload after the active side's FIN. */
    boolean dataAfterFirstFin(int passive) {
        int from = firstFin[1 - passive];
        for (int i = from + 1; i < l.packets.size(); i++) {
            Packet p = l.packets.get(i);
            if (side(p) == passive && p.len() > 0) return true;
        }
        return false;
    }

    /**
     * docs/output.md {@code time_wait_start}/{@code _end} for holder side h: start at h's ACK of the peer's
     * FIN, restarted by the ACK of a retransmitted FIN; the peer FIN's time if no ACK was seen; end 60 s
     * later or earlier at a RST in TIME_WAIT or at the SYN of an accepted next connection on the tuple.
     */
    long[] timeWait(int h, Lifetime next) {
        Long start = null;
        Long peerFin = null;
        boolean pending = false;
        for (Packet p : l.packets) {
            if (side(p) != h && p.has(FIN)) {
                if (peerFin == null) peerFin = p.micros();
                pending = true;
            } else if (side(p) == h && pending && p.has(ACK) && covers(p.ack(), finEnd(firstFin[1 - h]))) {
                start = p.micros();
                pending = false;
            }
        }
        if (start == null) start = peerFin;
        if (start == null) return null; // the peer's FIN not seen: TIME_WAIT has not begun
        long end = start + TIME_WAIT_MICROS;
        for (Packet p : l.packets) {
            if (p.has(RST) && p.micros() >= start && p.micros() < end) {
                end = p.micros();
                break;
            }
        }
        if (next != null) {
            Long syn = null;
            for (Packet p : next.packets) {
                if (p.pureSyn()) syn = p.micros();
                if (p.has(SYN) && p.has(ACK)) break;
            }
            if (syn != null && syn < end && next.serverIsn != null) end = syn;
        }
        return new long[] {start, end};
    }
}
