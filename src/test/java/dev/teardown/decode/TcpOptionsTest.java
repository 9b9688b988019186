package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The TCP option walk (RFC 9293 section 3.2, RFC 7323 section 3.2): the timestamps are read wherever they sit among
 * other options, a malformed length is reported, and an option cut off by the snapshot length is not an error.
 */
class TcpOptionsTest {
    /** MSS 1460, SACK permitted, timestamps 0x01020304 / 0x0a0b0c0d, NOP, window scale 7: a Linux SYN's options. */
    private static final byte[] SYN_OPTIONS = {2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 10, 11, 12, 13, 1, 3, 3, 7};

    @Test
    void theTimestampsAreReadAmongALinuxSynsOptions() {
        TcpSegment s = new TcpSegment();
        assertTrue(TcpOptions.read(SYN_OPTIONS, 0, SYN_OPTIONS.length, SYN_OPTIONS.length, s));
        assertTrue(s.hasTimestamp);
        assertEquals(0x01020304, s.tsVal);
        assertEquals(0x0a0b0c0d, s.tsEcr);
    }

    @Test
    void endOfOptionListStopsTheWalkAndNopsAreSkipped() {
        byte[] b = {1, 1, 0, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8};
        TcpSegment s = new TcpSegment();
        assertTrue(TcpOptions.read(b, 0, b.length, b.length, s));
        assertFalse(s.hasTimestamp, "nothing after end-of-option-list is read");
    }

    @Test
    void aLengthBelowTwoOrPastTheHeaderOrAWrongTimestampLengthIsMalformed() {
        assertFalse(TcpOptions.read(new byte[] {2, 1, 0, 0}, 0, 4, 4, new TcpSegment()), "length 1");
        assertFalse(TcpOptions.read(new byte[] {2, 8, 0, 0}, 0, 4, 4, new TcpSegment()), "past the header");
        byte[] shortTs = {8, 8, 1, 2, 3, 4, 5, 6};
        assertFalse(TcpOptions.read(shortTs, 0, shortTs.length, shortTs.length, new TcpSegment()), "timestamps of 8");
        assertFalse(TcpOptions.read(new byte[] {2}, 0, 1, 1, new TcpSegment()), "a kind with no room for its length");
    }

    @Test
    void anOptionCutOffByTheSnapshotLengthIsNotAnError() {
        TcpSegment s = new TcpSegment();
        assertTrue(TcpOptions.read(SYN_OPTIONS, 0, SYN_OPTIONS.length, 10, s), "timestamps cut after 4 of 10 bytes");
        assertFalse(s.hasTimestamp);
        assertTrue(TcpOptions.read(SYN_OPTIONS, 0, SYN_OPTIONS.length, 7, s), "cut right after a kind");
    }

    @Test
    void nopNopTimestampsIsReadAsTheWalkReadsItAndACutOneIsNot() {
        byte[] b = {1, 1, 8, 10, 0, 0, 1, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xfe};
        TcpSegment s = new TcpSegment();
        assertTrue(TcpOptions.read(b, 0, 12, 12, s));
        assertTrue(s.hasTimestamp);
        assertEquals(256, s.tsVal);
        assertEquals(0x7ffffffe, s.tsEcr);
        TcpSegment cut = new TcpSegment();
        assertTrue(TcpOptions.read(b, 0, 12, 11, cut), "cut by the snapshot length: not an error");
        assertFalse(cut.hasTimestamp, "a timestamp option not captured whole is not read");
        byte[] wrong = {1, 1, 8, 8, 0, 0, 1, 0, 0, 0, 0, 0};
        assertFalse(TcpOptions.read(wrong, 0, 12, 12, new TcpSegment()), "the same layout with a bad length");
    }
}
