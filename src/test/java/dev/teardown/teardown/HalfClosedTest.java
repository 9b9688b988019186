package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.PSH;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FIN-WAIT-2 of the active closer and CLOSE-WAIT of the passive closer (RFC 9293 section 3.6), on hand-built
 * conversations through the real tracker: when each begins, when it ends, and what ended it.
 */
class HalfClosedTest {

    /** One conversation on client port 40000 after a handshake at 0 s and an exchange at 1 s. */
    private static Arguments row(String name, Consumer<Wire> close, Double finWait2, Double closeWait, String end) {
        return Arguments.of(name, close, finWait2, closeWait, end);
    }

    static Stream<Arguments> conversations() {
        return Stream.of(
            // Four-way close: the closer's FIN-WAIT-2 runs from the peer's ACK to the peer's FIN, the peer's
            // CLOSE-WAIT from the closer's FIN to its own.
            row("client closes", w -> w.c(2, FIN | ACK, 0).s(2.001, ACK, 0).s(2.5, FIN | ACK, 0).c(2.501, ACK, 0),
                0.499, 0.5, "fin"),
            row("server closes", w -> w.s(2, FIN | ACK, 0).c(2.001, ACK, 0).c(2.3, FIN | ACK, 0).s(2.301, ACK, 0),
                0.299, 0.3, "fin"),
            // Three-way close: the peer's FIN carries the ACK of ours. RFC 9293 section 3.10.7.4, FIN-WAIT-1:
            // "if our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT": no FIN-WAIT-2.
            row("FIN+ACK piggyback skips FIN-WAIT-2", w -> w.s(2, FIN | ACK, 0).c(2.2, FIN | ACK, 0).s(2.201, ACK, 0),
                null, 0.2, "fin"),
            // The ACK and the FIN in two segments of the same microsecond: FIN-WAIT-2 was entered, for no time.
            row("separate ACK and FIN at one instant",
                w -> w.s(2, FIN | ACK, 0).c(2.2, ACK, 0).c(2.2, FIN | ACK, 0).s(2.201, ACK, 0), 0.0, 0.2, "fin"),
            // Half-close: the server keeps sending after the client's FIN; its first data segment acknowledges
            // the FIN, so the client's FIN-WAIT-2 starts there.
            row("half-close with data after the FIN", w -> w.c(2, FIN | ACK, 0)
                    .s(2.1, PSH | ACK, 1000).c(2.11, ACK, 0).s(3, PSH | ACK, 1000).c(3.01, ACK, 0)
                    .s(5.3, FIN | ACK, 0).c(5.301, ACK, 0),
                3.2, 3.3, "fin"),
            // Crossed FINs: both sides go FIN-WAIT-1 -> CLOSING -> TIME-WAIT, whichever FIN the tap saw first.
            row("crossed FINs, client's seen first", w -> crossed(w, true), null, null, ""),
            row("crossed FINs, server's seen first", w -> crossed(w, false), null, null, ""),
            // An idle keep-alive close racing the client's next request: the server's closed socket resets.
            row("RST ends CLOSE-WAIT and FIN-WAIT-2", w -> w.s(2, FIN | ACK, 0).c(2.001, ACK, 0)
                    .c(3, PSH | ACK, 100).s(3.0001, RST, 0),
                0.9991, 1.0001, "rst"),
            // The passive closer closes with unread data: RST instead of FIN (Linux tcp_close).
            row("passive closer aborts from CLOSE-WAIT", w -> w.c(2, FIN | ACK, 0).s(2.001, ACK, 0).s(2.5, RST | ACK, 0),
                0.499, 0.5, "rst"),
            // A retransmitted FIN does not restart CLOSE-WAIT: it began when the first one arrived.
            row("retransmitted FIN keeps CLOSE-WAIT's start", HalfClosedTest::retransmittedServerFin, 0.999, 1.0, "fin"),
            // The passive closer's ACK of the FIN is not captured: its CLOSE-WAIT is seen, the closer's
            // FIN-WAIT-2 only if an ACK shows it (here the FIN itself acknowledges: FIN-WAIT-1 -> TIME-WAIT).
            row("ACK of the first FIN not captured", w -> w.c(2, FIN | ACK, 0).s(2.7, FIN | ACK, 0).c(2.701, ACK, 0),
                null, 0.7, "fin"),
            // The capture ends while the client still holds its CLOSE-WAIT: both run to the last packet time
            // of the input (here another connection's SYN at 10 s) and say so.
            row("capture ends in CLOSE-WAIT", w -> {
                w.s(2, FIN | ACK, 0).c(2.001, ACK, 0);
                otherConnectionAt(w, 10);
            }, 7.999, 8.0, "running"),
            // The FIN was never acknowledged: no FIN-WAIT-2, but the peer's CLOSE-WAIT runs.
            row("unacknowledged FIN at the end", w -> {
                w.c(2, FIN | ACK, 0);
                otherConnectionAt(w, 4);
            }, null, 2.0, "running"),
            // Idle past --idle-timeout (3600 s here): written out when packet time passes it, and counted to
            // that moment.
            row("idle write-out in CLOSE-WAIT", w -> {
                w.s(2, FIN | ACK, 0).c(2.001, ACK, 0);
                otherConnectionAt(w, 5000);
            }, 4997.999, 4998.0, "running"),
            row("no close", w -> otherConnectionAt(w, 4), null, null, ""),
            row("RST without FIN", w -> w.c(2, RST | ACK, 0), null, null, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void finWait2AndCloseWaitRunFromTheirEntryToThePassiveClosersFinOrARst(String name, Consumer<Wire> close,
                                                                           Double finWait2, Double closeWait, String end) {
        Wire w = new Wire().handshake(0).exchange(1);
        close.accept(w);
        HalfClosed h = HalfClosed.of(connectionOnPort(w.finish(), 40000));
        assertEquals(nanos(finWait2), span(h.finWait2StartNanos(), h.endNanos()), "FIN-WAIT-2");
        assertEquals(nanos(closeWait), span(h.closeWaitStartNanos(), h.endNanos()), "CLOSE-WAIT");
        assertEquals(end, h.end().label(), "what ended them");
        assertEquals(end.isEmpty(), !PacketTime.isSet(h.endNanos()), "an end time exactly when something ended");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void eachHalfClosedStateBelongsToOneSideAndBothEndAtTheSameSegment(String name, Consumer<Wire> close,
                                                                      Double finWait2, Double closeWait, String end) {
        Wire w = new Wire().handshake(0).exchange(1);
        close.accept(w);
        Connection<?> c = connectionOnPort(w.finish(), 40000);
        Endpoint client = c.endpoint(Side.CLIENT);
        Endpoint server = c.endpoint(Side.SERVER);
        // A side that entered CLOSE-WAIT received the first FIN, so it can never be in FIN-WAIT-1 afterwards.
        assertFalse(client.halfClosed == server.halfClosed && client.halfClosed != TcpState.NONE,
            "client " + client.halfClosed + ", server " + server.halfClosed);
        for (Endpoint e : List.of(client, server)) {
            assertEquals(e.halfClosed == TcpState.NONE, !PacketTime.isSet(e.halfClosedStartNanos), e.side + " start");
            assertTrue(e.halfClosed == TcpState.NONE || e.halfClosed == TcpState.FIN_WAIT_2
                || e.halfClosed == TcpState.CLOSE_WAIT, e.side + ": " + e.halfClosed);
        }
        // HalfClosed reports one end for both: the passive closer's FIN (or a RST) ends both at once.
        if (client.halfClosed != TcpState.NONE && server.halfClosed != TcpState.NONE) {
            assertEquals(client.halfClosedEndNanos, server.halfClosedEndNanos, "end");
            assertEquals(client.halfClosedEndedByRst, server.halfClosedEndedByRst, "ended by a RST");
        }
    }

    @ParameterizedTest(name = "client's FIN seen first: {0}")
    @ValueSource(booleans = {true, false})
    void afterCrossedFinsNeitherSideRecordsTheCloseWaitTheTapsOrderSuggested(boolean clientFirst) {
        Wire w = new Wire().handshake(0).exchange(1);
        crossed(w, clientFirst);
        Connection<?> c = connectionOnPort(w.finish(), 40000);
        // The second FIN's receiver looked CLOSE-WAIT for 0.1 ms, but its own FIN had left before (its ACK field
        // does not cover the first FIN): it went FIN-WAIT-1 -> CLOSING, never CLOSE-WAIT.
        for (Side side : Side.values()) {
            assertEquals(TcpState.NONE, c.endpoint(side).halfClosed, side.toString());
            assertEquals(PacketTime.UNSET, c.endpoint(side).halfClosedStartNanos, side.toString());
        }
    }

    private static void crossed(Wire w, boolean clientFirst) {
        int cfin = w.cseq;
        int sfin = w.sseq;
        // Neither FIN acknowledges the other: each ACK field is the peer's FIN sequence number.
        if (clientFirst) w.raw(true, 2, FIN | ACK, cfin, sfin, 0).raw(false, 2.0001, FIN | ACK, sfin, cfin, 0);
        else w.raw(false, 2, FIN | ACK, sfin, cfin, 0).raw(true, 2.0001, FIN | ACK, cfin, sfin, 0);
        w.raw(true, 2.001, ACK, cfin + 1, sfin + 1, 0).raw(false, 2.001, ACK, sfin + 1, cfin + 1, 0);
    }

    private static void retransmittedServerFin(Wire w) {
        int sfin = w.sseq;
        int cseq = w.cseq;
        w.s(2, FIN | ACK, 0).c(2.001, ACK, 0).raw(false, 2.5, FIN | ACK, sfin, cseq, 0).c(2.501, ACK, 0);
        w.c(3, FIN | ACK, 0).s(3.001, ACK, 0);
    }

    /** A SYN on another client port at {@code sec} seconds: packet time moves on, the first connection waits. */
    private static void otherConnectionAt(Wire w, double sec) {
        w.clientPort = 40001;
        w.c(sec, SYN, 0);
        w.clientPort = 40000;
    }

    private static Connection<?> connectionOnPort(List<Connection<?>> all, int port) {
        return all.stream().filter(c -> c.clientPort() == port).findFirst().orElseThrow();
    }

    private static long span(long start, long end) {
        return PacketTime.isSet(start) ? end - start : PacketTime.UNSET;
    }

    private static long nanos(Double seconds) {
        return seconds == null ? PacketTime.UNSET : Math.round(seconds * 1e6) * 1000L;
    }
}
