package dev.teardown.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** strftime's conversions that ring file names use, in UTC. */
class StrftimeTest {
    /** 2026-11-24T11:01:16Z, day 328 of the year. */
    private static final long T = 1_795_518_076L;

    @Test
    void eachConversionIsTheUtcField() {
        assertEquals("2026-11-24 11:01:16 26 328 1795518076 %", Strftime.format("%Y-%m-%d %H:%M:%S %y %j %s %%", T));
        assertEquals("t-2026-11-24T11:01:16.pcap", Strftime.format("t-%FT%T.pcap", T));
        assertTrue(Strftime.hasTime("a%Y"));
        assertFalse(Strftime.hasTime("a.pcap"));
    }

    @Test
    void anUnknownConversionOrALonePercentIsRefused() {
        assertEquals("%Q is not one of %Y %m %d %H %M %S %j %y %s %F %T %%",
            assertThrows(IllegalArgumentException.class, () -> Strftime.format("t-%Q", T)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Strftime.format("t-%", T));
    }
}
