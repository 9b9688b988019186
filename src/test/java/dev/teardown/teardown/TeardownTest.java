package dev.teardown.teardown;

import static dev.teardown.teardown.Wire.ACK;
import static dev.teardown.teardown.Wire.FIN;
import static dev.teardown.teardown.Wire.PSH;
import static dev.teardown.teardown.Wire.RST;
import static dev.teardown.teardown.Wire.S;
import static dev.teardown.teardown.Wire.SYN;
import static dev.teardown.teardown.Wire.TW;
import static dev.teardown.teardown.Wire.teardown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.teardown.capture.PacketTime;
import dev.teardown.decode.Anomaly;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every close pattern of FACTS.md, on hand-built segments, through the real tracker. */
class TeardownTest {

    private static Connection<?> only(Wire w) {
        List<Connection<?>> all = w.finish();
        assertEquals(1, all.size(), "connections");
        return all.get(0);
    }

    private static void assertTeardown(Connection c, Sides initiator, CloseType type, Sides holder) {
        Teardown t = teardown(c);
        assertEquals(initiator, t.initiator(), "close_initiator");
        assertEquals(type, t.type(), "close_type");
        assertEquals(holder, t.timeWaitSide(), "time_wait_side");
    }

    @Test
    void clientClosesFirstSoClientHoldsTimeWaitFromItsFinalAck() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, ACK, 0).s(2.002, FIN | ACK, 0).c(2.003, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
        Teardown t = teardown(c);
        assertEquals(2_003_000_000L, t.timeWaitStartNanos());
        assertEquals(2_003_000_000L + TW, t.timeWaitEndNanos());
        assertEquals("SF", ConnState.of(c));
        assertEquals("ShADdFaf", c.historyText());
        assertEquals(Handshake.FULL, Teardown.handshake(c));
    }

    @Test
    void serverClosesWithPiggybackedFinAckSoServerHoldsTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        // Three-way close: the client's FIN rides on the ACK of the server's FIN.
        w.s(2, FIN | ACK, 0).c(2.001, FIN | ACK, 0).s(2.002, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.SERVER, CloseType.FIN, Sides.SERVER);
        assertEquals(2_002_000_000L, teardown(c).timeWaitStartNanos());
    }

    @Test
    void finCarryingDataCountsItsSequenceNumberAfterThePayload() {
        Wire w = new Wire().handshake(0).c(1, PSH | ACK, 100);
        w.s(1.5, FIN | PSH | ACK, 300).c(1.6, FIN | ACK, 0).s(1.7, ACK, 0);
        assertTeardown(only(w), Sides.SERVER, CloseType.FIN, Sides.SERVER);
    }

    @Test
    void crossedFinsAreSimultaneousAndBothHoldTimeWaitFromEitherVantagePoint() {
        for (boolean clientFinSeenFirst : new boolean[] {true, false}) {
            Wire w = new Wire().handshake(0).exchange(1);
            int cfin = w.cseq;
            int sfin = w.sseq;
            // Neither FIN acknowledges the other: each ACK field is the peer's FIN sequence number.
            if (clientFinSeenFirst) {
                w.raw(true, 2, FIN | ACK, cfin, sfin, 0).raw(false, 2.0001, FIN | ACK, sfin, cfin, 0);
            } else {
                w.raw(false, 2, FIN | ACK, sfin, cfin, 0).raw(true, 2.0001, FIN | ACK, cfin, sfin, 0);
            }
            w.raw(true, 2.001, ACK, cfin + 1, sfin + 1, 0).raw(false, 2.001, ACK, sfin + 1, cfin + 1, 0);
            Connection<?> c = only(w);
            assertTeardown(c, Sides.BOTH, CloseType.SIMULTANEOUS, Sides.BOTH);
            assertEquals(TcpState.TIME_WAIT, c.endpoint(Side.CLIENT).state());
            assertEquals(TcpState.TIME_WAIT, c.endpoint(Side.SERVER).state());
        }
    }

    @Test
    void afterCrossedFinsEachSideEntersTimeWaitOnThePeersAckOfItsOwnFinHoweverLateItsOwnAckIsSeen() {
        Wire w = new Wire().handshake(0).exchange(1);
        int cfin = w.cseq;
        int sfin = w.sseq;
        w.raw(true, 2, FIN | ACK, cfin, sfin, 0).raw(false, 2.0001, FIN | ACK, sfin, cfin, 0);
        // The server's ACK of the client's FIN is seen at 2.001; the client's ACK of the server's FIN, sent
        // while the client was CLOSING, reaches the tap only at 2.005.
        w.raw(false, 2.001, ACK, sfin + 1, cfin + 1, 0).raw(true, 2.005, ACK, cfin + 1, sfin + 1, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.BOTH, CloseType.SIMULTANEOUS, Sides.BOTH);
        Teardown t = teardown(c);
        // RFC 9293 section 3.10.7.4: CLOSING -> TIME-WAIT on the ACK of one's own FIN. The client did so at
        // 2.001, the server at 2.005; the connection's start is the earlier, its end the later plus 60 s.
        assertEquals(2_001_000_000L, t.timeWaitStartNanos());
        assertEquals(2_005_000_000L + TW, t.timeWaitEndNanos());
    }

    @Test
    void halfCloseKeepsTheFirstFinSenderAsActiveCloser() {
        Wire w = new Wire().handshake(0).c(1, PSH | ACK, 100);
        w.c(1.1, FIN | ACK, 0);
        w.s(1.2, PSH | ACK, 1000).c(1.21, ACK, 0).s(1.3, PSH | ACK, 1000).c(1.31, ACK, 0);
        w.s(1.4, FIN | ACK, 0).c(1.41, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.HALF_CLOSE, Sides.CLIENT);
        assertFalse(c.anomalies().contains(Anomaly.DATA_AFTER_FIN));
    }

    @Test
    void sequenceNumbersWrappingPast2To32DoNotConfuseTheAckRule() {
        Wire w = new Wire(0xFFFFFFF0, 0xFFFFFF00).handshake(0);
        w.c(1, PSH | ACK, 100).s(1.1, PSH | ACK, 600).c(1.2, ACK, 0);
        w.c(2, FIN | ACK, 0).s(2.1, FIN | ACK, 0).c(2.2, ACK, 0);
        assertTeardown(only(w), Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
    }

    @Test
    void lostFinalAckMakesThePassiveSideRetransmitItsFinAndRestartsTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, ACK, 0);
        int sfin = w.sseq;
        int cAfter = w.cseq;
        w.s(2.002, FIN | ACK, 0);
        // The client's ACK is lost before the tap; the server retransmits its FIN 0.2 s later.
        w.raw(false, 2.202, FIN | ACK, sfin, cAfter, 0).raw(true, 2.203, ACK, cAfter, sfin + 1, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
        assertEquals(2_203_000_000L, teardown(c).timeWaitStartNanos(), "TIME_WAIT restarts at the last ACK");
        assertTrue(c.anomalies().contains(Anomaly.FIN_RETRANSMITTED));
    }

    @Test
    void captureEndingBeforeTheFinalAckIsIncompleteWithTheExpectedHolder() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, ACK, 0).s(2.002, FIN | ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.FIN_INCOMPLETE, Sides.CLIENT);
    }

    @Test
    void captureEndingAfterOneFinReportsTheExpectedHolderWithoutTimes() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.s(2, FIN | ACK, 0).c(2.001, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.SERVER, CloseType.FIN_INCOMPLETE, Sides.SERVER);
        assertEquals(PacketTime.UNSET, teardown(c).timeWaitStartNanos());
        assertEquals("S3", ConnState.of(c));
    }

    @Test
    void resetInTimeWaitEndsItEarlyAndIsRecorded() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.s(2, FIN | ACK, 0).c(2.001, FIN | ACK, 0).s(2.002, ACK, 0);
        int cseq = w.cseq;
        w.raw(true, 10, RST, cseq, 0, 0);
        Connection<?> c = only(w);
        Teardown t = teardown(c);
        assertTeardown(c, Sides.SERVER, CloseType.FIN, Sides.SERVER);
        assertEquals(10 * S, t.timeWaitEndNanos());
        assertTrue(c.anomalies().contains(Anomaly.RST_IN_TIME_WAIT));
    }

    @Test
    void refusedSynIsRejWithTheServerAsRstSenderAndNoTimeWait() {
        Wire w = new Wire();
        w.c(0, SYN, 0).s(0.001, RST | ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.SERVER, CloseType.RST, Sides.NONE);
        assertEquals("REJ", ConnState.of(c));
    }

    @Test
    void abortWithSoLingerZeroLeavesNoTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, RST | ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.RST, Sides.NONE);
        assertEquals("RSTO", ConnState.of(c));
    }

    @Test
    void finThenResetFromUnreadDataLeavesNoTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        // The server closes; the client's next request crosses the FIN; the server's closed socket resets.
        w.s(2, FIN | ACK, 0).c(2.0001, PSH | ACK, 100).s(2.0002, RST, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.SERVER, CloseType.FIN_RST, Sides.NONE);
        assertEquals("RSTR", ConnState.of(c));
    }

    @Test
    void midstreamTrafficPicksTheHttpClientAndSaysMidstream() {
        Wire w = new Wire();
        w.s(0, PSH | ACK, 300).c(0.001, ACK, 0).c(1, FIN | ACK, 0).s(1.001, FIN | ACK, 0).c(1.002, ACK, 0);
        Connection<?> c = only(w);
        assertEquals(Handshake.MIDSTREAM, Teardown.handshake(c));
        assertEquals(40000, c.clientPort(), "the ephemeral port is the client");
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
        assertEquals("SF", ConnState.of(c));
    }

    @Test
    void retransmittedSynAndFinDoNotStartNewConnections() {
        Wire w = new Wire();
        int isn = w.cseq;
        w.c(0, SYN, 0).raw(true, 1, SYN, isn, 0, 0).s(1.001, SYN | ACK, 0).c(1.002, ACK, 0);
        int cfin = w.cseq;
        int sseq = w.sseq;
        w.c(2, FIN | ACK, 0).raw(true, 2.2, FIN | ACK, cfin, sseq, 0);
        w.s(2.3, FIN | ACK, 0).c(2.4, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
        assertTrue(c.anomalies().contains(Anomaly.FIN_RETRANSMITTED));
    }

    @Test
    void newSynOnATupleInTimeWaitIsANewConnectionThatEndsTheOldTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.s(2, FIN | ACK, 0).c(2.001, FIN | ACK, 0).s(2.002, ACK, 0);
        w.cseq += 1_000_000; // the new ISN is above the old sequence space (RFC 6191)
        w.handshake(12).c(13, FIN | ACK, 0).s(13.001, FIN | ACK, 0).c(13.002, ACK, 0);
        List<Connection<?>> all = w.finish();
        assertEquals(2, all.size());
        Connection<?> old = all.get(0);
        Connection<?> fresh = all.get(1);
        assertEquals(12 * S, teardown(old).timeWaitEndNanos(), "old TIME_WAIT ends at the accepted SYN");
        assertTrue(fresh.tupleReuse());
        assertEquals(9_999_000_000L, fresh.reuseGapNanos());
        assertFalse(old.tupleReuse());
        assertTeardown(fresh, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
    }

    @Test
    void synRefusedByTimeWaitIsAnsweredByAckThenRstAndTheRetryEndsTheOldTimeWait() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.s(2, FIN | ACK, 0).c(2.001, FIN | ACK, 0).s(2.002, ACK, 0);
        int oldServerNext = w.sseq;
        int oldClientNext = w.cseq;
        w.cseq -= 50_000; // an ISN inside the old window: the TIME_WAIT socket refuses it
        int isn = w.cseq;
        w.c(5, SYN, 0);
        w.raw(false, 5.0001, ACK, oldServerNext, oldClientNext, 0); // the TIME_WAIT socket's ACK
        w.raw(true, 5.0002, RST, oldClientNext, 0, 0); // the client's RST kills the TIME_WAIT
        w.raw(true, 6.0002, SYN, isn, 0, 0); // retransmitted SYN, same ISN
        w.s(6.0003, SYN | ACK, 0).c(6.0004, ACK, 0);
        List<Connection<?>> all = w.finish();
        assertEquals(2, all.size());
        assertEquals(5_000_200_000L, teardown(all.get(0)).timeWaitEndNanos());
        assertTrue(all.get(0).anomalies().contains(Anomaly.RST_IN_TIME_WAIT));
        Connection<?> fresh = all.get(1);
        assertTrue(fresh.anomalies().contains(Anomaly.SYN_TO_TIME_WAIT_REJECTED));
        assertEquals(Handshake.FULL, Teardown.handshake(fresh));
        assertTrue(fresh.tupleReuse());
        assertEquals(TcpState.ESTABLISHED, fresh.endpoint(Side.CLIENT).state());
    }

    @Test
    void finishedConnectionsAreHandedOnOnceTheirTimeWaitIsOverNotAtTheEnd() {
        Wire w = new Wire().handshake(0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
        w.clientPort = 40001;
        w.handshake(100);
        assertEquals(1, w.emitted.size(), "the first connection left the table after its TIME_WAIT");
        assertEquals(1, w.tracker.openConnections());
    }

    @Test
    void idleUnfinishedConnectionIsHandedOnAfterTheIdleTimeout() {
        Wire w = new Wire().handshake(0);
        w.clientPort = 40001;
        w.handshake(3601);
        assertEquals(1, w.emitted.size());
        assertEquals(CloseType.NONE, teardown(w.emitted.get(0)).type());
        assertEquals("S1", ConnState.of(w.emitted.get(0)));
    }

    @Test
    void unansweredSynIsS0() {
        Wire w = new Wire();
        int isn = w.cseq;
        w.c(0, SYN, 0).raw(true, 1, SYN, isn, 0, 0).raw(true, 3, SYN, isn, 0, 0);
        Connection<?> c = only(w);
        assertEquals("S0", ConnState.of(c));
        assertEquals(Handshake.SYN, Teardown.handshake(c));
        assertTeardown(c, Sides.NONE, CloseType.NONE, Sides.NONE);
    }

    @Test
    void captureStartingAtTheSynAckTakesItsReceiverAsTheClient() {
        Wire w = new Wire();
        w.s(0, SYN | ACK, 0).c(0.001, ACK, 0).exchange(1);
        w.c(2, FIN | ACK, 0).s(2.001, FIN | ACK, 0).c(2.002, ACK, 0);
        Connection<?> c = only(w);
        assertEquals(Handshake.SYNACK, Teardown.handshake(c));
        assertEquals(40000, c.clientPort());
        assertTrue(c.historyText().startsWith("^h"), c.historyText());
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
    }

    @Test
    void connectionBefore1970ClosesWithFinAndTheActiveCloserHoldsTimeWaitFromItsAck() {
        // A pcapng if_tsoffset can put packets before 1970: negative times are times, not "not set".
        Wire w = new Wire().handshake(-100).exchange(-99);
        w.s(-98, FIN | ACK, 0).c(-97.999, FIN | ACK, 0).s(-97.998, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.SERVER, CloseType.FIN, Sides.SERVER);
        Teardown t = teardown(c);
        assertEquals(-97_998_000_000L, t.timeWaitStartNanos());
        assertEquals(-97_998_000_000L + TW, t.timeWaitEndNanos());
        assertEquals("SF", ConnState.of(c));
    }

    @Test
    void closeWhoseTimeWaitStartsAtTheEpochItselfIsComplete() {
        // Time 0 and the instants around it are ordinary packet times.
        Wire w = new Wire().handshake(-2).exchange(-1);
        w.c(-0.002, FIN | ACK, 0).s(-0.001, FIN | ACK, 0).c(0, ACK, 0);
        Connection<?> c = only(w);
        assertTeardown(c, Sides.CLIENT, CloseType.FIN, Sides.CLIENT);
        assertEquals(0, teardown(c).timeWaitStartNanos());
        assertEquals(TW, teardown(c).timeWaitEndNanos());
    }

    @Test
    void tupleReuseBefore1970IsSeenAndItsGapRunsFromTheOldClose() {
        Wire w = new Wire().handshake(-1000).exchange(-999);
        w.s(-998, FIN | ACK, 0).c(-997.999, FIN | ACK, 0).s(-997.998, ACK, 0);
        w.cseq += 1_000_000; // the new ISN is above the old sequence space (RFC 6191)
        w.handshake(-988).c(-987, FIN | ACK, 0).s(-986.999, FIN | ACK, 0).c(-986.998, ACK, 0);
        List<Connection<?>> all = w.finish();
        assertEquals(2, all.size());
        Connection<?> old = all.get(0);
        Connection<?> fresh = all.get(1);
        assertEquals(-988 * S, teardown(old).timeWaitEndNanos(), "old TIME_WAIT ends at the accepted SYN");
        assertTrue(fresh.tupleReuse());
        assertEquals(9_999_000_000L, fresh.reuseGapNanos(), "from the old connection's last FIN at -997.999 s");
    }
}
