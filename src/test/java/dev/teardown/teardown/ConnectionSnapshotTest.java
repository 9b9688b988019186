package dev.teardown.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.TcpSegment;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot reads, through every method of {@link ConnectionView}, what the live connection read when it was
 * copied, however the connection moves on after; one view pointed at two copies reads each in turn.
 */
class ConnectionSnapshotTest {
    private static final long S = 1_000_000_000L;
    private final ConnectionTracker<Void> tracker = new ConnectionTracker<>(60 * S, 3600 * S, () -> null, c -> { });
    private Connection<Void> connection;

    /** A segment at {@code sec} from the client or the server, with TSval {@code ts} (none when null). */
    private void send(boolean fromClient, double sec, int flags, int seq, int ack, int len, Integer ts) {
        TcpSegment t = new TcpSegment();
        t.timeNanos = Math.round(sec * 1e6) * 1000L;
        t.ipVersion = 4;
        t.srcLo = fromClient ? 0x0a000001L : 0x0a000002L;
        t.dstLo = fromClient ? 0x0a000002L : 0x0a000001L;
        t.srcPort = fromClient ? 40_000 : 80;
        t.dstPort = fromClient ? 80 : 40_000;
        t.seq = seq;
        t.ack = ack;
        t.flags = flags;
        t.payloadLength = len;
        t.data = new byte[0];
        if (ts != null) {
            t.hasTimestamp = true;
            t.tsVal = ts;
        }
        connection = tracker.onSegment(t);
    }

    /** Every figure the view gives: each method, for each side and two TIME-WAIT lengths where it takes them. */
    private static List<String> figures(ConnectionView v) throws Exception {
        List<String> out = new ArrayList<>();
        Method[] methods = ConnectionView.class.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            Class<?>[] p = m.getParameterTypes();
            if (p.length == 0) {
                out.add(m.getName() + "=" + m.invoke(v));
            } else {
                for (Side side : Side.values()) {
                    if (p.length == 1) out.add(m.getName() + "(" + side + ")=" + m.invoke(v, side));
                    else for (long len : new long[] {S, 60 * S}) out.add(m.getName() + "(" + side + "," + len + ")=" + m.invoke(v, side, len));
                }
            }
        }
        return out;
    }

    @Test
    void aSnapshotKeepsWhatTheConnectionWasWhenCopiedWhateverComesAfter() throws Exception {
        long[] copies = new long[3 * ConnectionSnapshot.LONGS];
        send(true, 1.0, TcpSegment.SYN, 100, 0, 0, 0xF000_0001); // a TSval with its top bit set
        send(false, 1.001, TcpSegment.SYN | TcpSegment.ACK, 900, 101, 0, 7);
        ConnectionSnapshot.copy(connection, copies, 0);
        List<String> opened = figures(connection);
        send(true, 1.002, TcpSegment.ACK, 101, 901, 0, 0xF000_0002);
        send(false, 3.0, TcpSegment.FIN | TcpSegment.ACK, 901, 101, 0, 9);
        send(true, 3.001, TcpSegment.ACK, 101, 902, 0, 0xF000_0005);
        send(true, 3.002, TcpSegment.FIN | TcpSegment.ACK, 101, 902, 0, 0xF000_0006);
        send(false, 3.003, TcpSegment.ACK, 902, 102, 0, 10);
        ConnectionSnapshot.copy(connection, copies, ConnectionSnapshot.LONGS);
        List<String> closed = figures(connection);
        assertTrue(PacketTime.isSet(connection.timeWaitStartNanos(Side.SERVER)), "the server holds TIME-WAIT");
        send(true, 10.0, TcpSegment.RST, 102, 0, 0, null); // a RST cuts the server's TIME-WAIT short
        List<String> cut = figures(connection);
        ConnectionSnapshot.copy(connection, copies, 2 * ConnectionSnapshot.LONGS);

        ConnectionSnapshot view = new ConnectionSnapshot();
        assertNotEquals(opened, closed);
        assertNotEquals(closed, cut);
        assertEquals(opened, figures(view.of(connection, copies, 0)));
        assertEquals(closed, figures(view.of(connection, copies, ConnectionSnapshot.LONGS)));
        assertEquals(cut, figures(view.of(connection, copies, 2 * ConnectionSnapshot.LONGS)));
        assertSame(view, view.of(connection, copies, 0), "one view, pointed again: nothing allocated per event");
        assertEquals(Sides.SERVER, view.of(connection, copies, ConnectionSnapshot.LONGS).initiator());
        assertEquals(0xF000_0006, view.tsRecent(Side.CLIENT));
    }
}
