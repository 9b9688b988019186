package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacketTimeTest {

    @Test
    void unsetIsOutsideTheRangeAndEveryTimeInItIsSetIncludingMinusOneAndZero() {
        assertTrue(PacketTime.UNSET < PacketTime.MIN);
        assertFalse(PacketTime.isSet(PacketTime.UNSET));
        for (long t : new long[] {PacketTime.MIN, -1, 0, 1, PacketTime.MAX}) {
            assertTrue(PacketTime.isSet(t), "time " + t);
        }
    }

    @Test
    void anyTwoPacketTimesSubtractAndAnyPacketTimePlusACenturyAddsWithoutOverflow() {
        assertEquals(PacketTime.MAX - PacketTime.MIN, Math.subtractExact(PacketTime.MAX, PacketTime.MIN));
        assertEquals(PacketTime.MIN - PacketTime.MAX, Math.subtractExact(PacketTime.MIN, PacketTime.MAX));
        long century = 100L * 366 * 86_400 * 1_000_000_000L;
        assertEquals(PacketTime.MAX + century, Math.addExact(PacketTime.MAX, century));
    }

    @Test
    void earlierIgnoresAnUnsetSide() {
        assertEquals(-5, PacketTime.earlier(PacketTime.UNSET, -5));
        assertEquals(-5, PacketTime.earlier(-5, PacketTime.UNSET));
        assertEquals(-5, PacketTime.earlier(3, -5));
        assertEquals(PacketTime.UNSET, PacketTime.earlier(PacketTime.UNSET, PacketTime.UNSET));
    }

    @Test
    void secondsAndNanosBecomeOneTimeOrUnsetOutsideTheRange() {
        assertEquals(-999_999_999L, PacketTime.of(-1, 1));
        assertEquals(2_500_000_000L, PacketTime.of(1, 1_500_000_000L), "a fraction over a second is carried");
        assertEquals(PacketTime.MAX, PacketTime.of(4_611_686_018L, 427_387_903L));
        assertEquals(PacketTime.UNSET, PacketTime.of(4_611_686_018L, 427_387_904L));
        assertEquals(PacketTime.MIN, PacketTime.of(-4_611_686_019L, 572_612_097L));
        assertEquals(PacketTime.UNSET, PacketTime.of(-4_611_686_019L, 572_612_096L));
        assertEquals(PacketTime.UNSET, PacketTime.of(Long.MAX_VALUE, 0));
        assertEquals(PacketTime.UNSET, PacketTime.of(Long.MIN_VALUE, 999_999_999L));
    }
}
