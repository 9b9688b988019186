package dev.teardown.teardown;

import java.util.List;

/**
 * A moment's view of the connection tracker, for a live status line.
 *
 * @param nowNanos the packet time the tracker has reached ({@link dev.teardown.capture.PacketTime#UNSET} before any
 *     packet)
 * @param clientCloses closes so far that the client began with its FIN
 * @param serverCloses closes so far that the server began with its FIN
 * @param crossedCloses closes so far whose FINs crossed (both sides hold TIME-WAIT)
 * @param aborts connections so far that a RST ended before both FINs
 * @param open connections held now (open ones and those waiting out TIME-WAIT)
 * @param evictions connections written out early because the table was full
 * @param timeWait the server endpoints with the most connections in TIME-WAIT now, most first
 */
public record TrackerView(long nowNanos, long clientCloses, long serverCloses, long crossedCloses, long aborts,
                          int open, long evictions, List<ServerTimeWait> timeWait) {
}
