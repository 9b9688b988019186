package dev.teardown.teardown;

import dev.teardown.capture.PacketTime;

/**
 * The half-closed states of a connection as a tap sees them (RFC 9293 section 3.6): the active closer's
 * FIN-WAIT-2, waiting for the peer's FIN, and the passive closer's CLOSE-WAIT, the peer's FIN received and its
 * own not yet sent; when each began, and when and how they ended.
 *
 * <p>Both end at the same segment, the passive closer's FIN (or a RST), since that FIN is what the closer waits
 * for and what the passive closer leaves CLOSE-WAIT by; hence one end for both.
 *
 * @param finWait2StartNanos when the active closer entered FIN-WAIT-2: the peer's first acknowledgement of its
 *     FIN, when that came before, not with, the peer's FIN; else {@link PacketTime#UNSET}
 * @param closeWaitStartNanos when the passive closer entered CLOSE-WAIT: the active closer's first FIN; else
 *     {@link PacketTime#UNSET}
 * @param endNanos when they ended, or, for {@link End#RUNNING}, how far the capture saw the connection
 *     ({@link Connection#observedUntilNanos}); {@link PacketTime#UNSET} for {@link End#NONE}
 * @param end what ended them
 */
public record HalfClosed(long finWait2StartNanos, long closeWaitStartNanos, long endNanos, End end) {

    /** Neither state was entered. */
    public static final HalfClosed NONE = new HalfClosed(PacketTime.UNSET, PacketTime.UNSET, PacketTime.UNSET, End.NONE);

    /** What ended FIN-WAIT-2 and CLOSE-WAIT; the words are the {@code half_closed_end} values (docs/output.md). */
    public enum End {
        /** Neither state was entered. */
        NONE(""),
        /** The passive closer's FIN. */
        FIN("fin"),
        /** A RST from either side. */
        RST("rst"),
        /** Nothing, within the capture: the times run to the moment the connection was written out. */
        RUNNING("running");

        private final String label;

        End(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The half-closed states of {@code c}, read from its two sides without changing them. */
    public static HalfClosed of(Connection<?> c) {
        // Crossed FINs take both sides through CLOSING (RFC 9293 section 3.6): neither state exists, whatever
        // order the tap saw the FINs in.
        if (Teardown.initiator(c) == Sides.BOTH) return NONE;
        Endpoint finWait2 = in(c, TcpState.FIN_WAIT_2);
        Endpoint closeWait = in(c, TcpState.CLOSE_WAIT);
        // The passive closer's CLOSE-WAIT ends at the same segment as the closer's FIN-WAIT-2; it is also
        // there when the closer's FIN-WAIT-2 is not (the FIN-ACK rode on the passive closer's FIN).
        Endpoint ends = closeWait != null ? closeWait : finWait2;
        if (ends == null) return NONE;
        boolean running = !PacketTime.isSet(ends.halfClosedEndNanos);
        End end = running ? End.RUNNING : ends.halfClosedEndedByRst ? End.RST : End.FIN;
        return new HalfClosed(start(finWait2), start(closeWait),
            running ? c.observedUntilNanos() : ends.halfClosedEndNanos, end);
    }

    private static Endpoint in(Connection<?> c, TcpState halfClosed) {
        for (Side side : Side.BOTH) {
            if (c.endpoint(side).halfClosed == halfClosed) return c.endpoint(side);
        }
        return null;
    }

    private static long start(Endpoint e) {
        return e == null ? PacketTime.UNSET : e.halfClosedStartNanos;
    }
}
